package io.envelope.jdbc.it.mariadb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link RoundTripScenarios} with MariaDB Connector/J behind the wrapper ({@code jdbc:envelope:mariadb://…}),
 * and MariaDB Connector/J's {@code jdbc:mysql:} scheme, which it takes only with {@code permitMysqlScheme}.
 */
class MariaDbRoundTripIT extends RoundTripScenarios {

    MariaDbRoundTripIT() {
        super(TargetDriver.MARIADB_CONNECTOR_J);
    }

    @Test
    void theMySqlSchemeWorksThroughMariaDbConnectorJ() throws SQLException {
        String url = db.envelopeUrl().replace("jdbc:envelope:mariadb:", "jdbc:envelope:mysql:")
                + (db.envelopeUrl().contains("?") ? "&" : "?") + "permitMysqlScheme";
        Properties p = new Properties();
        p.setProperty("envelope.config", db.configFile().toString());
        try (Connection c = DriverManager.getConnection(url, p)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
                ps.setInt(1, 9);
                ps.setString(2, "zq-scheme@example.com");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM customers WHERE email = ?")) {
                ps.setString(1, "zq-scheme@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(9);
                }
            }
        }
        assertThat(new String(db.raw("customers", "email")[0], StandardCharsets.ISO_8859_1)).doesNotContain("zq-");
    }
}
