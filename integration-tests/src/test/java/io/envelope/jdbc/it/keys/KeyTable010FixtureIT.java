package io.envelope.jdbc.it.keys;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.kms.AuditCapture;
import io.envelope.jdbc.kms.LocalKmsProvider;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key table and values exactly as envelope-jdbc 0.1.0 wrote them (fixtures/key-table-0.1.0.sql, the documented
 * DDL without the state columns, with create-key-table: false): they keep working unchanged, the driver does not
 * alter the table by itself, and {@code keys upgrade} authenticates the rows, after which a raw status change is
 * refused. The fixture's table identities are bound into its values, so it always loads into the same schema;
 * an advisory lock keeps parallel runs of this test apart.
 */
class KeyTable010FixtureIT {

    private static final String SCHEMA = "fixture_v010_keys";
    private static final String MASTER_KEY = "AwoRGB8mLTQ7QklQV15lbHN6gYiPlp2kq7K5wMfO1dw=";

    @Test
    void a010KeyTableKeepsWorkingAndIsUpgradedOnlyByTheCommand() throws Exception {
        try (Connection lock = TestDatabase.plainConnection(); Statement locking = lock.createStatement()) {
            locking.execute("SELECT pg_advisory_lock(hashtext('" + SCHEMA + "'))");
            try {
                load();
                Path dir = Files.createTempDirectory("fixture010");
                Path key = dir.resolve("master.key");
                Files.writeString(key, MASTER_KEY + "\n");
                Path config = dir.resolve("envelope.yaml");
                Files.writeString(config, "version: 1\nkms:\n  provider: local\n  master-key-file: " + key + "\n"
                        + "key-table: " + SCHEMA + ".envelope_data_keys\ncreate-key-table: false\n"
                        + "tables:\n  customers:\n    columns:\n      email: { mode: deterministic }\n"
                        + "      note: { mode: randomized }\n");
                EnvelopeRuntimes.clear();
                try (AuditCapture audit = AuditCapture.start(); Connection c = connect(config)) {
                    assertThat(rows(c)).containsExactly("1 ada@example.com first customer",
                            "2 grace@example.com second", "3 alan@example.com ");
                    assertThat(idOf(c, "grace@example.com")).isEqualTo(2);
                    insert(c, 4, "new@example.com", "written by this version");
                    assertThat(idOf(c, "new@example.com")).isEqualTo(4);
                    assertThat(audit.text()).contains("0.1.0 layout");
                }
                assertThat(columns()).as("the driver never alters a 0.1.0 key table by itself")
                        .doesNotContain("state_seq", "state_mac");

                try (KeyRing admin = new KeyRing(SCHEMA + ".envelope_data_keys", false,
                        LocalKmsProvider.ofKey(Base64.getDecoder().decode(MASTER_KEY), "fixture"),
                        TestDatabase::plainConnection, Duration.ofMinutes(10), Clock.systemUTC())) {
                    List<String> report = admin.administration().upgrade();
                    assertThat(report).anySatisfy(line -> assertThat(line).contains("added the columns"))
                            .anySatisfy(line -> assertThat(line).contains(SCHEMA + ".customers: 1 key version(s)"
                                    + " authenticated"));
                    assertThat(admin.administration().upgrade()).anySatisfy(line -> assertThat(line)
                            .contains("already authenticated"));
                }
                EnvelopeRuntimes.clear();
                try (Connection c = connect(config)) {
                    assertThat(rows(c)).hasSize(4).contains("1 ada@example.com first customer");
                    insert(c, 5, "after@example.com", "after the upgrade");
                }
                try (Connection plain = TestDatabase.plainConnection(); Statement s = plain.createStatement()) {
                    s.execute("UPDATE " + SCHEMA + ".envelope_data_keys SET status = 'retiring'");
                }
                EnvelopeRuntimes.clear();
                try (AuditCapture audit = AuditCapture.start(); Connection c = connect(config)) {
                    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                            () -> insert(c, 6, "x@example.com", "refused"));
                    assertThat(refused.getMessage()).startsWith("envelope-jdbc: audit: ").contains("refused");
                    assertThat(audit.text()).contains("key rows refused");
                    assertThat(rows(c)).hasSize(5);   // reading never depends on a status
                }
            } finally {
                EnvelopeRuntimes.clear();
                locking.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                locking.execute("SELECT pg_advisory_unlock(hashtext('" + SCHEMA + "'))");
            }
        }
    }

    private static void load() throws Exception {
        String sql;
        try (InputStream in = KeyTable010FixtureIT.class.getResourceAsStream("/fixtures/key-table-0.1.0.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = TestDatabase.plainConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
            for (String statement : sql.split(";\n")) {
                String body = statement.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n");
                if (!body.isBlank()) {
                    s.execute(body);
                }
            }
        }
    }

    private static Connection connect(Path config) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("envelope.config", config.toString());
        return DriverManager.getConnection(TestDatabase.withSchema(TestDatabase.envelopeUrl(), SCHEMA), properties);
    }

    private static List<String> rows(Connection c) throws SQLException {
        List<String> rows = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, email, note FROM customers ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }

    private static int idOf(Connection c, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM customers WHERE email = ?")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(1);
            }
        }
    }

    private static void insert(Connection c, int id, String email, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email, note) VALUES (?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.setString(3, note);
            ps.executeUpdate();
        }
    }

    private static List<String> columns() throws SQLException {
        List<String> columns = new java.util.ArrayList<>();
        try (Connection c = TestDatabase.plainConnection(); ResultSet rs = c.getMetaData().getColumns(null, SCHEMA,
                "envelope_data_keys", null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME"));
            }
        }
        return columns;
    }
}
