package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.EnvelopeDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real MySQL 8 server (Testcontainers' {@code mysql:8.4}), through {@code jdbc:envelope:mysql://…?permitMysqlScheme}
 * with MariaDB Connector/J: the round trip, MySQL 8's own forms (the {@code AS new} row alias of
 * {@code ON DUPLICATE KEY UPDATE}, {@code FOR SHARE}), and a scan of what the server stores. It needs a Docker
 * engine; without one it does not run, and says so (the MySQL-family suite runs against MariaDB 10.11 instead).
 */
class MySql8ServerIT {

    private static final String NO_SERVER = "no Docker engine here, so no MySQL 8 server can be started: the "
            + "MySQL-family suite ran against the MariaDB server instead (README, Supported databases)";

    private static MySQLContainer<?> server;

    @TempDir
    static Path dir;

    private static Path config;

    @BeforeAll
    static void start() throws Exception {
        if (!dockerAvailable()) {
            System.out.println("MySql8ServerIT: " + NO_SERVER + "; its tests are reported as skipped");
            return; // and each test says why it did not run
        }
        server = new MySQLContainer<>("mysql:8.4");
        server.start();
        new EnvelopeDriver();
        Class.forName("org.mariadb.jdbc.Driver");
        Path masterKey = dir.resolve("master.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(masterKey, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        config = dir.resolve("envelope.yaml");
        Files.writeString(config, """
                version: 1
                kms: { provider: local, master-key-file: %s }
                tables:
                  customers:
                    columns:
                      email: { mode: deterministic }
                      note:  { mode: randomized }
                """.formatted(masterKey));
        try (Connection plain = DriverManager.getConnection(url(false)); Statement s = plain.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, email VARBINARY(255), note TEXT, name VARCHAR(50))");
        }
    }

    /** Stops a test that cannot run here, saying why (a skip the report shows, never a pass). */
    private static void needsServer() {
        Assumptions.assumeTrue(server != null, NO_SERVER);
    }

    private static Connection envelope() throws SQLException {
        Properties p = new Properties();
        p.setProperty("envelope.config", config.toString());
        return DriverManager.getConnection(url(true), p);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String url(boolean envelope) {
        String base = "jdbc:mysql://" + server.getHost() + ":" + server.getMappedPort(3306) + "/"
                + server.getDatabaseName() + "?permitMysqlScheme&allowPublicKeyRetrieval=true&user="
                + server.getUsername() + "&password=" + server.getPassword();
        return envelope ? "jdbc:envelope:" + base.substring("jdbc:".length()) : base;
    }

    @Test
    void theUrlSwapWorksOnMySql8AndTheServerHoldsOnlyCiphertext() throws Exception {
        needsServer();
        try (Connection c = envelope()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email, note, name) VALUES "
                    + "(?, ?, ?, ?) AS new ON DUPLICATE KEY UPDATE email = new.email, note = new.note")) {
                for (int round = 0; round < 2; round++) {
                    ps.setInt(1, 1);
                    ps.setString(2, "zq-mysql8-" + round + "@example.com");
                    ps.setString(3, "zq-note-" + round);
                    ps.setString(4, "n");
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, note FROM customers WHERE email = ? FOR SHARE")) {
                ps.setString(1, "zq-mysql8-1@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("zq-note-1");
                }
            }
        }
        try (Connection plain = DriverManager.getConnection(url(false)); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, note FROM customers")) {
            while (rs.next()) {
                byte[] email = rs.getBytes(1);
                assertThat(email == null ? "" : new String(email, StandardCharsets.ISO_8859_1)).doesNotContain("zq-");
                assertThat(rs.getString(2)).doesNotContain("zq-");
            }
        }
    }

    @Test
    void aSessionModeChangeIsFollowedOnMySql8() throws SQLException {
        needsServer();
        try (Connection c = envelope(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
            s.executeUpdate("INSERT INTO customers (id, name, note) VALUES (2, 'back\\\\', 'zq-nbe')");
            try (ResultSet rs = s.executeQuery("SELECT name, note FROM customers WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("back\\\\");
                assertThat(rs.getString(2)).isEqualTo("zq-nbe");
            }
        }
    }
}
