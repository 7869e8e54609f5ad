package io.envelope.jdbc.it.sql;

import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lookups on deterministic columns stay exact while a table has several key versions (see docs/format.md, Keys;
 * README, Command line) on whichever database a subclass names ({@link KeyVersionTarget}): after a rotation a
 * lookup matches values written under every non-retired version — by parameter and by literal, in SELECT, UPDATE
 * and DELETE, for statements prepared before the rotation too (PostgreSQL sends {@code = ANY (…)}; MySQL has no
 * arrays, so MariaDB gets {@code IN (…)} / {@code NOT IN (…)} over the candidates). Lookups also match while
 * accept-plaintext columns still hold plaintext; literals in SQL text are encrypted in place; and a stored value
 * that was altered, or moved to another column or another table's row, fails to decrypt instead of reading back
 * wrong.
 */
public abstract class KeyVersionScenarios {

    // The second table is not called "other": with t configured, the wrapper stored a table's values as plaintext
    // when its name contains another configured table's name (seen 2026-12, reported, not yet fixed).
    private static final String TABLES = """
              t:
                columns:
                  email:   { mode: deterministic }
                  code:    { mode: deterministic }
                  n:       { mode: deterministic, type: int }
                  legacy:  { mode: deterministic, accept-plaintext: true }
                  legacyb: { mode: deterministic, accept-plaintext: true }
                  note:    { mode: randomized }
              elsewhere:
                columns:
                  email: { mode: deterministic }
            """;

    private final KeyVersionTarget target;
    protected EncryptedPlace db;
    private KeyRing admin;
    private String identity;

    protected KeyVersionScenarios(KeyVersionTarget target) {
        this.target = target;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = target.create("keyversions", TABLES, "key-cache:\n  ttl: 0s\n");
        db.executePlain(target.createTables());
        identity = target.identityOfT(db);
        admin = db.adminKeyRing();
    }

    @AfterEach
    void tearDown() {
        admin.close();
    }

    protected static void insert(Connection c, int id, String email, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into t (id, email, code, note) values (?, ?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.setString(3, code);
            ps.setString(4, "note " + id);
            ps.executeUpdate();
        }
    }

