package io.envelope.jdbc.it.mariadb;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The URL swap on the MariaDB server with whichever target driver a subclass names ({@link TargetDriver}): values
 * stored as ciphertext in {@code VARBINARY}, {@code BLOB}, {@code VARCHAR} and {@code TEXT} columns and read back
 * as plaintext, deterministic lookups by parameter and by literal, in UPDATE and in IN lists, generated keys, a
 * UUID kept as MySQL keeps it, and a session opened with NO_BACKSLASH_ESCAPES.
 */
abstract class RoundTripScenarios {

    private static final String TABLES = """
              customers:
                columns:
                  email: { mode: deterministic }
                  ssn:   { mode: randomized }
                  note:  { mode: randomized }
                  card:  { mode: deterministic }
            """;

    protected final TargetDriver driver;
    protected EncryptedMariaDb db;

    protected RoundTripScenarios(TargetDriver driver) {
        this.driver = driver;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedMariaDb.create("roundtrip", TABLES);
        db.executePlain("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100), email VARBINARY(200), "
                + "ssn BLOB, note TEXT, card VARCHAR(200))");
    }

    @Test
    void valuesRoundTripAndTheServerHoldsOnlyCiphertext() throws SQLException {
        try (Connection c = driver.connect(db)) {
            assertThat(c.getMetaData().getDriverName()).isEqualTo(driver.driverName());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO customers (id, name, email, ssn, note, card) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "name" + i);
                    ps.setString(3, "zq-mail-" + i + "@example.com");
                    ps.setString(4, "zq-ssn-" + i);
                    ps.setString(5, "zq-note-" + i + " it's \\ \"quoted\"");
                    ps.setString(6, "zq-card-" + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO customers (id, name, email, ssn, note, card) VALUES "
                        + "(4, 'name4', 'zq-mail-4@example.com', 'zq-ssn-4', 'zq-note-4 it''s \\\\', 'zq-card-4')");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, email, ssn, note, card FROM customers "
                    + "WHERE email = ?")) {
                ps.setString(1, "zq-mail-2@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                    assertThat(rs.getString(2)).isEqualTo("zq-mail-2@example.com");
                    assertThat(rs.getString(3)).isEqualTo("zq-ssn-2");
                    assertThat(rs.getString(4)).isEqualTo("zq-note-2 it's \\ \"quoted\"");
                    assertThat(rs.getString(5)).isEqualTo("zq-card-2");
                    assertThat(rs.next()).isFalse();
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, ssn, note FROM customers WHERE card = 'zq-card-4'")) {
                assertThat(rs.next()).as("a literal lookup matches a literal insert").isTrue();
                assertThat(rs.getInt(1)).isEqualTo(4);
                assertThat(rs.getString(2)).isEqualTo("zq-ssn-4");
                assertThat(rs.getString(3)).isEqualTo("zq-note-4 it's \\");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET ssn = ? WHERE card IN (?, ?)")) {
                ps.setString(1, "zq-ssn-new");
                ps.setString(2, "zq-card-1");
                ps.setString(3, "zq-card-3");
                assertThat(ps.executeUpdate()).isEqualTo(2);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM customers WHERE ssn IS NOT NULL AND email IN (?, ?) LIMIT ?")) {
                ps.setString(1, "zq-mail-1@example.com");
                ps.setString(2, "zq-mail-3@example.com");
                ps.setInt(3, 5);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
        }
        try (Connection plain = driver.plain(db); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, ssn, note, card FROM customers")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= 4; i++) {
                    assertThat(new String(rs.getBytes(i), StandardCharsets.ISO_8859_1))
                            .as(rs.getMetaData().getColumnName(i)).doesNotContain("zq-");
                }
            }
            assertThat(rows).isEqualTo(4);
        }
    }

    @Test
    void generatedKeysAreTheAutoIncrementValuesAsTheTargetDriverGivesThem() throws Exception {
        db.executePlain("CREATE TABLE accounts (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARBINARY(200))");
        EncryptedMariaDb.appendTable(db, """
                  accounts:
                    columns:
                      email: { mode: deterministic }
                """);
        try (Connection c = driver.connect(db)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (email) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "zq-key@example.com");
                assertThat(ps.executeUpdate()).isEqualTo(1);
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(1L);
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO accounts (email) VALUES ('zq-key2@example.com')",
                        Statement.RETURN_GENERATED_KEYS);
                try (ResultSet keys = s.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(2L);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM accounts WHERE email = ?")) {
                ps.setString(1, "zq-key2@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(2L);
                }
            }
        }
    }

    @Test
    void aUuidTravelsAsTheSixteenBytesMySqlKeepsItIn() throws Exception {
        db.executePlain("CREATE TABLE devices (id INT PRIMARY KEY, token VARBINARY(255))");
        EncryptedMariaDb.appendTable(db, """
                  devices:
                    columns:
                      token: { mode: deterministic, type: uuid }
                """);
        UUID token = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        byte[] bytes = ByteBuffer.allocate(16).putLong(token.getMostSignificantBits())
                .putLong(token.getLeastSignificantBits()).array();
        try (Connection c = driver.connect(db)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (id, token) VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setBytes(2, bytes); // as Hibernate binds a UUID on MySQL and MariaDB
                ps.executeUpdate();
                ps.setInt(1, 2);
                ps.setObject(2, token);
                ps.executeUpdate();
                ps.setInt(1, 3);
                ps.setBytes(2, Arrays.copyOf(bytes, 15));
                assertThat(catchThrowable(ps::executeUpdate))
                        .as("15 bytes are no UUID").hasMessageStartingWith("envelope-jdbc: ");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, token FROM devices WHERE token = ? ORDER BY id")) {
                ps.setBytes(1, bytes);
                try (ResultSet rs = ps.executeQuery()) {
                    for (int id = 1; id <= 2; id++) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(id);
                        assertThat(rs.getBytes(2)).isEqualTo(bytes);
                        assertThat(rs.getObject(2, UUID.class)).isEqualTo(token);
                        assertThat(rs.getString(2)).isEqualTo(token.toString());
                    }
                    assertThat(rs.next()).isFalse();
                }
            }
        }
        for (byte[] stored : db.raw("devices", "token")) {
            assertThat(stored).isNotEqualTo(bytes).hasSizeGreaterThan(16);
        }
    }

    @Test
    void noBackslashEscapesSetWhenTheConnectionOpensIsWhatTheDriverAssumes() throws SQLException {
        Properties p = new Properties();
        p.setProperty("envelope.config", db.configFile().toString());
        p.setProperty("sessionVariables", "sql_mode='STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'");
        try (Connection c = DriverManager.getConnection(driver.envelopeUrl(db), p)) {
            insertAndFind(c, 8, "zq-no\\escapes@example.com");
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM customers WHERE email = 'zq-no\\escapes@example.com'")) {
                assertThat(rs.next()).as("the backslash is a character of the literal").isTrue();
                assertThat(rs.getInt(1)).isEqualTo(8);
            }
        }
        assertThat(db.find("zq-")).isEmpty();
    }

    /** Inserts {@code email} by parameter and finds its row by it. */
    protected static void insertAndFind(Connection c, int id, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, email FROM customers WHERE email = ?")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(id);
                assertThat(rs.getString(2)).isEqualTo(email);
            }
        }
    }
}
