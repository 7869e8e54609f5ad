package io.envelope.jdbc.it.frameworks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A refused statement is an application error on a healthy connection: through HikariCP it reaches the caller as
 * the envelope-jdbc error, the transaction rolls back cleanly, and the physical connection stays in the pool (the
 * same backend serves the next borrow). With SQLState 0A000, HikariCP marked the connection broken and closed it.
 */
class PooledRefusalIT {

    private static EncryptedDatabase db;

    @BeforeAll
    static void schema() throws Exception {
        db = EncryptedDatabase.create("pooledrefusal", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE customers (id bigint PRIMARY KEY, email bytea)");
    }

    @Test
    void aRefusalThroughAJdbcUrlPoolKeepsThePhysicalConnection() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("refusal-url");
        config.setJdbcUrl(db.envelopeUrl());
        config.addDataSourceProperty("envelope.config", db.configFile().toString());
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            refuseInsideATransaction(pool, pool, 1);
        }
    }

    @Test
    void aRefusalThroughAWrappedPoolKeepsThePhysicalConnection() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("refusal-wrapped");
        config.setJdbcUrl(TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()));
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            refuseInsideATransaction(new EnvelopeDataSource(pool, db.configFile().toString()), pool, 100);
        }
    }

    private static void refuseInsideATransaction(DataSource ds, HikariDataSource pool, long id) throws Exception {
        int backend;
        int connections;
        try (Connection c = ds.getConnection()) {
            backend = backendPid(c);
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
            assertThat(c.isClosed()).as("the pool did not take the connection away").isFalse();
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("nothing was evicted").isEqualTo(connections);
        try (Connection c = ds.getConnection()) {
            assertThat(backendPid(c)).as("the same physical connection serves the next borrow").isEqualTo(backend);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM customers WHERE id = " + id)) {
                rs.next();
                assertThat(rs.getInt(1)).as("the insert was rolled back").isZero();
            }
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
