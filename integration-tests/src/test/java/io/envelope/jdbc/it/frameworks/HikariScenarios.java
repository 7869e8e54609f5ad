package io.envelope.jdbc.it.frameworks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.driver.EnvelopeConnection;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * HikariCP 7 in front of envelope-jdbc on whichever database a subclass names ({@link HikariTarget}), the three
 * ways a user sets it up (see config-examples/hikari.properties and docs/integrations.md):
 * <ol>
 *   <li>{@code jdbcUrl=jdbc:envelope:<driver>://…} — Hikari loads the wrapper through DriverManager;</li>
 *   <li>{@code dataSourceClassName=io.envelope.jdbc.EnvelopeDataSource} with bean properties;</li>
 *   <li>an existing HikariDataSource wrapped: {@code new EnvelopeDataSource(hikari, config)}.</li>
 * </ol>
 * Each does CRUD by a deterministic column, and the plain driver shows the columns hold ciphertext. Then:
 * validation of a connection killed behind the pool's back, the target driver's server-side prepared statements,
 * and refusals. A refused statement is an application error on a healthy connection: through HikariCP it reaches
 * the caller as the envelope-jdbc error, the transaction rolls back cleanly, and the physical connection stays in
 * the pool (the same backend serves the next borrow). With SQLState 0A000, HikariCP marked the connection broken
 * and closed it.
 */
public abstract class HikariScenarios {

    protected static HikariTarget target;

    /** Makes the customers table on {@code database}, which the tests then share. */
    protected static void start(HikariTarget database) throws SQLException {
        target = database;
        database.createCustomers();
    }

    /** 1. The URL swap: the only line that differs from a plain Hikari setup is the jdbcUrl. */
    protected static HikariDataSource byJdbcUrl(String poolName, int size) {
        return byJdbcUrl(poolName, size, Map.of());
    }

    /** As {@link #byJdbcUrl(String, int)}, with more options for the target driver. */
    private static HikariDataSource byJdbcUrl(String poolName, int size, Map<String, String> moreOptions) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(target.envelopeUrl());                                  // jdbc:envelope:<driver>://…
        config.addDataSourceProperty("envelope.config", target.configFile().toString());
        target.driverOptions().forEach(config::addDataSourceProperty);
        moreOptions.forEach(config::addDataSourceProperty);
        config.setMaximumPoolSize(size);
        // no connectionTestQuery: Hikari validates with Connection.isValid, answered by the driver via the wrapper
        return new HikariDataSource(config);
    }

    /** A pool of plain connections, as an application had before it added encryption. */
    private static HikariDataSource plainPool(String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(target.plainUrl());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    @Test
    void jdbcUrlPool() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("envelope-url", 2)) {
            crudThrough(pool, 1);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isWrapperFor(EnvelopeConnection.class)).isTrue();
                assertThat(c.unwrap(target.driverConnectionClass())).isNotNull();
                assertThat(c.isValid(2)).isTrue();
            }
        }
        target.assertStoredAsCiphertext("customers", "email", "@example.com");
        target.assertStoredAsCiphertext("customers", "note", "vip");
    }

    @Test
    void dataSourceClassNamePool() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("envelope-bean");
        config.setDataSourceClassName("io.envelope.jdbc.EnvelopeDataSource");
        config.addDataSourceProperty("url", target.envelopeUrl());
        config.addDataSourceProperty("configLocation", target.configFile().toString());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThat(pool.isWrapperFor(EnvelopeDataSource.class)).isTrue();
            crudThrough(pool, 100);
        }
        target.assertStoredAsCiphertext("customers", "email", "@example.com");
    }

    @Test
    void wrappingAnExistingPool() throws Exception {
        try (HikariDataSource hikari = plainPool("plain-pool", 2)) {
            DataSource encrypted = new EnvelopeDataSource(hikari, target.configFile().toString());
            crudThrough(encrypted, 200);
            // closing the wrapper returns the pooled connection: the pool is not drained by 20 borrows
            for (int i = 0; i < 20; i++) {
                try (Connection c = encrypted.getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                }
            }
            assertThat(hikari.getHikariPoolMXBean().getActiveConnections()).isZero();
            assertThat(encrypted.unwrap(HikariDataSource.class)).isSameAs(hikari);
        }
        target.assertStoredAsCiphertext("customers", "email", "@example.com");
    }

    /** Validation: a connection killed behind the pool's back is found dead by isValid and replaced. */
    @Test
    void poolValidationReplacesAKilledConnection() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("envelope-validate", 1)) {
            long id;
            try (Connection c = pool.getConnection()) {
                id = target.backendId(c);
            }
            target.kill(id);
            Thread.sleep(700);   // past Hikari's 500 ms window in which a recently used connection is not re-checked
            try (Connection c = pool.getConnection()) {
                assertThat(target.backendId(c)).as("a fresh backend").isNotEqualTo(id);
            }
            crudThrough(pool, 300);
        }
    }

    /** The target driver's server-side prepared statements are used for the wrapper's statements. */
    @Test
    void serverSidePreparedStatements() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("envelope-server-prepare", 1, target.serverPrepareOptions())) {
            insert(pool, 400, "prepared@example.com", "n");
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT id, note FROM customers WHERE email = ?")) {
                for (int i = 0; i < 5; i++) {
                    ps.setString(1, "prepared@example.com");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(400);
                        assertThat(rs.getString(2)).isEqualTo("n");
                    }
                }
                target.assertServerPrepared(ps);
            }
        }
    }

    @Test
    void aRefusalThroughAJdbcUrlPoolKeepsThePhysicalConnection() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("refusal-url", 1)) {
            refuseInsideATransaction(pool, pool, 500);
        }
    }

    @Test
    void aRefusalThroughAWrappedPoolKeepsThePhysicalConnection() throws Exception {
        try (HikariDataSource pool = plainPool("refusal-wrapped", 1)) {
            refuseInsideATransaction(new EnvelopeDataSource(pool, target.configFile().toString()), pool, 600);
        }
    }

    private static void refuseInsideATransaction(DataSource ds, HikariDataSource pool, long id) throws Exception {
        long backend;
        int connections;
        try (Connection c = ds.getConnection()) {
            backend = target.backendId(c);
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
            target.assertOtherRefusals(c, id);
            assertThat(c.isClosed()).as("the pool did not take the connection away").isFalse();
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("nothing was evicted").isEqualTo(connections);
        try (Connection c = ds.getConnection()) {
            assertThat(target.backendId(c)).as("the same physical connection serves the next borrow")
                    .isEqualTo(backend);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM customers WHERE id = " + id)) {
                rs.next();
                assertThat(rs.getInt(1)).as("the insert was rolled back").isZero();
            }
        }
    }

    protected static void insert(DataSource ds, long id, String email, String note) throws SQLException {
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
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String email = "user" + (firstId + i) + "@example.com";
            emails.add(email);
            insert(ds, firstId + i, email, "vip customer " + i);
        }
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, note FROM customers WHERE email = ?")) {
                ps.setString(1, emails.get(1));
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong("id")).isEqualTo(firstId + 1);
                    assertThat(rs.getString("note")).isEqualTo("vip customer 1");
                    assertThat(rs.next()).isFalse();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET note = ? WHERE email = ?")) {
                ps.setString(1, "vip, moved");
                ps.setString(2, emails.get(2));
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
                ps.setString(1, emails.get(0));
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
    }
}
