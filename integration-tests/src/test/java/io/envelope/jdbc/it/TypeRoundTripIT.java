package io.envelope.jdbc.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every §3 type round-trips through every getter: a value written through the wrapper into an encrypted column
 * reads back exactly as the same value written with plain pgJDBC into a plaintext column of that SQL type reads
 * back — same values, and an exception where pgJDBC throws one.
 */
class TypeRoundTripIT {

    /** One §3 type: its config name, the PostgreSQL type of the plaintext twin, and the values to write. */
    record TypeCase(String type, String extra, String sqlType, List<Object> values) {
        String column() {
            return "c_" + type;
        }

        @Override
        public String toString() {
            return type;
        }
    }

    private static final List<TypeCase> CASES = List.of(
            new TypeCase("text", "", "text", List.of("héllo wörld ☃", "", "42", "t")),
            new TypeCase("bytes", "", "bytea", List.of(new byte[] {0, 1, 2, (byte) 255}, new byte[0])),
            new TypeCase("smallint", "", "smallint", List.of((short) -32768, (short) 7)),
            new TypeCase("int", "", "integer", List.of(2147483647, -1, 0)),
            new TypeCase("bigint", "", "bigint", List.of(-9223372036854775808L, 1L)),
            new TypeCase("decimal", ", scale: 2, precision: 12", "numeric(12,2)",
                    List.of(new BigDecimal("12345.60"), new BigDecimal("-0.05"), new BigDecimal("1.00"))),
            new TypeCase("double", "", "double precision", List.of(3.141592653589793, 1.5e300, 1.0)),
            new TypeCase("real", "", "real", List.of(1.25f, -3.5f)),
            new TypeCase("boolean", "", "boolean", List.of(true, false)),
            new TypeCase("date", "", "date", List.of(LocalDate.of(2024, 2, 29), LocalDate.of(1900, 1, 1))),
            new TypeCase("time", "", "time", List.of(LocalTime.of(13, 45, 30, 123_456_000), LocalTime.MIDNIGHT)),
            new TypeCase("timestamp", "", "timestamp",
                    List.of(LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000), LocalDateTime.of(1999, 12, 31, 23, 59))),
            new TypeCase("timestamptz", "", "timestamptz",
                    List.of(OffsetDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000, ZoneOffset.ofHours(2)))),
            new TypeCase("uuid", "", "uuid", List.of(UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"))));

    /** The getters JDBC defines, by index. */
    private static final Map<String, Getter> GETTERS = new LinkedHashMap<>();

    interface Getter {
        Object get(ResultSet rs, int column) throws SQLException;
    }

    static {
        GETTERS.put("getString", ResultSet::getString);
        GETTERS.put("getNString", ResultSet::getNString);
        GETTERS.put("getObject", ResultSet::getObject);
        GETTERS.put("getBoolean", ResultSet::getBoolean);
        GETTERS.put("getByte", ResultSet::getByte);
        GETTERS.put("getShort", ResultSet::getShort);
        GETTERS.put("getInt", ResultSet::getInt);
        GETTERS.put("getLong", ResultSet::getLong);
        GETTERS.put("getFloat", ResultSet::getFloat);
        GETTERS.put("getDouble", ResultSet::getDouble);
        GETTERS.put("getBigDecimal", ResultSet::getBigDecimal);
        GETTERS.put("getBytes", ResultSet::getBytes);
        GETTERS.put("getDate", ResultSet::getDate);
        GETTERS.put("getTime", ResultSet::getTime);
        GETTERS.put("getTimestamp", ResultSet::getTimestamp);
        GETTERS.put("getCharacterStream", ResultSet::getCharacterStream);
        GETTERS.put("getBinaryStream", ResultSet::getBinaryStream);
        for (Class<?> type : List.of(String.class, Integer.class, Long.class, Short.class, BigDecimal.class,
                Double.class, Float.class, Boolean.class, byte[].class, UUID.class, java.sql.Date.class,
                java.sql.Time.class, Timestamp.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
                OffsetDateTime.class)) {
            GETTERS.put("getObject(" + type.getSimpleName() + ")", (rs, i) -> rs.getObject(i, type));
        }
    }

    /**
     * Conversions JDBC's table B-6 does not allow, where pgJDBC still answers for some values: the wrapper may
     * refuse them (it must never answer differently).
     */
    private static final java.util.Set<String> NOT_ALLOWED_BY_JDBC = java.util.Set.of(
            "time getDate", "date getTime");

    private static EncryptedDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        StringBuilder tables = new StringBuilder("  typed:\n    columns:\n");
        StringBuilder encrypted = new StringBuilder("CREATE TABLE typed (id int PRIMARY KEY");
        StringBuilder plain = new StringBuilder("CREATE TABLE plain_typed (id int PRIMARY KEY");
        for (TypeCase c : CASES) {
            // alternate modes and storages so both ciphers and both physical forms are covered
            boolean deterministic = c.type().length() % 2 == 0;
            tables.append("      ").append(c.column()).append(": { type: ").append(c.type())
                    .append(", mode: ").append(deterministic ? "deterministic" : "randomized").append(c.extra())
                    .append(" }\n");
            encrypted.append(", ").append(c.column()).append(deterministic ? " bytea" : " text");
            plain.append(", ").append(c.column()).append(' ').append(c.sqlType());
        }
        db = EncryptedDatabase.create("types", tables.toString());
        db.executePlain(encrypted + ")", plain + ")");
        int rows = CASES.stream().mapToInt(c -> c.values().size()).max().orElseThrow();
        try (Connection wrapped = db.connect(); Connection plainConnection = db.plain()) {
            for (int row = 0; row < rows + 1; row++) {
                insertRow(wrapped, "typed", row, rows);
                insertRow(plainConnection, "plain_typed", row, rows);
            }
        }
    }

    /** Row {@code rows} is all NULL; row n holds each type's n-th value (or its last). */
    private static void insertRow(Connection c, String table, int row, int rows) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (id");
        StringBuilder marks = new StringBuilder("?");
        for (TypeCase t : CASES) {
            sql.append(", ").append(t.column());
            marks.append(", ?");
        }
        try (PreparedStatement ps = c.prepareStatement(sql + ") VALUES (" + marks + ")")) {
            ps.setInt(1, row);
            for (int i = 0; i < CASES.size(); i++) {
                TypeCase t = CASES.get(i);
                if (row == rows) {
                    ps.setNull(i + 2, java.sql.Types.NULL);
                } else {
                    ps.setObject(i + 2, t.values().get(Math.min(row, t.values().size() - 1)));
                }
            }
            ps.executeUpdate();
        }
    }

    static List<TypeCase> cases() {
        return CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyGetterAnswersAsForAPlaintextColumnOfTheType(TypeCase type) throws Exception {
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (Connection wrapped = db.connect(); Connection plain = db.plain();
             Statement ws = wrapped.createStatement(); Statement ps = plain.createStatement();
             ResultSet w = ws.executeQuery("SELECT id, " + type.column() + " FROM typed ORDER BY id");
             ResultSet p = ps.executeQuery("SELECT id, " + type.column() + " FROM plain_typed ORDER BY id")) {
            while (p.next()) {
                assertThat(w.next()).isTrue();
                for (Map.Entry<String, Getter> getter : GETTERS.entrySet()) {
                    Outcome expected = Outcome.of(getter.getValue(), p, 2, false);
                    Outcome actual = Outcome.of(getter.getValue(), w, 2, true);
                    compared++;
                    boolean refusalAllowed = actual.failure != null
                            && NOT_ALLOWED_BY_JDBC.contains(type.type() + " " + getter.getKey());
                    if (!expected.matches(actual) && !refusalAllowed) {
                        mismatches.add("row " + p.getInt(1) + " " + getter.getKey() + ": pgJDBC " + expected
                                + ", envelope-jdbc " + actual);
                    }
                    if (expected.failure == null && actual.failure == null && w.wasNull() != p.wasNull()) {
                        mismatches.add("row " + p.getInt(1) + " " + getter.getKey() + ": wasNull " + p.wasNull()
                                + " from pgJDBC, " + w.wasNull() + " from envelope-jdbc");
                    }
                }
            }
            assertThat(w.next()).isFalse();
        }
        assertThat(compared).isGreaterThan(GETTERS.size());
        assertThat(mismatches).isEmpty();
    }

    @Test
    void nullStaysNullAndTheEmptyStringRoundTrips() throws Exception {
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM typed WHERE id = (SELECT max(id) FROM typed)")) {
            rs.next();
            for (TypeCase t : CASES) {
                assertThat(rs.getObject(t.column())).as("stored " + t.column()).isNull();
            }
        }
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c_text FROM typed WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).as("the empty string is encrypted too").isNotEmpty();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c_text, c_int FROM typed WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEmpty();
            assertThat(rs.wasNull()).isFalse();
        }
    }

    /** What a getter did: returned a value, or threw. */
    record Outcome(Object value, SQLException failure) {
        static Outcome of(Getter getter, ResultSet rs, int column, boolean wrapper) {
            try {
                return new Outcome(normalize(getter.get(rs, column)), null);
            } catch (SQLException e) {
                return new Outcome(null, e);
            } catch (RuntimeException e) {
                if (wrapper) {
                    return new Outcome("unexpected " + e, null);
                }
                // pgJDBC answers some illegal conversions with a runtime exception (ClassCastException,
                // ArrayIndexOutOfBoundsException): a refusal all the same, which the wrapper must give as an
                // SQLException; the wrapper itself must never throw one
                return new Outcome(null, new SQLException("runtime exception from the driver", e));
            }
        }

        boolean matches(Outcome other) {
            if (failure != null || other.failure != null) {
                // both refuse; where pgJDBC (this) gives an SQLState, the wrapper's has the same class
                return failure != null && other.failure != null
                        && (stateClass(failure) == null || stateClass(failure).equals(stateClass(other.failure)));
            }
            if (value instanceof byte[] a && other.value instanceof byte[] b) {
                return Arrays.equals(a, b);
            }
            return Objects.equals(value, other.value);
        }

        /** The first two characters of the exception's SQLState, or null when it has none. */
        private static String stateClass(SQLException e) {
            String state = e.getSQLState();
            return state == null || state.length() < 2 ? null : state.substring(0, 2);
        }

        private static Object normalize(Object value) throws SQLException {
            try {
                if (value instanceof InputStream in) {
                    return in.readAllBytes();
                }
                if (value instanceof Reader reader) {
                    StringBuilder text = new StringBuilder();
                    char[] buffer = new char[256];
                    int n;
                    while ((n = reader.read(buffer)) > 0) {
                        text.append(buffer, 0, n);
                    }
                    return text.toString();
                }
                if (value instanceof Blob blob) {
                    return blob.getBytes(1, (int) blob.length());
                }
                if (value instanceof Clob clob) {
                    return clob.getSubString(1, (int) clob.length());
                }
            } catch (java.io.IOException e) {
                throw new SQLException(e);
            }
            return value;
        }

        @Override
        public String toString() {
            if (failure != null) {
                return "threw " + failure.getClass().getSimpleName() + " [" + failure.getSQLState() + "]";
            }
            return value instanceof byte[] b ? Arrays.toString(b)
                    : value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
        }
    }
}