    protected static List<Integer> ids(PreparedStatement ps) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private static List<Integer> ids(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            return ids(ps);
        }
    }

    /** The stored bytes of t.email, row by row, read with the plain driver. */
    private List<byte[]> storedEmails() throws SQLException {
        List<byte[]> values = new ArrayList<>();
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM t ORDER BY id")) {
            while (rs.next()) {
                values.add(rs.getBytes(1));
            }
        }
        return values;
    }

    /** Adds version 2 (active) and marks version 1 retiring, as {@code reencrypt} does. */
    protected void rotate() throws SQLException {
        assertThat(admin.addVersion(identity).keyVersion()).isEqualTo(2);
        admin.setStatus(identity, 1, KeyStatus.RETIRING);
    }

    @Test
    void lookupsMatchValuesWrittenUnderEveryNonRetiredVersion() throws Exception {
        try (Connection c = db.connect()) {
            insert(c, 1, "a@x", "k1");
            rotate();
            insert(c, 2, "b@x", "k2");
            // the two rows' email ciphertexts name different key versions (byte 2 of the header onwards)
            List<byte[]> raw = storedEmails();
            assertThat(raw.get(0)).isNotEqualTo(raw.get(1));

            assertThat(ids(c, "select id from t where email = ?", "a@x")).containsExactly(1);
            assertThat(ids(c, "select id from t where email = ?", "b@x")).containsExactly(2);
            assertThat(ids(c, "select id from t where code = ?", "k1")).containsExactly(1);
            assertThat(ids(c, "select id from t where email in (?, ?) order by id", "a@x", "b@x"))
                    .containsExactly(1, 2);
            assertThat(ids(c, "select id from t where email <> ? order by id", "a@x")).containsExactly(2);
            assertThat(ids(c, "select id from t where email not in (?) order by id", "b@x")).containsExactly(1);
            assertThat(ids(c, "select id from t where email = ? and id > ?", "a@x", 0)).containsExactly(1);
            assertThat(ids(c, "select id from t where email = ? and id > ?", "a@x", 1)).isEmpty();
            assertThat(ids(c, "select id from t where email = ?", new Object[]{null})).isEmpty();

            // UPDATE and DELETE by a v1 value; a batch whose rows use both versions
            try (PreparedStatement ps = c.prepareStatement("update t set code = ? where email = ?")) {
                ps.setString(1, "u1");
                ps.setString(2, "a@x");
                ps.addBatch();
                ps.setString(1, "u2");
                ps.setString(2, "b@x");
                ps.addBatch();
                assertThat(ps.executeBatch()).containsExactly(1, 1);
            }
            assertThat(ids(c, "select id from t where code = ?", "u1")).containsExactly(1);
            assertThat(ids(c, "select id from t where code = ?", "u2")).containsExactly(2);

            // a lookup the driver cannot widen is refused while there are two versions
            assertThatThrownBy(() -> c.prepareStatement("select id from t where ? = email"))
                    .hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("t.email");

            try (PreparedStatement ps = c.prepareStatement("delete from t where email = ?")) {
                ps.setString(1, "a@x");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
    }

    @Test
    void singleVersionLookupsSendTheApplicationsSql() throws Exception {
        try (Connection c = db.connect()) {
            insert(c, 1, "a@x", "k1");
            try (PreparedStatement ps = c.prepareStatement("select id from t where email = ?")) {
                ps.setString(1, "a@x");
                assertThat(ids(ps)).containsExactly(1);
                assertThat(ps.unwrap(PreparedStatement.class).toString()).doesNotContain(target.widenedLookupMarker());
            }
            // a statement prepared before a version was added is prepared again with the widened SQL at its
            // next execution, its plaintext parameters set again
            try (PreparedStatement ps = c.prepareStatement("select id from t where email = ? and id > ?")) {
                ps.setInt(2, 0);
                rotate();
                insert(c, 2, "a@x", "k2");
                ps.setString(1, "a@x");
                assertThat(ids(ps)).containsExactly(1, 2);
            }
            // ... except where that cannot be done exactly: rows already in its batch
            try (PreparedStatement ps = c.prepareStatement("update t set code = ? where email = ?")) {
                ps.setString(1, "b1");
                ps.setString(2, "a@x");
                ps.addBatch();
                admin.addVersion(identity);
                ps.setString(1, "b2");
                assertThatThrownBy(ps::addBatch).hasMessageStartingWith("envelope-jdbc: ")
                        .hasMessageContaining("batch").hasMessageContaining("Prepare the statement again");
            }
            assertThat(ids(c, "select id from t where email = ? order by id", "a@x")).containsExactly(1, 2);
        }
    }

    @Test
    void acceptPlaintextLookupsMatchTheStoredPlaintextForm() throws Exception {
        db.executePlain(target.insertPlaintextLegacyRow());
        try (Connection c = db.connect()) {
            try (PreparedStatement ps = c.prepareStatement("insert into t (id, legacy, legacyb) values (?, ?, ?)")) {
                ps.setInt(1, 11);
                ps.setString(2, "enc-l");
                ps.setString(3, "enc-b");
                ps.executeUpdate();
            }
            assertThat(ids(c, "select id from t where legacy = ?", "plain-l")).containsExactly(10);
            assertThat(ids(c, "select id from t where legacy = ?", "enc-l")).containsExactly(11);
            assertThat(ids(c, "select id from t where legacyb = ?", "plain-b")).containsExactly(10);
            assertThat(ids(c, "select id from t where legacyb in (?, ?) order by id", "enc-b", "plain-b"))
                    .containsExactly(10, 11);
            assertThat(ids(c, "select id from t where legacy <> ? order by id", "plain-l")).containsExactly(11);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select id from t where legacy = 'plain-l'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(10);
            }
        }
    }

    @Test
    void literalsAreEncryptedInPlace() throws Exception {
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("insert into t (id, email, code, n) values (3, 'c@x', 'k''3', 42)"))
                        .isEqualTo(1);
                s.addBatch("insert into t (id, email, code) values (4, 'd@x', 'k4')");
                s.addBatch("update t set code = 'k5' where email = 'd@x'");
                assertThat(s.executeBatch()).containsExactly(1, 1);
                try (ResultSet rs = s.executeQuery("select email, code, n from t where email = 'c@x' and n = 42")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("c@x");
                    assertThat(rs.getString(2)).isEqualTo("k'3");
                    assertThat(rs.getInt(3)).isEqualTo(42);
                }
            }
            // a literal inside a prepared statement's text, beside a parameter
            assertThat(ids(c, "select id from t where code in ('k5', ?) order by id", "k'3")).containsExactly(3, 4);
            rotate();
            assertThat(ids(c, "select id from t where email = 'c@x'")).containsExactly(3);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into t (id, email) values (5, 'e@x')");
                try (ResultSet rs = s.executeQuery("select id from t where email in ('c@x', 'e@x') order by id")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(5);
                }
            }
        }
        // what the database holds: no plaintext
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("select email, code, n from t order by id")) {
            while (rs.next()) {
                byte[] email = rs.getBytes(1);
                assertThat(new String(email, StandardCharsets.ISO_8859_1)).doesNotContain("@x");
                String code = rs.getString(2);
                if (code != null) {
                    assertThat(code).doesNotStartWith("k");
                    assertThat(Base64.getDecoder().decode(code)).isNotEmpty();
                }
            }
        }
    }

    @Test
    void statementsPreparedBeforeARotationAndLiteralLookupsMatchEveryVersion() throws Exception {
        try (Connection c = db.connect()) {
            insert(c, 1, "a@x", "k1");
            try (PreparedStatement before = c.prepareStatement("SELECT id FROM t WHERE email = ? ORDER BY id");
                 PreparedStatement notBefore = c.prepareStatement("SELECT id FROM t WHERE email <> ? ORDER BY id")) {
                rotate();
                insert(c, 2, "b@x", "k2");
                before.setString(1, "a@x");
                assertThat(ids(before)).as("prepared before the rotation, widened after it").containsExactly(1);
                before.setString(1, "b@x");
                assertThat(ids(before)).containsExactly(2);
                notBefore.setString(1, "a@x");
                assertThat(ids(notBefore)).containsExactly(2);
            }
            assertThat(ids(c, "SELECT id FROM t WHERE email = ?", "a@x")).containsExactly(1);
            assertThat(ids(c, "SELECT id FROM t WHERE code = ?", "k2")).containsExactly(2);
            assertThat(ids(c, "SELECT id FROM t WHERE email IN (?, ?) ORDER BY id", "a@x", "b@x"))
                    .containsExactly(1, 2);
            assertThat(ids(c, "SELECT id FROM t WHERE email NOT IN (?) ORDER BY id", "b@x")).containsExactly(1);
            assertThat(ids(c, "SELECT id FROM t WHERE email = 'a@x'")).as("a literal lookup").containsExactly(1);
            assertThat(ids(c, "SELECT id FROM t WHERE code <> 'k1'")).containsExactly(2);
            try (PreparedStatement ps = c.prepareStatement("UPDATE t SET note = ? WHERE email = ?")) {
                ps.setString(1, "changed");
                ps.setString(2, "a@x");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("DELETE FROM t WHERE code = 'k2'")).isEqualTo(1);
                try (ResultSet rs = s.executeQuery("SELECT id, note FROM t")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                    assertThat(rs.getString(2)).isEqualTo("changed");
                    assertThat(rs.next()).isFalse();
                }
            }
        }
    }

    @Test
    void anAlteredOrMovedValueFailsToDecrypt() throws Exception {
        try (Connection c = db.connect()) {
            insert(c, 1, "a@x", "k1");
            insert(c, 2, "b@x", "k2");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO elsewhere (id, email) VALUES (1, ?)")) {
                ps.setString(1, "c@x");
                ps.executeUpdate();
            }
        }
        // what is moved from elsewhere is that table's ciphertext, so that only its binding to its table refuses it
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM elsewhere WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("c@x");
        }
        // a flipped byte; another table's value of a column of the same name; another column's value
        db.executePlain(target.flipLastByteOfEmailInRow1(),
                "UPDATE t SET email = (SELECT email FROM elsewhere WHERE id = 1) WHERE id = 2",
                "UPDATE t SET note = (SELECT email FROM (SELECT email FROM t WHERE id = 2) x) WHERE id = 2");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String column : new String[] {"email", "note"}) {
                for (int id : new int[] {1, 2}) {
                    if (column.equals("note") && id == 1) {
                        continue; // untouched
                    }
                    try (ResultSet rs = s.executeQuery("SELECT " + column + " FROM t WHERE id = " + id)) {
                        assertThat(rs.next()).isTrue();
                        assertThatThrownBy(() -> rs.getString(1)).as(column + " of row " + id)
                                .isInstanceOf(SQLException.class).hasMessageStartingWith("envelope-jdbc: ")
                                .hasMessageContaining("t." + column);
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT note FROM t WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("note 1");
            }
        }
    }
}
