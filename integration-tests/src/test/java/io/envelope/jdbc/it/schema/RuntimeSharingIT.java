package io.envelope.jdbc.it.schema;

import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runtimes (keys, plans, layouts) are shared per configuration and database, not per URL string, and released
 * when their last connection has closed (issue 9, finding 6).
 */
class RuntimeSharingIT {

    private static final String CONFIG = """
              customers:
                columns:
                  email: { mode: deterministic }
            """;

    @Test
    void threeHundredUrlsThatDifferOnlyInApplicationNameShareOneRuntimeAndOneDecrypt() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("sharing", CONFIG);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email bytea)");
        try (Connection c = db.connect()) {
            insert(c, 1, "ada@example.com");
        }
        EnvelopeRuntimes.clear(); // as in a fresh process: the table's key must be unwrapped again
        EnvelopeMetrics.Snapshot before = EnvelopeMetrics.snapshot();
        Properties properties = new Properties();
        properties.setProperty("envelope.config", db.configFile().toString());
        for (int i = 0; i < 300; i++) {
            try (Connection c = DriverManager.getConnection(db.envelopeUrl() + "&ApplicationName=app" + i,
                    properties); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT email FROM customers WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ada@example.com");
            }
        }
        assertThat(EnvelopeRuntimes.count()).isEqualTo(1);
        assertThat(EnvelopeMetrics.snapshot().kmsCalls("Decrypt") - before.kmsCalls("Decrypt")).isEqualTo(1);
    }

    @Test
    void aRuntimeIsClosedWhenItsLastConnectionCloses() throws Exception {
        // with key-cache.ttl 0s the runtime keeps nothing between connections: it goes with the last one at once
        EncryptedDatabase db = EncryptedDatabase.create("release", CONFIG, "key-cache:\n  ttl: 0s\n");
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email bytea)");
        EnvelopeRuntimes.clear();
        Connection first = db.connect();
        Connection second = db.connect();
        assertThat(EnvelopeRuntimes.count()).isEqualTo(1);
        insert(first, 1, "ada@example.com");
        first.close();
        first.close(); // closing twice releases once
        assertThat(EnvelopeRuntimes.count()).isEqualTo(1); // the second connection still uses it
        second.close();
        assertThat(EnvelopeRuntimes.count()).isZero();
    }

    @Test
    void anIdleRuntimeLingersForItsKeyCacheTtlThenGoes() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("linger", CONFIG, "key-cache:\n  ttl: 1s\n");
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email bytea)");
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect()) {
            insert(c, 1, "ada@example.com");
        }
        // reconnecting right away (a connection per request, without a pool) finds the same runtime ...
        try (Connection c = db.connect()) {
            assertThat(EnvelopeRuntimes.count()).isEqualTo(1);
        }
        // ... and once the last connection has been closed for a TTL, the runtime and its keys are gone
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (EnvelopeRuntimes.count() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(EnvelopeRuntimes.count()).isZero();
    }

    private static void insert(Connection c, int id, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.executeUpdate();
        }
    }
}
