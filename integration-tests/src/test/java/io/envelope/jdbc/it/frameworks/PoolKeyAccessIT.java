package io.envelope.jdbc.it.frameworks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Key access never needs a second pool connection on the request path (issue 11): {@code new
 * EnvelopeDataSource(hikari, config)} with every connection held by request threads keeps working across key TTL
 * expiries (key rows are read on the request's own connection), and with {@code key-cache.ttl: 0s} a statement
 * reads its keys on the connection it has and unwraps each once (not one new session and one Decrypt per value).
 */
class PoolKeyAccessIT {

    private static final String TABLES = """
              accounts:
                columns:
                  owner: { mode: deterministic }
                  note:  { mode: randomized }
              extras:
                columns:
                  note: { mode: randomized }
            """;

    @BeforeEach
    void freshProcess() {
        EnvelopeRuntimes.clear();
    }

    private static EncryptedDatabase database(String prefix, String ttl) throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create(prefix, TABLES, "key-cache:\n  ttl: " + ttl + "\n");
        db.executePlain("CREATE TABLE accounts (id int PRIMARY KEY, owner bytea, note text)",
                "CREATE TABLE extras (id int PRIMARY KEY, note bytea)");
        return db;
    }

    private static HikariDataSource pool(EncryptedDatabase db, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()));
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(1000);
        return new HikariDataSource(config);
    }

    private static void insert(Connection c, int id, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, owner, note) VALUES (?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, owner);
            ps.setString(3, "note " + id);
            ps.executeUpdate();
        }
    }

    private static int idOf(Connection c, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, note FROM accounts WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).startsWith("note ");
                return rs.getInt(1);
            }
        }
    }

    /** Transactions on a held connection, inserting and looking up, until {@code millis} have passed. */
    private static int work(DataSource ds, int base, long millis) throws SQLException {
        int done = 0;
        long until = System.nanoTime() + millis * 1_000_000L;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            while (System.nanoTime() < until) {
                int id = base + done;
                insert(c, id, "owner" + id);
                assertThat(idOf(c, "owner" + id)).isEqualTo(id);
                c.commit();
                done++;
            }
        }
        return done;
    }

    @Test
    void aPoolOfOneKeepsWorkingAcrossKeyTtlExpiriesAndAFirstKeyInATransactionIsAClearError() throws Exception {
        EncryptedDatabase db = database("poolofone", "1s");
        try (HikariDataSource hikari = pool(db, 1)) {
            DataSource ds = new EnvelopeDataSource(hikari, db.configFile().toString());
            try (Connection c = ds.getConnection()) {
                insert(c, 0, "first");   // autocommit: the first key commits at once on this connection
            }
            assertThat(work(ds, 1, 3500)).as("transactions across three TTL expiries").isPositive();

            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                Throwable refused = catchThrowable(() -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO extras (id, note) VALUES (1, ?)")) {
                        ps.setString(1, "x");
                        ps.executeUpdate();
                    }
                });
                assertThat(refused).isInstanceOf(SQLException.class);
                assertThat(refused.getMessage()).startsWith("envelope-jdbc: ").contains("first data key")
                        .contains("leave a connection of the pool free").contains("commit independently");
                c.rollback();
            }
            assertThat(db.keyRows(db.schema() + ".extras")).isZero();
        }
    }

    @Test
    void aPoolOfNWithNThreadsHoldingConnectionsAcrossATtlExpiryHasNoTimeouts() throws Exception {
        EncryptedDatabase db = database("poolofn", "1s");
        int threads = 4;
        try (HikariDataSource hikari = pool(db, threads)) {
            DataSource ds = new EnvelopeDataSource(hikari, db.configFile().toString());
            try (Connection c = ds.getConnection()) {
                insert(c, 0, "first");
            }
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int base = 100_000 * (t + 1);
                    results.add(executor.submit(() -> work(ds, base, 3500)));
                }
                for (Future<Integer> result : results) {
                    assertThat(result.get(60, TimeUnit.SECONDS)).isPositive();
                }
            } finally {
                executor.shutdownNow();
            }
            assertThat(hikari.getHikariPoolMXBean().getTotalConnections()).isEqualTo(threads);
        }
    }

    @Test
    void withAZeroTtlAStatementReadsItsKeysOnItsOwnConnectionAndUnwrapsOnce() throws Exception {
        EncryptedDatabase db = database("ttlzero", "0s");
        try (HikariDataSource hikari = pool(db, 4)) {
            CountingDataSource counting = new CountingDataSource(hikari);
            DataSource ds = new EnvelopeDataSource(counting, db.configFile().toString());
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO accounts (id, owner, note) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 400; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "owner" + i);
                    ps.setString(3, "note " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            int opened = counting.opened.get();
            long decrypts = EnvelopeMetrics.snapshot().kmsCalls("Decrypt");
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT owner, note FROM accounts ORDER BY id")) {
                int rows = 0;
                while (rs.next()) {
                    assertThat(rs.getString(1)).isEqualTo("owner" + rows);
                    assertThat(rs.getString(2)).isEqualTo("note " + rows);
                    rows++;
                }
                assertThat(rows).isEqualTo(400);
            }
            assertThat(counting.opened.get() - opened).as("one connection: the statement's own").isEqualTo(1);
            assertThat(EnvelopeMetrics.snapshot().kmsCalls("Decrypt") - decrypts)
                    .as("one Decrypt for the statement's one key version, not one per value").isEqualTo(1);
        }
    }

    /** A DataSource that counts the connections taken from it. */
    private static final class CountingDataSource implements DataSource {
        final AtomicInteger opened = new AtomicInteger();
        private final DataSource target;

        CountingDataSource(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            opened.incrementAndGet();
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            opened.incrementAndGet();
            return target.getConnection(user, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return target.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return target.isWrapperFor(iface);
        }
    }
}
