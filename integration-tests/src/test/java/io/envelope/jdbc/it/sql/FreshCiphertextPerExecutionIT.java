package io.envelope.jdbc.it.sql;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.keys.KeyRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A prepared statement encrypts its values at every execution and every addBatch: a randomized value is never
 * stored twice alike (re-executed without re-setting it, added to a batch twice, or written as a literal in the
 * SQL), and every value, literals included, is written under the key version current at that execution.
 */
class FreshCiphertextPerExecutionIT {

    private EncryptedDatabase db;
    private KeyRing admin;

    @BeforeEach
    void setUp() throws Exception {
        // a zero TTL: the wrapper sees a key version added by the admin ring below at its next statement
        db = EncryptedDatabase.create("fresh", """
                  notes:
                    columns:
                      body:  { mode: randomized }
                      email: { mode: deterministic }
                """, "key-cache:\n  ttl: 0s\n");
        db.executePlain("CREATE TABLE notes (id int PRIMARY KEY, body bytea, email text)");
        admin = db.adminKeyRing();
    }

    @AfterEach
    void tearDown() {
        admin.close();
    }

    private List<String> bodies(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM notes ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Set<String> distinct(List<byte[]> raw) {
        Set<String> out = new HashSet<>();
        raw.forEach(b -> out.add(Base64.getEncoder().encodeToString(b)));
        return out;
    }

    /**
     * Adds version 2 and marks version 1 retiring, as a rotation does: randomized values are written under the
     * highest active version, deterministic ones under the lowest.
     */
    private void rotate() throws SQLException {
        String identity = db.schema() + ".notes";
        admin.addVersion(identity);
        admin.setStatus(identity, 1, io.envelope.jdbc.keys.KeyStatus.RETIRING);
    }

    /** The key version a stored value names (bytes 2–5 of its header, docs/format.md). */
    private static int keyVersion(byte[] stored) {
        return ByteBuffer.wrap(stored, 2, 4).getInt();
    }

    @Test
    void reExecutingWithoutSettingTheValueAgainStoresANewCiphertext() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, body) VALUES (?, ?)")) {
            ps.setString(2, "same secret");
            for (int id = 1; id <= 3; id++) {
                ps.setInt(1, id); // only the id changes
                ps.executeUpdate();
            }
            assertThat(bodies(c)).containsExactly("same secret", "same secret", "same secret");
        }
        assertThat(distinct(db.rawBytes("notes", "body", "id"))).hasSize(3);
    }

    @Test
    void batchRowsWithTheSameValueGetDifferentCiphertexts() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, body) VALUES (?, ?)")) {
            ps.setString(2, "batched secret");
            ps.setInt(1, 1);
            ps.addBatch();
            ps.setInt(1, 2);
            ps.addBatch(); // the value was not set again
            ps.setInt(1, 3);
            ps.setString(2, "batched secret"); // set again, equal
            ps.addBatch();
            ps.executeBatch();
            assertThat(bodies(c)).containsOnly("batched secret").hasSize(3);
        }
        assertThat(distinct(db.rawBytes("notes", "body", "id"))).hasSize(3);
    }

    @Test
    void aLiteralInAPreparedStatementIsEncryptedAtEachExecutionUnderTheWriteVersionOfThatMoment() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO notes (id, body, email) VALUES (?, 'literal secret', 'lit@example.org')")) {
            ps.setInt(1, 1);
            ps.executeUpdate();
            ps.setInt(1, 2);
            ps.executeUpdate();
            rotate(); // version 2 becomes the write version of both modes
            ps.setInt(1, 3);
            ps.executeUpdate();
            assertThat(bodies(c)).containsOnly("literal secret").hasSize(3);
            try (PreparedStatement lookup = c.prepareStatement(
                    "SELECT count(*) FROM notes WHERE email = 'lit@example.org'");
                 ResultSet rs = lookup.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("a literal lookup matches both key versions").isEqualTo(3);
            }
        }
        List<byte[]> raw = db.rawBytes("notes", "body", "id");
        assertThat(distinct(raw)).hasSize(3);
        assertThat(raw.stream().map(FreshCiphertextPerExecutionIT::keyVersion).toList()).containsExactly(1, 1, 2);
        List<byte[]> emails = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            emails.add(db.rawBytesOrText("notes", "email", id));
        }
        assertThat(emails.stream().map(FreshCiphertextPerExecutionIT::keyVersion).toList()).containsExactly(1, 1, 2);
    }

    @Test
    void aParameterSetOnceIsWrittenUnderTheWriteVersionOfEachExecution() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, email) VALUES (?, ?)")) {
            ps.setString(2, "once@example.org");
            ps.setInt(1, 1);
            ps.executeUpdate();
            rotate();
            ps.setInt(1, 2);
            ps.executeUpdate();
        }
        assertThat(keyVersion(db.rawBytesOrText("notes", "email", 1))).isEqualTo(1);
        assertThat(keyVersion(db.rawBytesOrText("notes", "email", 2))).isEqualTo(2);
    }
}
