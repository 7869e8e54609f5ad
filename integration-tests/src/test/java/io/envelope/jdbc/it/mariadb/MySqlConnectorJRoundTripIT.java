package io.envelope.jdbc.it.mariadb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * The {@link RoundTripScenarios} with MySQL Connector/J 9.x as the target driver ({@code jdbc:envelope:mysql://…})
 * against the MariaDB server, and what is its own: batches and lookups under its statement options; text its
 * placeholder scan reads otherwise than the server is refused; a session whose NO_BACKSLASH_ESCAPES the driver has
 * not noticed is refused until it is set back.
 */
class MySqlConnectorJRoundTripIT extends RoundTripScenarios {

    MySqlConnectorJRoundTripIT() {
        super(TargetDriver.MYSQL_CONNECTOR_J);
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
}
