package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key versions and tampering on MariaDB: after a rotation a lookup on a deterministic column matches values
 * written under every non-retired version — MySQL has no arrays, so a lookup prepared for one version and run after
 * a second one was added is sent as {@code IN (…)} / {@code NOT IN (…)} over the candidates — by parameter and by
 * literal, in SELECT, UPDATE and DELETE; and a stored value that was altered, moved to another column or row of
 * another table, fails to decrypt instead of reading back wrong.
 */
class MariaDbKeyVersionsIT {

    private EncryptedMariaDb db;
    private KeyRing admin;
    private String identity;

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedMariaDb.create("keyversions_my", """
                  t:
                    columns:
                      email: { mode: deterministic }
                      code:  { mode: deterministic }
                      note:  { mode: randomized }
                  other:
                    columns:
                      email: { mode: deterministic }
                """, "key-cache:\n  ttl: 0s\n");
        db.executePlain("CREATE TABLE t (id INT PRIMARY KEY, email VARBINARY(255), code TEXT, note BLOB)",
                "CREATE TABLE other (id INT PRIMARY KEY, email VARBINARY(255))");
        identity = db.database() + ".t";
        admin = db.adminKeyRing();
    }

    @AfterEach
    void tearDown() {
        admin.close();
    }

    private static void insert(Connection c, int id, String email, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, email, code, note) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.setString(3, code);
            ps.setString(4, "note " + id);
            ps.executeUpdate();
        }
    }

    private static List<Integer> ids(PreparedStatement ps) throws SQLException {
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

    /** Adds version 2 (active) and marks version 1 retiring, as {@code reencrypt} does. */
    private void rotate() throws SQLException {
        assertThat(admin.addVersion(identity).keyVersion()).isEqualTo(2);
        admin.setStatus(identity, 1, KeyStatus.RETIRING);
    }

    @Test
    void lookupsMatchValuesWrittenUnderEveryNonRetiredVersion() throws Exception {
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
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO other (id, email) VALUES (1, ?)")) {
                ps.setString(1, "c@x");
                ps.executeUpdate();
            }
        }
        // a flipped byte; another table's value of a column of the same name; another column's value
        db.executePlain("UPDATE t SET email = CONCAT(LEFT(email, LENGTH(email) - 1), "
                        + "CHAR(ASCII(RIGHT(email, 1)) ^ 1)) WHERE id = 1",
                "UPDATE t SET email = (SELECT email FROM other WHERE id = 1) WHERE id = 2",
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
