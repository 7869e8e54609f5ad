package io.envelope.jdbc.it.mariadb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Getters on MariaDB, measured against MariaDB Connector/J itself: for every declared plaintext type, table
 * {@code plain} with a column of the MariaDB type an application would declare (read with plain MariaDB
 * Connector/J) and table {@code enc} with the column encrypted (read through the wrapper), the same value written
 * to both, then every getter called on both. The wrapper must answer as the driver does (equal values, or a failure
 * of the same family), except for the differences pinned in {@code conformance/mariadb-getter-differences.txt},
 * each with its reason; a pinned difference that no longer occurs fails the test too, so the file stays true.
 */
class MariaDbGetterTwinIT {

    record TypeCase(String type, String extra, String sqlType, List<Object> samples) {
        String column() {
            return "c_" + type;
        }
    }

    static final List<TypeCase> TYPES = List.of(
            new TypeCase("text", "", "VARCHAR(100)", List.of("héllo 42", "0", "1", "-7", "12.5", "", "true",
                    "2024-02-29", "13:45:30")),
            new TypeCase("bytes", "", "VARBINARY(100)", List.of(new byte[] {1, 2, 3}, new byte[0],
                    "42".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xff})),
            new TypeCase("smallint", "", "SMALLINT", List.of((short) 7, (short) 0, (short) -32768, (short) 300)),
            new TypeCase("int", "", "INT", List.of(7, 0, -1, Integer.MAX_VALUE, 70_000)),
            new TypeCase("bigint", "", "BIGINT", List.of(7L, 0L, Long.MIN_VALUE, 5_000_000_000L)),
            new TypeCase("decimal", ", scale: 2, precision: 12", "DECIMAL(12,2)", List.of(new BigDecimal("12.50"),
                    new BigDecimal("0.50"), new BigDecimal("-12.99"), new BigDecimal("9999999999.99"),
                    new BigDecimal("0.00"))),
            new TypeCase("double", "", "DOUBLE", List.of(1.25, 0.0, -0.5, 1e15, 3.0)),
            new TypeCase("real", "", "FLOAT", List.of(1.25f, 0.0f, -0.5f, 300.0f)),
            new TypeCase("boolean", "", "BOOLEAN", List.of(true, false)),
            new TypeCase("date", "", "DATE", List.of(LocalDate.of(2024, 2, 29), LocalDate.of(1970, 1, 1),
                    LocalDate.of(9999, 12, 31))),
            new TypeCase("time", "", "TIME(6)", List.of(LocalTime.of(13, 45, 30, 123_456_000), LocalTime.MIDNIGHT,
                    LocalTime.of(23, 59, 59))),
            new TypeCase("timestamp", "", "DATETIME(6)", List.of(LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000),
                    LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(2024, 10, 27, 2, 30))));

    /** The most samples of any type: rows 1..ROWS, a type with fewer repeats its last one. */
    static final int ROWS = TYPES.stream().mapToInt(t -> t.samples().size()).max().orElseThrow() + 1;

    interface Getter {
        Object get(ResultSet rs) throws Exception;
    }

    static final Map<String, Getter> GETTERS = new LinkedHashMap<>();

    static {
        GETTERS.put("getString", rs -> rs.getString(1));
        GETTERS.put("getObject", rs -> rs.getObject(1));
        GETTERS.put("getBoolean", rs -> rs.getBoolean(1));
        GETTERS.put("getByte", rs -> rs.getByte(1));
        GETTERS.put("getShort", rs -> rs.getShort(1));
        GETTERS.put("getInt", rs -> rs.getInt(1));
        GETTERS.put("getLong", rs -> rs.getLong(1));
        GETTERS.put("getFloat", rs -> rs.getFloat(1));
        GETTERS.put("getDouble", rs -> rs.getDouble(1));
        GETTERS.put("getBigDecimal", rs -> rs.getBigDecimal(1));
        GETTERS.put("getBytes", rs -> rs.getBytes(1));
        GETTERS.put("getDate", rs -> rs.getDate(1));
        GETTERS.put("getTime", rs -> rs.getTime(1));
        GETTERS.put("getTimestamp", rs -> rs.getTimestamp(1));
        GETTERS.put("getBinaryStream", rs -> {
            try (InputStream in = rs.getBinaryStream(1)) {
                return in == null ? null : in.readAllBytes();
            }
        });
        for (Class<?> target : List.of(String.class, Integer.class, Long.class, Short.class, Boolean.class,
                Double.class, Float.class, BigDecimal.class, byte[].class, LocalDate.class, LocalTime.class,
                LocalDateTime.class, OffsetDateTime.class, java.sql.Date.class, java.sql.Timestamp.class)) {
            GETTERS.put("getObject(" + target.getSimpleName() + ")", rs -> rs.getObject(1, target));
        }
    }

    private static EncryptedMariaDb db;

    /**
     * A database with table {@code plain}, a column of each {@link #TYPES} SQL type, and table {@code enc}, the same
     * columns encrypted (deterministic and TEXT storage for every other type, randomized and VARBINARY for the rest).
     */
    static EncryptedMariaDb twinDatabase(String prefix) throws Exception {
        StringBuilder tables = new StringBuilder("  enc:\n    columns:\n");
        StringBuilder enc = new StringBuilder("CREATE TABLE enc (id INT PRIMARY KEY");
        StringBuilder plain = new StringBuilder("CREATE TABLE plain (id INT PRIMARY KEY");
        for (TypeCase t : TYPES) {
            boolean deterministic = t.type().length() % 2 == 1;
            tables.append("      ").append(t.column()).append(": { type: ").append(t.type()).append(", mode: ")
                    .append(deterministic ? "deterministic" : "randomized").append(t.extra()).append(" }\n");
            enc.append(", ").append(t.column()).append(deterministic ? " TEXT" : " VARBINARY(255)");
            plain.append(", ").append(t.column()).append(' ').append(t.sqlType());
        }
        EncryptedMariaDb twin = EncryptedMariaDb.create(prefix, tables.toString());
        twin.executePlain(enc + ")", plain + ")");
        return twin;
    }

    @BeforeAll
    static void setUp() throws Exception {
        db = twinDatabase("getters");
        try (Connection p = db.plain(); Connection w = db.connect()) {
            for (int id = 1; id <= ROWS; id++) {
                for (TypeCase t : TYPES) {
                    // the last row holds NULL in every column
                    Object sample = id == ROWS ? null : t.samples().get(Math.min(id, t.samples().size()) - 1);
                    insert(p, "plain", t, id, sample);
                    insert(w, "enc", t, id, sample);
                }
            }
        }
    }

    @AfterAll
    static void tearDown() {
        // the database is dropped when the JVM exits (MariaDbDatabase)
    }

    static void insert(Connection c, String table, TypeCase t, int id, Object sample) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, " + t.column()
                + ") VALUES (?, ?) ON DUPLICATE KEY UPDATE " + t.column() + " = VALUES(" + t.column() + ")")) {
            ps.setInt(1, id);
            if (sample == null) {
                ps.setNull(2, java.sql.Types.NULL);
            } else {
                ps.setObject(2, sample);
            }
            ps.executeUpdate();
        }
    }

    /** What one call did: a value (normalised for comparison), or a failure's family. */
    static String outcome(Connection c, String table, TypeCase t, int id, Getter getter) {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + t.column() + " FROM " + table + " WHERE id = "
                + id);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Object v = getter.get(rs);
            if (v instanceof byte[] b) {
                return "bytes " + Arrays.toString(b);
            }
            return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
        } catch (SQLFeatureNotSupportedException e) {
            return "fails: not supported";
        } catch (SQLException e) {
            return "fails";
        } catch (Exception e) {
            return "fails: " + e.getClass().getSimpleName();
        }
    }

    @Test
    void everyGetterAnswersAsMariaDbConnectorJDoesForAPlaintextColumn() throws Exception {
        List<String> differences = new ArrayList<>();
        try (Connection p = db.plain(); Connection w = db.connect()) {
            for (TypeCase t : TYPES) {
                for (int id = 1; id <= Math.min(ROWS, t.samples().size()) || id == ROWS; id++) {
                    for (Map.Entry<String, Getter> g : GETTERS.entrySet()) {
                        String expected = outcome(p, "plain", t, id, g.getValue());
                        String actual = outcome(w, "enc", t, id, g.getValue());
                        if (!Objects.equals(expected, actual)) {
                            differences.add(t.type() + " #" + id + " " + g.getKey() + ": driver " + expected
                                    + " | wrapper " + actual);
                        }
                    }
                    if (id == t.samples().size()) {
                        id = ROWS - 1; // then the NULL row
                    }
                }
            }
        }
        List<String> pinned = new ArrayList<>();
        try (InputStream in = MariaDbGetterTwinIT.class.getResourceAsStream(
                "/conformance/mariadb-getter-differences.txt")) {
            assertThat(in).as("conformance/mariadb-getter-differences.txt on the test class path").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    pinned.add(line.substring(0, line.indexOf("  # ") < 0 ? line.length() : line.indexOf("  # ")).trim());
                }
            }
        }
        TreeSet<String> unexpected = new TreeSet<>(differences);
        unexpected.removeAll(pinned);
        TreeSet<String> gone = new TreeSet<>(pinned);
        gone.removeAll(differences);
        assertThat(unexpected).as("differences from MariaDB Connector/J that are not pinned").isEmpty();
        assertThat(gone).as("pinned differences that no longer occur").isEmpty();
    }

    /** The result metadata of the column as the driver describes it: type code, name, class, precision, scale. */
    static String describe(Connection c, String table, TypeCase t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + t.column() + " FROM " + table + " WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            java.sql.ResultSetMetaData m = rs.getMetaData();
            return m.getColumnType(1) + " " + m.getColumnTypeName(1) + " " + m.getColumnClassName(1) + " "
                    + m.getPrecision(1) + "," + m.getScale(1) + (m.isSigned(1) ? " signed" : " unsigned");
        }
    }

    @Test
    void resultMetadataDescribesTheColumnAsMariaDbConnectorJDescribesAPlaintextOne() throws Exception {
        List<String> differences = new ArrayList<>();
        try (Connection p = db.plain(); Connection w = db.connect()) {
            for (TypeCase t : TYPES) {
                String expected = describe(p, "plain", t);
                String actual = describe(w, "enc", t);
                if (!expected.equals(actual)) {
                    differences.add(t.type() + ": driver " + expected + " | wrapper " + actual);
                }
            }
        }
        // The length a plaintext VARCHAR or VARBINARY column would have been declared with is not in the
        // configuration: the wrapper reports an unknown (unbounded) length, as pgJDBC does for text.
        assertThat(differences).containsExactlyInAnyOrder(
                "text: driver 12 VARCHAR java.lang.String 100,0 signed | wrapper 12 VARCHAR java.lang.String "
                        + Integer.MAX_VALUE + ",0 signed",
                "bytes: driver -3 VARBINARY byte[] 100,0 signed | wrapper -3 VARBINARY byte[] "
                        + Integer.MAX_VALUE + ",0 signed");
    }
}
