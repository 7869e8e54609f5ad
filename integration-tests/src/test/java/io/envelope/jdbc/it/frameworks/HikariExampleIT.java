package io.envelope.jdbc.it.frameworks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.driver.EnvelopeConnection;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HikariCP 7 in front of envelope-jdbc, the three ways a user sets it up (see config-examples/hikari.properties
 * and docs/integrations.md):
 * <ol>
 *   <li>{@code jdbcUrl=jdbc:envelope:postgresql://…} — Hikari loads the wrapper through DriverManager;</li>
 *   <li>{@code dataSourceClassName=io.envelope.jdbc.EnvelopeDataSource} with bean properties;</li>
 *   <li>an existing HikariDataSource wrapped: {@code new EnvelopeDataSource(hikari, config)}.</li>
 * </ol>
 * Each does CRUD by a deterministic column, and plain pgJDBC shows the columns hold ciphertext.
 */
class HikariExampleIT {

    private static EncryptedDatabase db;

    @BeforeAll
    static void schema() throws Exception {
        db = EncryptedDatabase.create("hikari", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                      note:  { mode: randomized, pad: 16 }
                """);
        db.executePlain("CREATE TABLE customers (id bigint PRIMARY KEY, email bytea UNIQUE, note text, plan text)");
    }

    /** 1. The URL swap: the only line that differs from a plain Hikari setup is the jdbcUrl. */
    static HikariDataSource byJdbcUrl(String poolName) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(db.envelopeUrl());                                      // jdbc:envelope:postgresql://…
        config.addDataSourceProperty("envelope.config", db.configFile().toString());
        config.addDataSourceProperty("prepareThreshold", "1");                    // pgJDBC's statement caching
        config.setMaximumPoolSize(2);
        // no connectionTestQuery: Hikari validates with Connection.isValid, answered by pgJDBC through the wrapper
        return new HikariDataSource(config);
    }

    @Test
    void jdbcUrlPool() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("envelope-url")) {
            crudThrough(pool, 1);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isWrapperFor(EnvelopeConnection.class)).isTrue();
                assertThat(c.unwrap(PGConnection.class)).isNotNull();
                assertThat(c.isValid(2)).isTrue();
            }
        }
        Ciphertext.assertStoredAsCiphertext(db, "customers", "email", "@example.com");
        Ciphertext.assertStoredAsCiphertext(db, "customers", "note", "vip");
    }

    @Test
    void dataSourceClassNamePool() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("envelope-bean");
        config.setDataSourceClassName("io.envelope.jdbc.EnvelopeDataSource");
        config.addDataSourceProperty("url", db.envelopeUrl());
        config.addDataSourceProperty("configLocation", db.configFile().toString());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThat(pool.isWrapperFor(EnvelopeDataSource.class)).isTrue();
            crudThrough(pool, 100);
        }
        Ciphertext.assertStoredAsCiphertext(db, "customers", "email", "@example.com");
    }

    @Test
    void wrappingAnExistingPool() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("plain-pool");
        config.setJdbcUrl(TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()));   // the plain pgJDBC URL
        config.setMaximumPoolSize(2);
        try (HikariDataSource hikari = new HikariDataSource(config)) {
            DataSource encrypted = new EnvelopeDataSource(hikari, db.configFile().toString());
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
        Ciphertext.assertStoredAsCiphertext(db, "customers", "email", "@example.com");
    }

    /** Validation: a connection killed behind the pool's back is found dead by isValid and replaced. */
    @Test
    void poolValidationReplacesADeadConnection() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("envelope-validate")) {
            pool.setMaximumPoolSize(1);
            int pid;
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (Connection plain = db.plain(); Statement s = plain.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            Thread.sleep(700);   // past Hikari's 500 ms window in which a recently used connection is not re-checked
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                assertThat(rs.getInt(1)).as("a fresh backend").isNotEqualTo(pid);
            }
            crudThrough(pool, 300);
        }
    }

    /** pgJDBC's server-side prepared statements (prepareThreshold) are used for the wrapper's statements. */
    @Test
    void statementCachingWorks() throws Exception {
        try (HikariDataSource pool = byJdbcUrl("envelope-cache")) {
            insert(pool, 400, "cache@example.com", "n");
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT id, note FROM customers WHERE email = ?")) {
                for (int i = 0; i < 5; i++) {
                    ps.setString(1, "cache@example.com");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(400);
                        assertThat(rs.getString(2)).isEqualTo("n");
                    }
                }
                assertThat(ps.unwrap(PGStatement.class).isUseServerPrepare())
                        .as("the statement runs as a named server-side prepared statement").isTrue();
            }
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
