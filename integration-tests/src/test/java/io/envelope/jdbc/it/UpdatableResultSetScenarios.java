package io.envelope.jdbc.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Updatable result sets: the target driver writes {@code updateRow()} and {@code insertRow()} with SQL of its own,
 * on its own connection, where the wrapper never sees the statement. So an update of an encrypted column through a result set
 * is refused before the target driver holds the value, by index, by label, by alias and on the insert row; the
 * database keeps the ciphertext it had, and the message never holds the value. Plaintext columns of the same result
 * set stay updatable.
 */
public abstract class UpdatableResultSetScenarios {

    /** The database under the scenarios. */
    public interface Target {

        /** A fresh place configured with {@code tablesYaml}. */
        EncryptedPlace create(String prefix, String tablesYaml) throws Exception;

        /** The schema (PostgreSQL) or database (MariaDB) that qualifies the place's column names in messages. */
        String qualifier(EncryptedPlace place);

        /** DDL for customers (id int key, name text, email binary, ssn text). */
        String createCustomers();

        /** A connection through envelope-jdbc to {@code place}, with the target driver under test. */
        default Connection connect(EncryptedPlace place) throws SQLException {
            return place.connect();
        }
    }

    private static final String SECRET = "moved-through-the-result-set@example.com";

    private final Target target;
    private EncryptedPlace db;

    protected UpdatableResultSetScenarios(Target target) {
        this.target = target;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = target.create("updatable", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                      ssn:   { mode: randomized }
                """);
        db.executePlain(target.createCustomers());
        try (Connection c = target.connect(db);
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
        List<byte[]> emailsBefore = storedEmails();
        try (Connection c = target.connect(db);
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
        assertThat(storedEmails()).as("the stored ciphertexts are as they were")
                .containsExactlyElementsOf(emailsBefore);
        try (Connection c = target.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, email FROM customers WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("renamed");
            assertThat(rs.getString(2)).isEqualTo("user1@example.com");
        }
    }

    @Test
    void anAliasOrAStarDoesNotHideTheColumn() throws Exception {
        try (Connection c = target.connect(db);
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
        try (Connection c = target.connect(db);
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

    private void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable update, String column) {
        Throwable refused = catchThrowable(update);
        assertThat(refused).isInstanceOf(SQLException.class);
        assertThat(refused.getMessage()).startsWith("envelope-jdbc: ").contains(target.qualifier(db) + "." + column)
                .contains("updatable ResultSet").doesNotContain(SECRET);
        assertThat(((SQLException) refused).getSQLState()).isEqualTo("0AX01");
    }

    private List<byte[]> storedEmails() throws SQLException {
        List<byte[]> emails = new ArrayList<>();
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM customers ORDER BY id")) {
            while (rs.next()) {
                emails.add(rs.getBytes(1));
            }
        }
        return emails;
    }

    /** Whether the secret reached the table in any form the plain driver can see. */
    private boolean plaintextAnywhere() throws SQLException {
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, ssn FROM customers")) {
            while (rs.next()) {
                byte[] email = rs.getBytes(1);
                String ssn = rs.getString(2);
                if (email != null && new String(email, StandardCharsets.ISO_8859_1).contains(SECRET)
                        || ssn != null && ssn.contains(SECRET)) {
                    return true;
                }
            }
        }
        return false;
    }
}
