package io.envelope.jdbc.it.mariadb;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The URL swap with MySQL Connector/J 9.x as the target driver ({@code jdbc:envelope:mysql://…}) against the
 * MariaDB server: values stored as ciphertext and read back, lookups by parameter and literal, generated keys;
 * text its placeholder scan reads otherwise than the server is refused; a session whose NO_BACKSLASH_ESCAPES the
 * driver has not noticed is refused until it is set back.
 */
class MySqlConnectorJRoundTripIT {

    private static final String TABLES = """
              customers:
                columns:
                  email: { mode: deterministic }
                  ssn:   { mode: randomized }
                  note:  { mode: randomized }
                  card:  { mode: deterministic }
            """;

    private EncryptedMariaDb db;

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedMariaDb.create("cjroundtrip", TABLES);
        db.executePlain("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100), email VARBINARY(200), "
                + "ssn BLOB, note TEXT, card VARCHAR(200))");
    }

    @Test
    void valuesRoundTripAndTheServerHoldsOnlyCiphertext() throws SQLException {
        try (Connection c = db.connectThroughMySqlConnectorJ()) {
            assertThat(c.getMetaData().getDriverName()).isEqualTo("MySQL Connector/J");
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
        try (Connection plain = db.plainThroughMySqlConnectorJ(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, ssn, note, card FROM customers")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= 4; i++) {
                    assertThat(new String(rs.getBytes(i), StandardCharsets.ISO_8859_1)).doesNotContain("zq-");
                }
            }
            assertThat(rows).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewriteBatchedStatements=true", "useServerPrepStmts=true",
        "useServerPrepStmts=true&rewriteBatchedStatements=true"})
    void batchesAndLookupsWorkWithTheDriversOwnStatementOptions(String options) throws SQLException {
        // Rewritten batches repeat the VALUES clause in one statement; server-side prepared statements let the
        // server find the placeholders (the client scan is still checked, the stricter of the two).
        Properties p = new Properties();
        p.setProperty("envelope.config", db.configFile().toString());
        String url = db.envelopeMySqlConnectorJUrl();
        try (Connection c = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + options, p)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email, note) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 5; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "zq-batch-" + i + "@example.com");
                    ps.setString(3, "zq-note-" + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, note FROM customers WHERE email = ?")) {
                for (int i = 1; i <= 5; i++) {
                    ps.setString(1, "zq-batch-" + i + "@example.com");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(i);
                        assertThat(rs.getString(2)).isEqualTo("zq-note-" + i);
                    }
                }
            }
        }
        assertThat(db.find("zq-")).isEmpty();
    }

    @Test
    void textTheDriverReadsOtherwiseThanTheServerIsRefused() throws SQLException {
        // The driver reads "SELECT?" as the statement's first word, with no placeholder in it; the server binds two.
        String sql = "SELECT? AS x, id FROM customers WHERE email = ?";
        try (Connection c = db.connectThroughMySqlConnectorJ()) {
            assertThatThrownBy(() -> c.prepareStatement(sql)).isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("MySQL Connector/J");
            // A backslash escapes a backtick for the driver, never for the server.
            assertThatThrownBy(() -> c.prepareStatement("SELECT id AS `a\\`, ? FROM customers WHERE email = '`'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("MySQL Connector/J");
        }
    }

    @Test
    void aSessionWhoseBackslashModeTheDriverMissedIsRefusedUntilItIsSetBack() throws SQLException {
        try (Connection c = db.connectThroughMySqlConnectorJ()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')");
            }
            // The driver still escapes bound strings with backslashes: a value could end its string early.
            assertThatThrownBy(() -> c.prepareStatement("SELECT id FROM customers WHERE email = ?"))
                    .isInstanceOf(SQLException.class).hasMessageStartingWith("envelope-jdbc: ")
                    .hasMessageContaining("NO_BACKSLASH_ESCAPES").hasMessageContaining("MySQL Connector/J");
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
            }
            insertAndFind(c, 7, "zq-back\\slash@example.com");
        }
    }

    @Test
    void noBackslashEscapesSetWhenTheConnectionOpensIsWhatTheDriverAssumes() throws SQLException {
        Properties p = new Properties();
        p.setProperty("envelope.config", db.configFile().toString());
        p.setProperty("sessionVariables", "sql_mode='STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'");
        try (Connection c = DriverManager.getConnection(db.envelopeMySqlConnectorJUrl(), p)) {
            insertAndFind(c, 8, "zq-no\\escapes@example.com");
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM customers WHERE email = 'zq-no\\escapes@example.com'")) {
                assertThat(rs.next()).as("the backslash is a character of the literal").isTrue();
                assertThat(rs.getInt(1)).isEqualTo(8);
            }
        }
    }

    @Test
    void generatedKeysAreTheAutoIncrementValues() throws Exception {
        db.executePlain("CREATE TABLE accounts (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARBINARY(200))");
        EncryptedMariaDb.appendTable(db, """
                  accounts:
                    columns:
                      email: { mode: deterministic }
                """);
        try (Connection c = db.connectThroughMySqlConnectorJ()) {
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
        }
    }

    private static void insertAndFind(Connection c, int id, String email) throws SQLException {
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
