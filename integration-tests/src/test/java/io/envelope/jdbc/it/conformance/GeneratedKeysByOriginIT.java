package io.envelope.jdbc.it.conformance;

import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * getGeneratedKeys() decrypts each column by where it comes from (table and column), never by its label: the
 * SQL's own RETURNING with aliases, UPDATE and DELETE … RETURNING, the RETURNING pgJDBC adds (RETURN_GENERATED_KEYS,
 * column names), and after executeBatch (Spring's batchUpdate with a KeyHolder, MyBatis-style batch keys). The same
 * SQL through executeQuery gives the same answers.
 */
class GeneratedKeysByOriginIT {

    private static EncryptedDatabase db;
    private static int nextId = 1000;

    @BeforeAll
    static void setUp() throws Exception {
        db = EncryptedDatabase.create("genkeys", """
                  members:
                    columns:
                      email: { mode: deterministic }
                      phone: { mode: randomized }
                """);
        db.executePlain("CREATE TABLE members (id serial PRIMARY KEY, email bytea, phone text, nick text)",
                "CREATE TABLE plain_notes (id int PRIMARY KEY, email text)");
    }

    private static List<List<String>> rows(ResultSet rs) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                row.add(rs.getMetaData().getColumnLabel(i) + "=" + rs.getString(i));
            }
            out.add(row);
        }
        return out;
    }

    private static int insert(Connection c, String email, String phone, String nick) throws SQLException {
        int id = nextId++;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO members (id, email, phone, nick) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.setString(3, phone);
            ps.setString(4, nick);
            ps.executeUpdate();
        }
        return id;
    }

    /** Runs the SQL with RETURN_GENERATED_KEYS and returns the decrypted keys, and the same SQL's executeQuery result. */
    private static List<List<List<String>>> keysAndQuery(Connection c, String sql, Object... params) throws SQLException {
        List<List<String>> keys;
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                keys = rows(rs);
            }
        }
        c.rollback();
        List<List<String>> query;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                query = rows(rs);
            }
        }
        c.rollback();
        return List.of(keys, query);
    }

    @Test
    void anAliasedReturningColumnIsDecryptedByItsOriginAsExecuteQueryDoes() throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            var both = keysAndQuery(c, "INSERT INTO members (email, phone, nick) VALUES (?, ?, ?) "
                    + "RETURNING email AS contact, nick AS email, phone", "a@example.org", "+1 555", "ann");
            assertThat(both.get(0)).containsExactly(List.of("contact=a@example.org", "email=ann", "phone=+1 555"));
            assertThat(both.get(1)).isEqualTo(both.get(0));
        }
    }

    @Test
    void updateAndDeleteReturningAreDecrypted() throws Exception {
        try (Connection c = db.connect()) {
            int id = insert(c, "u@example.org", "+44 1", "una");
            c.setAutoCommit(false);
            var update = keysAndQuery(c, "UPDATE members SET phone = ? WHERE id = ? RETURNING email AS e, phone",
                    "+44 2", id);
            assertThat(update.get(0)).containsExactly(List.of("e=u@example.org", "phone=+44 2"));
            assertThat(update.get(1)).isEqualTo(update.get(0));
            var delete = keysAndQuery(c, "DELETE FROM members m WHERE m.id = ? RETURNING m.email AS x, m.nick", id);
            assertThat(delete.get(0)).containsExactly(List.of("x=u@example.org", "nick=una"));
            assertThat(delete.get(1)).isEqualTo(delete.get(0));
        }
    }

    @Test
    void theReturningPgJdbcAddsIsAnalysedForInsertUpdateAndDelete() throws Exception {
        try (Connection c = db.connect()) {
            int id = insert(c, "d@example.org", "+49 1", "dora");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE members SET nick = ? WHERE email = ?",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "dory");
                ps.setString(2, "d@example.org");
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    assertThat(rows(rs)).containsExactly(List.of("id=" + id, "email=d@example.org", "phone=+49 1",
                            "nick=dory"));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM members WHERE id = ?",
                    new String[] {"phone", "email"})) {
                ps.setInt(1, id);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    assertThat(rows(rs)).containsExactly(List.of("phone=+49 1", "email=d@example.org"));
                }
            }
            c.rollback();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM members WHERE id = " + id + ";", Statement.RETURN_GENERATED_KEYS);
                try (ResultSet rs = s.getGeneratedKeys()) {
                    assertThat(rows(rs)).containsExactly(List.of("id=" + id, "email=d@example.org",
                            "phone=+49 1", "nick=dora"));
                }
            }
            c.rollback();
            // an unconfigured table's keys pass through
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO plain_notes (id, email) VALUES (1, 'p@x')",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    assertThat(rows(rs)).containsExactly(List.of("id=1", "email=p@x"));
                }
            }
            c.rollback();
        }
    }

    @Test
    void batchKeysAreDecryptedAsMyBatisReadsThem() throws Exception {
        // MyBatis' BatchExecutor: prepare with the key columns, addBatch per row, executeBatch, getGeneratedKeys once
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO members (email, phone, nick) VALUES (?, ?, ?)",
                     new String[] {"id", "email"})) {
            for (int i = 0; i < 3; i++) {
                ps.setString(1, "batch" + i + "@example.org");
                ps.setString(2, "+1 " + i);
                ps.setString(3, "b" + i);
                ps.addBatch();
            }
            ps.executeBatch();
            List<String> emails = new ArrayList<>();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                while (rs.next()) {
                    assertThat(rs.getInt("id")).isPositive();
                    emails.add(rs.getString("email"));
                }
            }
            assertThat(emails).containsExactly("batch0@example.org", "batch1@example.org", "batch2@example.org");
        }
    }

    @Test
    void springBatchUpdateWithAKeyHolderGetsPlaintextKeys() throws Exception {
        try (Connection c = db.connect()) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            GeneratedKeyHolder keys = new GeneratedKeyHolder();
            List<String> emails = List.of("s0@example.org", "s1@example.org");
            jdbc.batchUpdate(con -> con.prepareStatement("INSERT INTO members (email, phone, nick) VALUES (?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS), new BatchPreparedStatementSetter() {
                        @Override
                        public void setValues(PreparedStatement ps, int i) throws SQLException {
                            ps.setString(1, emails.get(i));
                            ps.setString(2, "+7 " + i);
                            ps.setString(3, "s" + i);
                        }

                        @Override
                        public int getBatchSize() {
                            return emails.size();
                        }
                    }, keys);
            List<Map<String, Object>> rows = keys.getKeyList();
            assertThat(rows).hasSize(2);
            assertThat(rows).extracting(r -> r.get("email")).containsExactly("s0@example.org", "s1@example.org");
            assertThat(rows).extracting(r -> r.get("phone")).containsExactly("+7 0", "+7 1");
        }
    }
}
