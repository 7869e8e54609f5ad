package io.envelope.jdbc.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Updatable result sets: pgJDBC writes {@code updateRow()} and {@code insertRow()} with SQL of its own, on its own
 * connection, where the wrapper never sees the statement. So an update of an encrypted column through a result set
 * is refused before the target driver holds the value, by index, by label, by alias and on the insert row; the
 * database keeps the ciphertext it had, and the message never holds the value. Plaintext columns of the same result
 * set stay updatable.
 */
class UpdatableResultSetIT {

    private static final String SECRET = "moved-through-the-result-set@example.com";
    private static EncryptedDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        db = EncryptedDatabase.create("updatable", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                      ssn:   { mode: randomized }
                """);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, name text, email bytea, ssn text)");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, name, email, ssn) VALUES (?, ?, ?, ?)")) {
            for (int id = 1; id <= 3; id++) {
                ps.setInt(1, id);
                ps.setString(2, "name " + id);
                ps.setString(3, "user" + id + "@example.com");
                ps.setString(4, "000-00-000" + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Test
    void anEncryptedColumnIsNeverUpdatedThroughAResultSet() throws Exception {
        List<byte[]> emailsBefore = db.rawBytes("customers", "email", "id");
        try (Connection c = db.connect();
             Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn FROM customers WHERE id = 1")) {
            assertThat(rs.getConcurrency()).as("the target driver made it updatable").isEqualTo(ResultSet.CONCUR_UPDATABLE);
            assertThat(rs.next()).isTrue();
            assertRefused(() -> rs.updateString(3, SECRET), "customers.email");
            assertRefused(() -> rs.updateString("email", SECRET), "customers.email");
            assertRefused(() -> rs.updateString("EMAIL", SECRET), "customers.email");
            assertRefused(() -> rs.updateObject("ssn", SECRET), "customers.ssn");
            assertRefused(() -> rs.updateBytes(4, SECRET.getBytes(StandardCharsets.UTF_8)), "customers.ssn");
            assertRefused(() -> rs.updateCharacterStream("ssn", new java.io.StringReader(SECRET)), "customers.ssn");
            assertRefused(() -> rs.updateNull("email"), "customers.email");
            // nothing was staged for the encrypted columns: a row update now writes only what is allowed
            rs.updateString("name", "renamed");
            rs.updateRow();
        }
        assertThat(db.rawBytes("customers", "email", "id")).as("the stored ciphertexts are as they were")
                .containsExactlyElementsOf(emailsBefore);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, email FROM customers WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("renamed");
            assertThat(rs.getString(2)).isEqualTo("user1@example.com");
        }
    }

    @Test
    void anAliasOrAStarDoesNotHideTheColumn() throws Exception {
        try (Connection c = db.connect();
             Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE)) {
            try (ResultSet rs = s.executeQuery("SELECT id, email AS contact FROM customers WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                assertRefused(() -> rs.updateString("contact", SECRET), "customers.email");
                assertRefused(() -> rs.updateString(2, SECRET), "customers.email");
            }
            try (ResultSet rs = s.executeQuery("SELECT * FROM customers WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                assertRefused(() -> rs.updateString("email", SECRET), "customers.email");
                assertRefused(() -> rs.updateString("ssn", SECRET), "customers.ssn");
            }
        }
        assertThat(plaintextAnywhere()).isFalse();
    }

    @Test
    void theInsertRowRefusesEncryptedColumnsAndInsertsTheRestAsNull() throws Exception {
        try (Connection c = db.connect();
             Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE);
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn FROM customers")) {
            rs.moveToInsertRow();
            rs.updateInt("id", 40);
            assertRefused(() -> rs.updateString("email", SECRET), "customers.email");
            assertRefused(() -> rs.updateString(4, SECRET), "customers.ssn");
            rs.updateString("name", "inserted");
            rs.insertRow();
        }
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, email, ssn FROM customers WHERE id = 40")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("inserted");
            assertThat(rs.getBytes(2)).isNull();
            assertThat(rs.getString(3)).isNull();
        }
        assertThat(plaintextAnywhere()).isFalse();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable update, String column) {
        Throwable refused = catchThrowable(update);
        assertThat(refused).isInstanceOf(SQLException.class);
        assertThat(refused.getMessage()).startsWith("envelope-jdbc: ").contains(db.schema() + "." + column)
                .contains("updatable ResultSet").doesNotContain(SECRET);
        assertThat(((SQLException) refused).getSQLState()).isEqualTo("0AX01");
    }

    /** Whether the secret reached the table in any form the plain driver can see. */
    private static boolean plaintextAnywhere() throws SQLException {
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM customers WHERE position(convert_to('"
                     + SECRET + "', 'UTF8') in email) > 0 OR position('" + SECRET + "' in ssn) > 0")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
