package io.envelope.jdbc.it.schema;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Table layouts cannot go stale silently (issue 8 finding 6, issue 9 finding 1). In each case another process
 * (a plain pgJDBC connection) changes the table after the wrapper read its layout.
 */
class StaleLayoutIT {

    private static final String CONFIG = """
              t:
                columns:
                  email: { mode: deterministic }
            """;

    @Test
    void droppingAColumnElsewhereNeverMakesSelectStarReturnCiphertext() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("dropcol", CONFIG);
        db.executePlain("CREATE TABLE t (id int PRIMARY KEY, legacy text, email bytea)");
        try (Connection c = db.connect()) {
            insert(c, 1, "canary-1@example.com");
            try (PreparedStatement prepared = c.prepareStatement("select * from t")) {
                assertThat(emailOfFirstRow(prepared.executeQuery())).isEqualTo("canary-1@example.com");
                db.executePlain("ALTER TABLE t DROP COLUMN legacy");

                // the same statement, prepared before the change
                try (ResultSet rs = prepared.executeQuery()) {
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
                    assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(Types.VARCHAR);
                    assertThat(emailOfFirstRow(rs)).isEqualTo("canary-1@example.com");
                }
            }
            // SQL never seen before, on this connection and on a new one
            try (Statement s = c.createStatement()) {
                assertThat(emailOfFirstRow(s.executeQuery("select * from t where id = 1")))
                        .isEqualTo("canary-1@example.com");
            }
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(emailOfFirstRow(s.executeQuery("select * from t"))).isEqualTo("canary-1@example.com");
        }
    }

    @Test
    void addingAColumnElsewhereKeepsSelectStarWorking() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("addcol", CONFIG);
        db.executePlain("CREATE TABLE t (id int PRIMARY KEY, email bytea)");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            insert(c, 1, "canary-1@example.com");
            assertThat(emailOfFirstRow(s.executeQuery("select * from t"))).isEqualTo("canary-1@example.com");
            db.executePlain("ALTER TABLE t ADD COLUMN extra int DEFAULT 7");
            try (ResultSet rs = s.executeQuery("select * from t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("email")).isEqualTo("canary-1@example.com");
                assertThat(rs.getInt("extra")).isEqualTo(7);
            }
        }
    }

    @Test
    void aColumnMovedElsewhereIsDecryptedWhereItNowIs() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("movecol", CONFIG);
        db.executePlain("CREATE TABLE t (id int PRIMARY KEY, legacy bytea, email bytea)");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            insert(c, 1, "canary-1@example.com");
            assertThat(emailOfFirstRow(s.executeQuery("select * from t"))).isEqualTo("canary-1@example.com");
            // same width, same types: only the labels say that email moved from column 3 to column 2
            db.executePlain("ALTER TABLE t DROP COLUMN legacy", "ALTER TABLE t ADD COLUMN legacy bytea");
            try (ResultSet rs = s.executeQuery("select * from t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("canary-1@example.com");
                assertThat(rs.getString("email")).isEqualTo("canary-1@example.com");
                assertThat(rs.getBytes(3)).isNull();
            }
        }
    }

    @Test
    void ciphertextWhereTheAnalysisExpectsPlaintextIsNeverReturnedAsData() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("lookalike", CONFIG);
        db.executePlain("CREATE TABLE t (id int PRIMARY KEY, legacy bytea, email bytea)");
        // a * over a derived table: the outer columns carry no layout names the metadata could be checked against
        String sql = "select x.* from (select * from t) x";
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            insert(c, 1, "canary-1@example.com");
            assertThat(emailOfFirstRow(s.executeQuery(sql))).isEqualTo("canary-1@example.com");
            // same width and types: (id, email, legacy) where the analysis still has (id, legacy, email)
            db.executePlain("ALTER TABLE t DROP COLUMN legacy", "ALTER TABLE t ADD COLUMN legacy bytea");
            try (ResultSet rs = s.executeQuery(sql)) {
                assertThat(rs.next()).isTrue();
                for (int i = 1; i <= 3; i++) {
                    int column = i;
                    Object value;
                    try {
                        value = rs.getObject(column);
                    } catch (SQLException refused) {
                        assertThat(refused.getMessage()).startsWith("envelope-jdbc:").contains("Run the statement again");
                        continue;
                    }
                    // whatever comes back is never the stored ciphertext
                    assertThat(value == null || value instanceof Integer
                            || value.equals("canary-1@example.com")).as("column %d: %s", column, value).isTrue();
                }
            }
            // the refusal made the wrapper read the table again
            assertThat(emailOfFirstRow(s.executeQuery(sql))).isEqualTo("canary-1@example.com");
        }
    }

    @Test
    void aPositionalInsertAfterColumnsWereReorderedElsewhereStillEncryptsTheRightColumn() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("positional", CONFIG);
        // text columns: a mis-mapped plaintext would be stored as it is
        db.executePlain("CREATE TABLE t (id int PRIMARY KEY, legacy text, email text)");
        try (Connection c = db.connect()) {
            positionalInsert(c, 1, "legacy one", "canary-1@example.com");
            // now (id, email, legacy): by position, the second value would go to email in plaintext
            db.executePlain("ALTER TABLE t DROP COLUMN legacy", "ALTER TABLE t ADD COLUMN legacy text");
            positionalInsert(c, 2, "canary-legacy-text", "canary-2@example.com");
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select email, legacy from t where id = 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("canary-2@example.com");
                assertThat(rs.getString(2)).isEqualTo("canary-legacy-text");
            }
        }
        Ciphertext.assertStoredAsCiphertext(db, "t", "email", "canary");
    }

    @Test
    void aPositionalInsertIntoATableThatLostAColumnElsewhereIsRejectedByTheDatabaseNotMisMapped()
            throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("positionaldrop", CONFIG);
        db.executePlain("CREATE TABLE t (id int PRIMARY KEY, legacy text, email text, extra text)");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)")) {
                bindFour(ps, 1, "l", "canary-1@example.com", "x");
                ps.executeUpdate();
                // (id, email, extra, other): four columns again, so by position the statement would run and put
                // the second value, meant for legacy, into email
                db.executePlain("ALTER TABLE t DROP COLUMN legacy", "ALTER TABLE t ADD COLUMN other text");
                bindFour(ps, 2, "canary-legacy", "canary-2@example.com", "x");
                SQLException rejected = catchThrowableOfType(ps::executeUpdate, SQLException.class);
                assertThat(rejected.getSQLState()).isEqualTo("42703"); // the database's: column "legacy" is gone
            }
            // the database's rejection makes the wrapper read the table again: the next attempt after it works
            String insert = "INSERT INTO t VALUES (3, 'canary-3@example.com', 'x', 'o')";
            SQLException again = catchThrowableOfType(() -> s.executeUpdate(insert), SQLException.class);
            assertThat(again.getSQLState()).isEqualTo("42703");
            assertThat(s.executeUpdate(insert)).isEqualTo(1);
            try (ResultSet rs = s.executeQuery("select email, extra, other from t where id = 3")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("canary-3@example.com");
                assertThat(rs.getString(2)).isEqualTo("x");
                assertThat(rs.getString(3)).isEqualTo("o");
            }
        }
        Ciphertext.assertStoredAsCiphertext(db, "t", "email", "canary");
    }

    @Test
    void ddlThroughTheWrapperIsFollowedAtOnce() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("ddlwrapper", CONFIG);
        db.executePlain("CREATE TABLE t (id int PRIMARY KEY, legacy text, email text)");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            positionalInsert(c, 1, "l", "canary-1@example.com");
            s.execute("ALTER TABLE t DROP COLUMN legacy");
            s.execute("ALTER TABLE t ADD COLUMN legacy text");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
                // the new order, as the application now knows it: (id, email, legacy)
                ps.setInt(1, 2);
                ps.setString(2, "canary-2@example.com");
                ps.setString(3, "new legacy");
                ps.executeUpdate();
            }
            try (ResultSet rs = s.executeQuery("select legacy from t where id = 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("new legacy");
            }
        }
        Ciphertext.assertStoredAsCiphertext(db, "t", "email", "canary");
    }

    private static void insert(Connection c, int id, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, email) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.executeUpdate();
        }
    }

    private static void positionalInsert(Connection c, int id, String legacy, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, legacy);
            ps.setString(3, email);
            ps.executeUpdate();
        }
    }

    private static void bindFour(PreparedStatement ps, int id, String legacy, String email, String extra)
            throws SQLException {
        ps.setInt(1, id);
        ps.setString(2, legacy);
        ps.setString(3, email);
        ps.setString(4, extra);
    }

    private static String emailOfFirstRow(ResultSet rs) throws SQLException {
        try (rs) {
            assertThat(rs.next()).isTrue();
            String email = rs.getString("email");
            assertThat(email).doesNotStartWith("\\x");
            return email;
        }
    }
}
