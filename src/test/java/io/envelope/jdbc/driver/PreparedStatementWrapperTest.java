package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.kms.LocalMasterKeys;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The prepared-statement wrapper without a database server (H2 in memory as the target): encrypted parameters are
 * recorded and encrypted at each execution, re-executions and batch rows get fresh ciphertexts, clearParameters
 * forgets them, deterministic lookups bind, and the getters answer with the plaintext.
 */
class PreparedStatementWrapperTest {

    @TempDir
    Path dir;

    private JdbcDataSource h2;
    private EnvelopeDataSource envelope;

    @BeforeEach
    void setUp() throws Exception {
        Path masterKey = LocalMasterKeys.write(dir);
        EnvelopeConfig config = ConfigLoader.loadTree(Map.of(
                "version", 1,
                "kms", Map.of("provider", "local", "master-key-file", masterKey.toString()),
                "tables", Map.of("notes", Map.of("columns", Map.of(
                        "body", Map.of(),
                        "email", Map.of("mode", "deterministic"))))),
                "test", name -> null);
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:wrapper_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id int PRIMARY KEY, email varbinary(512), body varbinary(512))");
        }
        envelope = new EnvelopeDataSource(h2, config);
    }

    @Test
    void reExecutingWithoutSettingAgainStoresAFreshCiphertextOfTheSameValue() throws Exception {
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email, body) VALUES (?, ?, ?)")) {
            ps.setString(2, "a@example.com");
            ps.setString(3, "the same secret");
            for (int id = 1; id <= 3; id++) {
                ps.setInt(1, id);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        List<byte[]> bodies = raw("body");
        List<byte[]> emails = raw("email");
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(0)).isNotEqualTo(bodies.get(1)).isNotEqualTo(bodies.get(2));
        assertThat(bodies.get(1)).isNotEqualTo(bodies.get(2));
        assertThat(emails.get(0)).isEqualTo(emails.get(1)).isEqualTo(emails.get(2)); // deterministic
        assertThat(readBodies()).containsExactly("the same secret", "the same secret", "the same secret");
    }

    @Test
    void batchRowsWithTheSameValueAreEncryptedApart() throws Exception {
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email, body) VALUES (?, ?, ?)")) {
            for (int id = 1; id <= 4; id++) {
                ps.setInt(1, id);
                ps.setString(2, "b@example.com");
                ps.setString(3, "batched");
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).containsExactly(1, 1, 1, 1);
        }
        List<byte[]> bodies = raw("body");
        for (int i = 0; i < bodies.size(); i++) {
            for (int j = i + 1; j < bodies.size(); j++) {
                assertThat(bodies.get(i)).isNotEqualTo(bodies.get(j));
            }
        }
        assertThat(readBodies()).containsOnly("batched").hasSize(4);
    }

    @Test
    void clearParametersForgetsARecordedValue() throws Exception {
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email, body) VALUES (?, ?, ?)")) {
            ps.setInt(1, 1);
            ps.setString(2, "c@example.com");
            ps.setString(3, "set, then cleared");
            ps.clearParameters();
            ps.setInt(1, 1);
            ps.setString(2, "c@example.com");
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class);
        }
        assertThat(raw("body")).isEmpty();
    }

    @Test
    void aDeterministicLookupBindsTheCiphertextAndTheGettersAnswerWithPlaintext() throws Exception {
        try (Connection c = envelope.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email, body) VALUES (?, ?, ?)")) {
                ps.setInt(1, 7);
                ps.setString(2, "d@example.com");
                ps.setString(3, "found by email");
                ps.executeUpdate();
                ps.setInt(1, 8);
                ps.setString(2, "e@example.com");
                ps.setString(3, "another");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, email, body FROM notes WHERE email = ?")) {
                ps.setString(1, "d@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("id")).isEqualTo(7);
                    assertThat(rs.getString(2)).isEqualTo("d@example.com");
                    assertThat(rs.getString("body")).isEqualTo("found by email");
                    assertThat(rs.getObject(3)).isEqualTo("found by email");
                    assertThat(rs.getObject("body", String.class)).isEqualTo("found by email");
                    assertThat(rs.getBytes(3)).isEqualTo("found by email".getBytes(StandardCharsets.UTF_8));
                    assertThat(rs.wasNull()).isFalse();
                    assertThat(rs.next()).isFalse();
                }
            }
        }
        for (byte[] stored : raw("email")) {
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("example.com");
        }
    }

    @Test
    void aNullStaysNull() throws Exception {
        try (Connection c = envelope.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email, body) VALUES (?, ?, ?)")) {
                ps.setInt(1, 1);
                ps.setNull(2, java.sql.Types.VARCHAR);
                ps.setString(3, null);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT email, body FROM notes")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isNull();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getObject(2)).isNull();
            }
        }
    }

    @Test
    void aValueReadTwiceInARowIsDecryptedOnceAndEachRowAndNullAnswersForItself() throws Exception {
        try (Connection c = envelope.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email, body) VALUES (?, ?, ?)")) {
                for (int id = 1; id <= 2; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, id == 1 ? null : "b@example.com");
                    ps.setString(3, "secret " + id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, email, body FROM notes ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                long before = EnvelopeMetrics.snapshot().decryptions();
                assertThat(rs.getString(3)).isEqualTo("secret 1");
                assertThat(rs.getObject("body")).isEqualTo("secret 1");
                assertThat(rs.getString(3)).isEqualTo("secret 1");
                assertThat(EnvelopeMetrics.snapshot().decryptions() - before).as("decrypted once").isEqualTo(1);
                assertThat(rs.getString(2)).isNull();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getString(3)).isEqualTo("secret 1");
                assertThat(rs.wasNull()).as("answered from the row, after reading a NULL").isFalse();
                assertThat(rs.getString(2)).isNull();
                assertThat(rs.wasNull()).isTrue();

                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(3)).as("the next row's own value").isEqualTo("secret 2");
                assertThat(rs.getString(2)).isEqualTo("b@example.com");
                assertThat(rs.wasNull()).isFalse();
                assertThat(EnvelopeMetrics.snapshot().decryptions() - before).isEqualTo(3);
            }
        }
    }

    private List<byte[]> raw(String column) throws SQLException {
        List<byte[]> values = new ArrayList<>();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM notes ORDER BY id")) {
            while (rs.next()) {
                values.add(rs.getBytes(1));
            }
        }
        return values;
    }

    private List<String> readBodies() throws SQLException {
        List<String> bodies = new ArrayList<>();
        try (Connection c = envelope.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM notes WHERE id > 0")) {
            while (rs.next()) {
                bodies.add(rs.getString(1));
            }
        }
        return bodies;
    }
}
