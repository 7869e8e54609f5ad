package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.StatementRefusedException;
import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyStatus;
import io.envelope.jdbc.kms.LocalKmsProvider;
import io.envelope.jdbc.kms.LocalMasterKeys;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a prepared statement routes each setter call, without a database server (H2 in memory as the target): every
 * setter family on an encrypted column stores ciphertext that reads back as the value, the same setters on a
 * plaintext column reach the target as they are, types an encrypted column cannot hold are refused without quoting
 * the value, getters by label answer as getters by index, and a lookup widened for a key version added after the
 * statement was prepared sets its plaintext parameters again on the new target statement.
 */
class ParameterRoutingTest {

    private static final String TEXT = "Grace Hopper, 1906";

    @TempDir
    Path dir;

    private JdbcDataSource h2;
    private EnvelopeDataSource envelope;
    private Path masterKey;

    @BeforeEach
    void setUp() throws Exception {
        masterKey = LocalMasterKeys.write(dir);
        EnvelopeConfig config = ConfigLoader.loadTree(Map.of(
                "version", 1,
                "kms", Map.of("provider", "local", "master-key-file", masterKey.toString()),
                "key-cache", Map.of("ttl", "0s"),
                "tables", Map.of("notes", Map.of("columns", Map.of(
                        "body", Map.of(),
                        "email", Map.of("mode", "deterministic"))))),
                "test", name -> null);
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:routing_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id int PRIMARY KEY, email varbinary(512), body varbinary(512),"
                    + " note varchar(100))");
        }
        envelope = new EnvelopeDataSource(h2, config);
    }

    /** One way of setting a text parameter. */
    private interface TextSetter {
        void set(PreparedStatement ps, int index, String value) throws SQLException;
    }

    private static List<TextSetter> textSetters() {
        return List.of(
                (ps, i, v) -> ps.setString(i, v),
                (ps, i, v) -> ps.setNString(i, v),
                (ps, i, v) -> ps.setObject(i, v),
                (ps, i, v) -> ps.setObject(i, v, Types.VARCHAR),
                (ps, i, v) -> ps.setCharacterStream(i, new StringReader(v)),
                (ps, i, v) -> ps.setCharacterStream(i, new StringReader(v), v.length()),
                (ps, i, v) -> ps.setCharacterStream(i, new StringReader(v), (long) v.length()),
                (ps, i, v) -> ps.setNCharacterStream(i, new StringReader(v)),
                (ps, i, v) -> ps.setClob(i, new StringReader(v)),
                (ps, i, v) -> ps.setNClob(i, new StringReader(v), v.length()),
                (ps, i, v) -> ps.setAsciiStream(i, new ByteArrayInputStream(v.getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void everyTextSetterEncryptsForAnEncryptedColumnAndPassesAPlaintextColumnOn() throws Exception {
        List<TextSetter> setters = textSetters();
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, body, note) VALUES (?, ?, ?)")) {
            for (int i = 0; i < setters.size(); i++) {
                ps.setInt(1, i);
                setters.get(i).set(ps, 2, TEXT + " #" + i);
                setters.get(i).set(ps, 3, TEXT + " #" + i);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, body, note FROM notes ORDER BY id")) {
            for (int i = 0; i < setters.size(); i++) {
                assertThat(rs.next()).isTrue();
                assertThat(new String(rs.getBytes("body"), StandardCharsets.ISO_8859_1)).as("setter %d", i)
                        .doesNotContain("Hopper");
                assertThat(rs.getString("note")).as("plaintext column, setter %d", i).isEqualTo(TEXT + " #" + i);
            }
        }
        try (Connection c = envelope.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, body FROM notes ORDER BY id")) {
            for (int i = 0; i < setters.size(); i++) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("body")).as("setter %d", i).isEqualTo(TEXT + " #" + i);
            }
        }
    }

    @Test
    void typesAnEncryptedColumnCannotHoldAreRefusedWithoutTheValue() throws Exception {
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, body) VALUES (?, ?)")) {
            assertThatThrownBy(() -> ps.setArray(2, null))
                    .isInstanceOfSatisfying(StatementRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RefusalReason.VALUE_TYPE))
                    .hasMessageContaining("NOTES.BODY");
            assertThatThrownBy(() -> ps.setObject(2, c.createArrayOf("VARCHAR", new Object[] {"secret-array"})))
                    .isInstanceOf(StatementRefusedException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-array"));
        }
    }

    @Test
    void gettersByLabelAnswerAsGettersByIndex() throws Exception {
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email, body, note) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, 1);
            ps.setString(2, "g@example.com");
            ps.setString(3, TEXT);
            ps.setString(4, "plain");
            ps.executeUpdate();
        }
        try (Connection c = envelope.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, email, body, note FROM notes")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("body")).isEqualTo(rs.getString(3)).isEqualTo(TEXT);
            assertThat(rs.getString("email")).isEqualTo(rs.getString(2)).isEqualTo("g@example.com");
            assertThat(rs.getObject("body")).isEqualTo(TEXT);
            assertThat(rs.getObject("body", String.class)).isEqualTo(TEXT);
            assertThat(rs.getBytes("body")).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
            assertThat(new String(rs.getBinaryStream("body").readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
            assertThat(rs.getClob("body").getSubString(1, TEXT.length())).isEqualTo(TEXT);
            assertThat(rs.getInt("id")).isEqualTo(1);
            assertThat(rs.getString("note")).isEqualTo("plain");
        }
        try (Connection c = envelope.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, note FROM notes")) {
            // no encrypted column: the getters by label go to the target as they are
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("note")).isEqualTo("plain");
            assertThat(rs.getInt("ID")).isEqualTo(1);
        }
    }

    @Test
    void aLookupWidenedAfterPrepareSetsItsPlaintextParametersAgain() throws Exception {
        insert(1, "w@example.com", "first");
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM notes WHERE email = ? AND id > ? AND note = ?")) {
            ps.setInt(2, 0);
            ps.setString(3, "first");
            ps.setString(1, "w@example.com");
            assertThat(ids(ps)).containsExactly(1);
            rotate();
            insert(2, "w@example.com", "first"); // written under version 2
            // the statement was prepared for one candidate ciphertext; it now needs two, and parameters 2 and 3
            // (set before the rotation, not set again) must reach the statement prepared for them
            assertThat(ids(ps)).containsExactly(1, 2);
        }
        insert(3, "other@example.com", "third");
        try (Connection c = envelope.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notes WHERE email <> ?")) {
                ps.setString(1, "w@example.com");
                assertThat(ids(ps)).containsExactly(3);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM notes WHERE email = 'w@example.com' OR email IN ('other@example.com')")) {
                assertThat(ids(ps)).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void aLookupWithAStreamedPlaintextParameterIsRefusedWhenItMustBeWidened() throws Exception {
        insert(1, "s@example.com", "streamed");
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM notes WHERE email = ? AND note = ?")) {
            ps.setString(1, "s@example.com");
            ps.setCharacterStream(2, new StringReader("streamed"));
            rotate();
            assertThatThrownBy(ps::executeQuery)
                    .isInstanceOfSatisfying(StatementRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RefusalReason.KEY_VERSIONS))
                    .hasMessageContaining("stream or reader");
        }
    }

    private void insert(int id, String email, String note) throws SQLException {
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email, note) VALUES (?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.setString(3, note);
            ps.executeUpdate();
        }
    }

    /** Adds key version 2 for the table, as {@code keys rotate} does. */
    private void rotate() throws Exception {
        byte[] master = Base64.getDecoder().decode(Files.readString(masterKey).trim());
        try (KeyRing admin = new KeyRing("envelope_data_keys", true, LocalKmsProvider.ofKey(master, "test"),
                h2::getConnection, Duration.ofMinutes(10), Clock.systemUTC())) {
            assertThat(admin.addVersion("PUBLIC.NOTES").keyVersion()).isEqualTo(2);
            admin.setStatus("PUBLIC.NOTES", 1, KeyStatus.RETIRING);
        }
    }

    private static List<Integer> ids(PreparedStatement ps) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        ids.sort(null);
        return ids;
    }
}
