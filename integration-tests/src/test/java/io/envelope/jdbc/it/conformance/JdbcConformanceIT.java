package io.envelope.jdbc.it.conformance;

import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDBC conformance of encrypted columns, measured against pgJDBC on plaintext columns: for every §3 type, a
 * table {@code enc} with the column encrypted (through the wrapper) and a twin {@code plain} with the column of
 * that SQL type (through plain pgJDBC).
 * <ul>
 *   <li>every setter JDBC defines, with values of many kinds: what pgJDBC accepts into the plaintext column the
 *       wrapper accepts and reads back equal; what pgJDBC rejects the wrapper rejects;</li>
 *   <li>every getter: for an illegal conversion, an exception of the same family
 *       ({@link SQLFeatureNotSupportedException} or not) and the same SQLState class where pgJDBC gives one;</li>
 *   <li>{@link ResultSetMetaData} and {@link ParameterMetaData} describe the encrypted column as pgJDBC
 *       describes the plaintext one.</li>
 * </ul>
 */
class JdbcConformanceIT {

    record TypeCase(String type, String extra, String sqlType, Object sample) {
        String column() {
            return "c_" + type;
        }
    }

    static final List<TypeCase> TYPES = List.of(
            new TypeCase("text", "", "text", "héllo"),
            new TypeCase("bytes", "", "bytea", new byte[] {1, 2, 3}),
            new TypeCase("smallint", "", "smallint", (short) 7),
            new TypeCase("int", "", "integer", 7),
            new TypeCase("bigint", "", "bigint", 7L),
            new TypeCase("decimal", ", scale: 2, precision: 12", "numeric(12,2)", new BigDecimal("12.50")),
            new TypeCase("double", "", "double precision", 1.25),
            new TypeCase("real", "", "real", 1.25f),
            new TypeCase("boolean", "", "boolean", true),
            new TypeCase("date", "", "date", LocalDate.of(2024, 2, 29)),
            new TypeCase("time", "", "time", LocalTime.of(13, 45, 30, 123_456_000)),
            new TypeCase("timestamp", "", "timestamp", LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000)),
            new TypeCase("timestamptz", "", "timestamptz",
                    OffsetDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000, ZoneOffset.ofHours(2))),
            new TypeCase("uuid", "", "uuid", UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e")));

    private static EncryptedDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        StringBuilder tables = new StringBuilder("  enc:\n    columns:\n");
        StringBuilder enc = new StringBuilder("CREATE TABLE enc (id int PRIMARY KEY");
        StringBuilder plain = new StringBuilder("CREATE TABLE plain (id int PRIMARY KEY");
        for (TypeCase t : TYPES) {
            boolean deterministic = t.type().length() % 2 == 1;
            tables.append("      ").append(t.column()).append(": { type: ").append(t.type()).append(", mode: ")
                    .append(deterministic ? "deterministic" : "randomized").append(t.extra()).append(" }\n");
            enc.append(", ").append(t.column()).append(deterministic ? " text" : " bytea");
            plain.append(", ").append(t.column()).append(' ').append(t.sqlType());
        }
        db = EncryptedDatabase.create("conformance", tables.toString());
        db.executePlain(enc + ")", plain + ")");
    }

    /** What one call did: a value, or an exception (its family and SQLState). */
    record Outcome(Object value, SQLException failure) {
        static Outcome failed(SQLException e) {
            return new Outcome(null, e);
        }

        boolean failed() {
            return failure != null;
        }

        String state() {
            return failure == null ? null : failure.getSQLState();
        }

        boolean notSupported() {
            return failure instanceof SQLFeatureNotSupportedException;
        }

        @Override
        public String toString() {
            if (failure != null) {
                return "threw " + failure.getClass().getSimpleName() + " [" + failure.getSQLState() + "]";
            }
            return value instanceof byte[] b ? Arrays.toString(b) : String.valueOf(value);
        }
    }

    private static Object normalize(Object value) {
        return value instanceof byte[] b ? Arrays.toString(b) : value;
    }

    /** Binds with the setter, inserts, reads back with getObject and getString. */
    private static Outcome write(Connection c, String table, int id, TypeCase t, JdbcSetters.Setter setter) {
        try {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + table + " (id, " + t.column() + ") VALUES (?, ?)")) {
                ps.setInt(1, id);
                setter.set(ps, 2);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + t.column() + " FROM " + table
                    + " WHERE id = ?")) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Outcome(List.of(String.valueOf(normalize(rs.getObject(1))),
                            String.valueOf(rs.getString(1))), null);
                }
            }
        } catch (SQLException e) {
            return Outcome.failed(e);
        } catch (RuntimeException e) {
            return Outcome.failed(new SQLException("runtime exception " + e, "XX999", e));
        }
    }

    @Test
    void everySetterIsAcceptedOrRejectedAsPgJdbcDoesForAPlaintextColumn() throws Exception {
        List<String> mismatches = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        int id = 0;
        int accepted = 0;
        // text result format throughout: pgJDBC's getString differs between text and binary transfer (a binary
        // float8 7 reads "7.0", a binary bytea's getString is byte[].toString()), which is pgJDBC's own quirk
        try (Connection wrapped = db.connect(); Connection plain = java.sql.DriverManager.getConnection(
                io.envelope.jdbc.it.TestDatabase.withSchema(io.envelope.jdbc.it.TestDatabase.jdbcUrl(), db.schema())
                        + "&prepareThreshold=0")) {
            for (TypeCase t : TYPES) {
                for (Map.Entry<String, JdbcSetters.Setter> setter : JdbcSetters.SETTERS.entrySet()) {
                    id++;
                    Outcome expected = write(plain, "plain", id, t, setter.getValue());
                    Outcome actual = write(wrapped, "enc", id, t, setter.getValue());
                    String call = t.type() + " " + setter.getKey();
                    if (!expected.failed() && !actual.failed()) {
                        accepted++;
                        if (!Objects.equals(expected.value(), actual.value())) {
                            mismatches.add(call + ": pgJDBC reads back " + expected + ", envelope-jdbc " + actual);
                        }
                    } else if (expected.failed() != actual.failed()) {
                        differences.add(call + ": " + (expected.failed()
                                ? "pgJDBC rejects [" + expected.state() + "], envelope-jdbc accepts"
                                : "pgJDBC accepts, envelope-jdbc rejects [" + actual.state() + "]"));
                    }
                    if (actual.failed() && !expected.failed()) {
                        // a refusal of the wrapper's own is an SQLException with the prefix, a data or
                        // feature-not-supported state, never a runtime exception or a quoted value
                        String message = String.valueOf(actual.failure().getMessage());
                        if (!message.startsWith("envelope-jdbc:") || !(actual.state().startsWith("22")
                                || actual.state().startsWith("0A"))) {
                            mismatches.add(call + ": unexpected failure " + actual.failure());
                        }
                    }
                }
            }
        }
        System.out.println("setter conformance: " + id + " calls per connection, " + accepted
                + " accepted by both and read back equal; differences:\n  " + String.join("\n  ", differences));
        assertThat(accepted).isGreaterThan(TYPES.size() * 10);
        assertThat(mismatches).as("values read back differently or failures of the wrong kind").isEmpty();
        // Accept/reject differences are pinned: each is listed, with the reason, in
        // conformance/setter-differences.txt; a new difference (or one that went away) fails this test
        assertThat(differences).containsExactlyInAnyOrderElementsOf(knownDifferences());
    }

    static List<String> knownDifferences() throws java.io.IOException {
        try (InputStream in = JdbcConformanceIT.class.getResourceAsStream("/conformance/setter-differences.txt")) {
            assertThat(in).as("conformance/setter-differences.txt on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        }
    }
}
