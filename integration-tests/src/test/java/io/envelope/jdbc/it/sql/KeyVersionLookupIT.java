package io.envelope.jdbc.it.sql;

import io.envelope.jdbc.it.EncryptedDatabase;
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
 * Lookups on deterministic columns stay exact while a table has several key versions (see docs/format.md, Keys; README, Command line), and
 * while accept-plaintext columns still hold plaintext; literals in SQL text are encrypted in place.
 */
class KeyVersionLookupIT {

    private static final String TABLES = ""
            + "  t:\n"
            + "    columns:\n"
            + "      email: { mode: deterministic }\n"
            + "      code: { mode: deterministic }\n"
            + "      n: { mode: deterministic, type: int }\n"
            + "      legacy: { mode: deterministic, accept-plaintext: true }\n"
            + "      legacyb: { mode: deterministic, accept-plaintext: true }\n";

    private EncryptedDatabase db;
    private KeyRing admin;
    private String identity;

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedDatabase.create("keyversions", TABLES, "key-cache:\n  ttl: 0s\n");
        db.executePlain("CREATE TABLE t (id int PRIMARY KEY, email bytea, code text, n bytea, legacy text, "
                + "legacyb bytea)");
        identity = db.schema() + ".t";
        admin = db.adminKeyRing();
    }

    @AfterEach
    void tearDown() {
        admin.close();
    }

    private static void insert(Connection c, int id, String email, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into t (id, email, code) values (?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.setString(3, code);
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
    void parameterMetadataDescribesTheApplicationsParametersWhenALookupIsWidened() throws Exception {
        try (Connection c = db.connect()) {
            insert(c, 1, "a@x", "k1");
            rotate();
            try (PreparedStatement ps = c.prepareStatement("select id from t where email = ? and id > ?")) {
                java.sql.ParameterMetaData metaData = ps.getParameterMetaData();
                assertThat(metaData.getParameterCount()).as("2 application parameters, 3 in the SQL sent")
                        .isEqualTo(2);
                assertThat(metaData.getParameterType(1)).isEqualTo(java.sql.Types.VARCHAR);
                assertThat(metaData.getParameterType(2)).isEqualTo(java.sql.Types.INTEGER);
                ps.setString(1, "a@x");
                ps.setInt(2, 0);
                assertThat(ids(ps)).containsExactly(1);
            }
        }
    }

    @Test
    void lookupsMatchValuesWrittenUnderEveryNonRetiredVersion() throws Exception {
        try (Connection c = db.connect()) {
            insert(c, 1, "a@x", "k1");
            rotate();
            insert(c, 2, "b@x", "k2");
            // the two rows' email ciphertexts name different key versions (byte 2 of the header onwards)
            List<byte[]> raw = db.rawBytes("t", "email", "id");
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
                assertThat(ps.unwrap(PreparedStatement.class).toString()).doesNotContain("ANY");
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
        db.executePlain("insert into t (id, legacy, legacyb) values (10, 'plain-l', convert_to('plain-b', 'UTF8'))");
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
}
