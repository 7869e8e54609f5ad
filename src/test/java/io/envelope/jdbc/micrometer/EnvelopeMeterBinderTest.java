package io.envelope.jdbc.micrometer;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.kms.LocalMasterKeys;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Micrometer binder, bound by hand to a registry, publishes what the driver really did: real statements through
 * the wrapper (on an in-memory H2 database, local KMS provider) move the meters by exactly what they did.
 */
class EnvelopeMeterBinderTest {

    @TempDir
    Path dir;

    private SimpleMeterRegistry registry;
    private EnvelopeMeterBinder binder;
    private JdbcDataSource h2;
    private EnvelopeDataSource dataSource;

    @BeforeEach
    void setUp() throws Exception {
        Path masterKey = LocalMasterKeys.write(dir);
        EnvelopeConfig config = ConfigLoader.loadTree(Map.of(
                "version", 1,
                "kms", Map.of("provider", "local", "master-key-file", masterKey.toString()),
                "key-cache", Map.of("ttl", "150ms"),
                "tables", Map.of("customers", Map.of("columns", Map.of(
                        "email", Map.of("mode", "deterministic"),
                        "legacy_note", Map.of("accept-plaintext", true))))),
                "test", name -> null);
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:meters_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id int PRIMARY KEY, email varbinary(512), legacy_note varbinary(512))");
        }
        dataSource = new EnvelopeDataSource(h2, config);
        registry = new SimpleMeterRegistry();
        binder = new EnvelopeMeterBinder(List.of(io.micrometer.core.instrument.Tag.of("app", "test")));
        binder.bindTo(registry);
    }

    @AfterEach
    void tearDown() throws SQLException {
        binder.close();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private double counter(String name, String... tags) {
        FunctionCounter counter = registry.find(name).tags(tags).functionCounter();
        assertThat(counter).as("meter %s %s", name, List.of(tags)).isNotNull();
        assertThat(counter.getId().getTag("app")).isEqualTo("test");
        return counter.count();
    }

    private long timerCount(String operation) {
        Timer timer = registry.find("envelope.kms.latency").tags("operation", operation, "outcome", "success").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void valuesKmsCallsCacheAndRefusalsAreCounted() throws Exception {
        double encrypted = counter("envelope.values.encrypted");
        double decrypted = counter("envelope.values.decrypted");
        double refusals = counter("envelope.refusals", "reason", "order-by");
        double misses = counter("envelope.data.key.cache.gets", "result", "miss");
        double refreshes = counter("envelope.data.key.cache.refreshes");
        long generateTimed = timerCount("GenerateDataKey");

        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "user" + i + "@example.com");
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT email FROM customers WHERE id <= ?")) {
                ps.setInt(1, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        assertThat(rs.getString(1)).endsWith("@example.com");
                    }
                }
            }
            assertThatThrownBy(() -> c.prepareStatement("SELECT id FROM customers ORDER BY email"))
                    .hasMessageStartingWith("envelope-jdbc: ORDER BY");

            assertThat(counter("envelope.values.encrypted") - encrypted).isEqualTo(3);
            assertThat(counter("envelope.values.decrypted") - decrypted).isEqualTo(2);
            assertThat(counter("envelope.refusals", "reason", "order-by") - refusals).isEqualTo(1);
            // the first key of a table: one GenerateDataKey, counted and timed
            assertThat(counter("envelope.kms.calls", "operation", "GenerateDataKey")).isPositive();
            assertThat(timerCount("GenerateDataKey") - generateTimed).isEqualTo(1);

            // After the key's cache period (150 ms) a write unwraps it again: a miss that is a refresh.
            Thread.sleep(300);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
                ps.setInt(1, 4);
                ps.setString(2, "late@example.com");
                ps.executeUpdate();
            }
            assertThat(counter("envelope.data.key.cache.gets", "result", "miss")).isGreaterThan(misses);
            assertThat(counter("envelope.data.key.cache.refreshes")).isGreaterThan(refreshes);
            assertThat(counter("envelope.kms.calls", "operation", "Decrypt")).isPositive();
        }
    }

    @Test
    void aPlaintextReadCounterAppearsWithItsColumnsFirstRead() throws Exception {
        try (Connection plain = h2.getConnection(); Statement s = plain.createStatement()) {
            s.execute("INSERT INTO customers (id, legacy_note) VALUES (1, CAST('still plain' AS varbinary))");
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT legacy_note FROM customers WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still plain");
        }
        java.util.Collection<Meter> plaintext = registry.find("envelope.plaintext.reads").meters();
        Meter legacy = plaintext.stream()
                .filter(m -> m.getId().getTag("column").toLowerCase().endsWith("customers.legacy_note"))
                .findFirst().orElseThrow();
        assertThat(((FunctionCounter) legacy).count()).isPositive();
    }

    @Test
    void afterCloseKmsCallsAreNoLongerTimed() throws Exception {
        binder.close();
        long timed = timerCount("GenerateDataKey");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
            ps.setInt(1, 1);
            ps.setString(2, "a@example.com");
            ps.executeUpdate();
        }
        assertThat(timerCount("GenerateDataKey")).isEqualTo(timed);
        // the counters still read the process-wide totals
        assertThat(counter("envelope.kms.calls", "operation", "GenerateDataKey")).isPositive();
    }
}
