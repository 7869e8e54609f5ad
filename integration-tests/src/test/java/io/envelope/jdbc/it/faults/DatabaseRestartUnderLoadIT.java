package io.envelope.jdbc.it.faults;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database "restart" under load through HikariCP (issue 11). The local PostgreSQL is shared with every other test
 * on this machine and must not be restarted, so a {@link TcpProxy} on 127.0.0.1 stands in front of it and is cut:
 * every connection dropped, new ones refused for two seconds, then accepted again. Writers keep going through a
 * HikariCP pool of envelope-jdbc connections; the pool recovers, and the table matches the model: every
 * acknowledged write is there and decrypts to its values; nothing is there that was not attempted.
 */
@ExtendWith(QuietStderr.class)
class DatabaseRestartUnderLoadIT {

    private static final int WRITERS = 4;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void thePoolRecoversAndEveryAcknowledgedWriteIsThereAndDecrypts() throws Exception {
        EnvelopeRuntimes.clear();
        EncryptedDatabase db = EncryptedDatabase.create("restartload", """
                  orders:
                    columns:
                      customer: { mode: deterministic }
                      address:  { mode: randomized }
                """, "key-cache:\n  ttl: 3s\n");
        db.executePlain("CREATE TABLE orders (id bigint PRIMARY KEY, customer bytea, address text)");

        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Long> uncertain = ConcurrentHashMap.newKeySet();
        try (TcpProxy proxy = TcpProxy.inFrontOf(TestDatabase.jdbcUrl())) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(proxy.route(db.envelopeUrl()));
            config.addDataSourceProperty("envelope.config", db.configFile().toString());
            config.setMaximumPoolSize(WRITERS);
            config.setConnectionTimeout(1000);
            config.setValidationTimeout(500);
            config.setInitializationFailTimeout(-1);
            config.setPoolName("restart-under-load");
            AtomicLong errors = new AtomicLong();
            AtomicLong acknowledgedAfterCut = new AtomicLong();
            AtomicBoolean cutDone = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    long base = (w + 1) * 1_000_000L;
                    writers.add(threads.submit(() -> {
                        long next = base;
                        while (!stop.get()) {
                            long id = next++;
                            try {
                                write(pool, id);
                                acknowledged.add(id);
                                if (cutDone.get()) {
                                    acknowledgedAfterCut.incrementAndGet();
                                }
                            } catch (SQLException e) {
                                // the write may or may not have reached the database before its connection died
                                uncertain.add(id);
                                errors.incrementAndGet();
                                Thread.sleep(50);
                            }
                        }
                        return null;
                    }));
                }
                waitFor(() -> acknowledged.size() >= 200, 30_000);
                proxy.cut(2000);
                cutDone.set(true);
                // the pool recovers: acknowledged writes resume, on new connections
                waitFor(() -> acknowledgedAfterCut.get() >= 200, 30_000);
                stop.set(true);
                for (Future<?> writer : writers) {
                    writer.get(30, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(errors.get()).as("the cut was felt by the writers").isPositive();
        }

        // The model: every acknowledged id present with its values; every present id was attempted.
        EnvelopeRuntimes.clear();
        Map<Long, String[]> stored = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, customer, address FROM orders")) {
            while (rs.next()) {
                stored.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        Set<Long> attempted = ConcurrentHashMap.newKeySet();
        attempted.addAll(acknowledged);
        attempted.addAll(uncertain);
        assertThat(attempted).containsAll(stored.keySet());
        assertThat(stored.keySet()).containsAll(acknowledged);
        assertThat(stored.size()).isBetween(acknowledged.size(), acknowledged.size() + uncertain.size());
        for (Map.Entry<Long, String[]> row : stored.entrySet()) {
            assertThat(row.getValue()).containsExactly(customer(row.getKey()), address(row.getKey()));
        }
        Ciphertext.assertStoredAsCiphertext(db, "orders", "customer", "SECRET");
        Ciphertext.assertStoredAsCiphertext(db, "orders", "address", "SECRET");
        assertThat(db.keyRows(db.schema() + ".orders")).isEqualTo(1);
    }

    private static String customer(long id) {
        return "CUSTOMER-SECRET-" + (id % 97);
    }

    private static String address(long id) {
        return "ADDRESS-SECRET-" + id;
    }

    /** One insert and a lookup by the deterministic column in a transaction, as an application request would. */
    private static void write(HikariDataSource pool, long id) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO orders (id, customer, address) VALUES (?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, customer(id));
                ps.setString(3, address(id));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM orders WHERE customer = ? AND id = ?")) {
                ps.setString(1, customer(id));
                ps.setLong(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 1) {
                        throw new AssertionError("lookup of order " + id + " found " + rs.getLong(1));
                    }
                }
            }
            c.commit();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis)
            throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }
}
