package io.envelope.jdbc.it.mariadb;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.driver.EnvelopeConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.ServerPreparedStatement;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * HikariCP 7 in front of envelope-jdbc on MariaDB, the three set-ups of the PostgreSQL {@code HikariExampleIT}
 * (jdbcUrl {@code jdbc:envelope:mariadb://…}, {@code dataSourceClassName=EnvelopeDataSource}, an existing pool
 * wrapped), validation of a connection killed behind the pool's back, MariaDB Connector/J's server-side prepared
 * statements, and what {@code PooledRefusalIT} shows for PostgreSQL: a refused statement (SQLState 0AX01) or a
 * value refused as too long for its column (22001) is an application error, the transaction rolls back and the
 * same physical connection ({@code CONNECTION_ID()}) serves the next borrow.
 */
class HikariMariaDbIT {

    private static EncryptedMariaDb db;

    @BeforeAll
    static void schema() throws Exception {
        db = EncryptedMariaDb.create("hikari", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                      note:  { mode: randomized, pad: 16 }
                """);
        db.executePlain("CREATE TABLE customers (id BIGINT PRIMARY KEY, email VARBINARY(120) UNIQUE, note TEXT,"
                + " plan VARCHAR(20))");
    }

    /** The URL swap: the only line that differs from a plain Hikari set-up is the jdbcUrl. */
    private static HikariDataSource byJdbcUrl(String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(db.envelopeUrl());                                      // jdbc:envelope:mariadb://…
        config.addDataSourceProperty("envelope.config", db.configFile().toString());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private static HikariDataSource plainPool(String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(db.plainUrl());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    @Test
    void jdbcUrlPool() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("mariadb-url", 2)) {
            crudThrough(pool, 1);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isWrapperFor(EnvelopeConnection.class)).isTrue();
                assertThat(c.unwrap(org.mariadb.jdbc.Connection.class)).isNotNull();
                assertThat(c.isValid(2)).isTrue();
            }
        }
        MariaDbCiphertext.assertStoredAsCiphertext(db, "customers", "email", "@example.com");
        MariaDbCiphertext.assertStoredAsCiphertext(db, "customers", "note", "vip");
    }

    @Test
    void dataSourceClassNamePool() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mariadb-bean");
        config.setDataSourceClassName("io.envelope.jdbc.EnvelopeDataSource");
        config.addDataSourceProperty("url", db.envelopeUrl());
        config.addDataSourceProperty("configLocation", db.configFile().toString());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThat(pool.isWrapperFor(EnvelopeDataSource.class)).isTrue();
            crudThrough(pool, 100);
        }
        MariaDbCiphertext.assertStoredAsCiphertext(db, "customers", "email", "@example.com");
    }

    @Test
    void wrappingAnExistingPool() throws Exception {
        try (HikariDataSource hikari = plainPool("mariadb-plain", 2)) {
            DataSource encrypted = new EnvelopeDataSource(hikari, db.configFile().toString());
            crudThrough(encrypted, 200);
            for (int i = 0; i < 20; i++) {
                try (Connection c = encrypted.getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                }
            }
            assertThat(hikari.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
        MariaDbCiphertext.assertStoredAsCiphertext(db, "customers", "email", "@example.com");
    }

    /** A connection killed behind the pool's back is found dead by isValid and replaced. */
    @Test
    void poolValidationReplacesAKilledConnection() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("mariadb-validate", 1)) {
            long id;
            try (Connection c = pool.getConnection()) {
                id = connectionId(c);
            }
            db.executePlain("KILL " + id);
            Thread.sleep(700);   // past Hikari's 500 ms window in which a recently used connection is not re-checked
            try (Connection c = pool.getConnection()) {
                assertThat(connectionId(c)).as("a fresh connection").isNotEqualTo(id);
            }
            crudThrough(pool, 300);
        }
    }

    /** MariaDB Connector/J's useServerPrepStmts reaches the target driver; the wrapper's statements use it. */
    @Test
    void serverSidePreparedStatements() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mariadb-server-prepare");
        config.setJdbcUrl(db.envelopeUrl());
        config.addDataSourceProperty("envelope.config", db.configFile().toString());
        config.addDataSourceProperty("useServerPrepStmts", "true");
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            insert(pool, 400, "prepared@example.com", "n");
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT id, note FROM customers WHERE email = ?")) {
                for (int i = 0; i < 3; i++) {
                    ps.setString(1, "prepared@example.com");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(400);
                        assertThat(rs.getString(2)).isEqualTo("n");
                    }
                }
                assertThat(ps.isWrapperFor(ServerPreparedStatement.class)).isTrue();
            }
        }
    }

    /**
     * Hikari's connectionInitSql changes sql_mode on every new connection (here to ANSI_QUOTES, where "…" is a
     * name): the wrapper reads the session again after it, so double-quoted names are names to the analysis too.
     */
    @Test
    void connectionInitSqlThatChangesSqlMode() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mariadb-init-sql");
        config.setJdbcUrl(db.envelopeUrl());
        config.addDataSourceProperty("envelope.config", db.configFile().toString());
        config.setConnectionInitSql("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')");
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            insert(pool, 700, "ansi@example.com", "quoted");
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT \"id\", \"note\" FROM \"customers\" WHERE \"email\" = ?")) {
                ps.setString(1, "ansi@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(700);
                    assertThat(rs.getString(2)).isEqualTo("quoted");
                }
            }
        }
        MariaDbCiphertext.assertStoredAsCiphertext(db, "customers", "note", "quoted");
    }

    @Test
    void aRefusalThroughAJdbcUrlPoolKeepsThePhysicalConnection() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("mariadb-refusal-url", 1)) {
            refuseInsideATransaction(pool, pool, 500);
        }
    }

    @Test
    void aRefusalThroughAWrappedPoolKeepsThePhysicalConnection() throws Exception {
        try (HikariDataSource pool = plainPool("mariadb-refusal-wrapped", 1)) {
            refuseInsideATransaction(new EnvelopeDataSource(pool, db.configFile().toString()), pool, 600);
        }
    }

    private static void refuseInsideATransaction(DataSource ds, HikariDataSource pool, long id) throws Exception {
        long backend;
        int connections;
        try (Connection c = ds.getConnection()) {
            backend = connectionId(c);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, "a" + id + "@example.com");
                ps.executeUpdate();
            }
            connections = pool.getHikariPoolMXBean().getTotalConnections();
            Throwable refused = catchThrowable(() -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM customers ORDER BY email")) {
                    ps.executeQuery().close();
                }
            });
            assertThat(refused).isInstanceOf(SQLFeatureNotSupportedException.class);
            assertThat(refused.getMessage()).startsWith("envelope-jdbc: ").contains("customers.email");
            assertThat(((SQLException) refused).getSQLState()).isEqualTo("0AX01");
            // a value whose ciphertext is longer than VARBINARY(120) is refused before it is sent
            Throwable tooLong = catchThrowable(() -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET email = ? WHERE id = ?")) {
                    ps.setString(1, "x".repeat(200) + "@example.com");
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
            });
            assertThat(tooLong).isInstanceOf(SQLDataException.class);
            assertThat(tooLong.getMessage()).startsWith("envelope-jdbc: ").doesNotContain("xxxxx");
            assertThat(((SQLException) tooLong).getSQLState()).isEqualTo("22001");
            assertThat(c.isClosed()).as("the pool did not take the connection away").isFalse();
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("nothing was evicted").isEqualTo(connections);
        try (Connection c = ds.getConnection()) {
            assertThat(connectionId(c)).as("the same physical connection serves the next borrow").isEqualTo(backend);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM customers WHERE id = " + id)) {
                rs.next();
                assertThat(rs.getInt(1)).as("the insert was rolled back").isZero();
            }
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insert(DataSource ds, long id, String email, String note) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO customers (id, email, note, plan) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, email);
            ps.setString(3, note);
            ps.setString(4, "basic");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /** Insert, find by the deterministic column, update, delete: the plain JDBC an app does over a pool. */
    private static void crudThrough(DataSource ds, long firstId) throws SQLException {
        for (int i = 0; i < 3; i++) {
            insert(ds, firstId + i, "user" + (firstId + i) + "@example.com", "vip customer " + i);
        }
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, note FROM customers WHERE email = ?")) {
                ps.setString(1, "user" + (firstId + 1) + "@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong("id")).isEqualTo(firstId + 1);
                    assertThat(rs.getString("note")).isEqualTo("vip customer 1");
                    assertThat(rs.next()).isFalse();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET note = ? WHERE email = ?")) {
                ps.setString(1, "vip, moved");
                ps.setString(2, "user" + (firstId + 2) + "@example.com");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT note FROM customers WHERE id = ?")) {
                ps.setLong(1, firstId + 2);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("vip, moved");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM customers WHERE email = ?")) {
                ps.setString(1, "user" + firstId + "@example.com");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
    }
}
