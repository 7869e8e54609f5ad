package io.envelope.jdbc.it.schema;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code setSchema} moves where unqualified SQL names resolve, never the identities of the configured tables,
 * which were fixed when the connection opened (issue 8, finding 4).
 */
class SetSchemaIT {

    @Test
    void aConfiguredTableStaysEncryptedByItsQualifiedNameAfterSetSchema() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("setschema", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                """);
        String other = TestDatabase.freshSchema("setschemab");
        // text columns: a value that slipped past encryption would be stored as it is
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email text)",
                "CREATE TABLE " + other + ".customers (id int PRIMARY KEY, email text)");
        try (Connection c = db.connect()) {
            c.setSchema(other);
            assertThat(c.getSchema()).isEqualTo(other);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + db.schema() + ".customers (id, email) VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "canary-a@example.com");
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + db.schema() + ".customers VALUES (2, 'canary-literal@example.com')");
            }
            // unqualified now means the other schema's customers, which the configuration does not list
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "plain-b@example.com");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT email FROM " + db.schema() + ".customers WHERE email = ?")) {
                ps.setString(1, "canary-a@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("canary-a@example.com");
                }
            }
            // and back: unqualified names mean the configured table again
            c.setSchema(db.schema());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT email FROM customers ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("canary-a@example.com");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("canary-literal@example.com");
            }
        }
        Ciphertext.assertStoredAsCiphertext(db, db.schema() + ".customers", "email", "canary");
        assertThat(db.keyRows(db.schema() + ".customers")).isEqualTo(1);
        assertThat(db.keyRows(other + ".customers")).isZero();
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM " + other + ".customers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("plain-b@example.com");
        }
    }
}
