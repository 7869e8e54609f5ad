package io.envelope.jdbc.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Views are outside what the wrapper can decrypt (see README, What SQL does); one that reads encrypted columns is refused
 * rather than handing out ciphertext as data, and one that reads only plaintext columns works.
 */
class ViewsIT {

    private static EncryptedDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        db = EncryptedDatabase.create("views", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, name text, email bytea)",
                "CREATE VIEW customer_emails AS SELECT id, email FROM customers",
                "CREATE VIEW customer_names AS SELECT id, name FROM customers");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, name, email) VALUES (?, ?, ?)")) {
            ps.setInt(1, 1);
            ps.setString(2, "Ada");
            ps.setString(3, "ada@example.com");
            ps.executeUpdate();
        }
    }

    @Test
    void aViewReadingAnEncryptedColumnIsRefusedNotReturnedAsCiphertext() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            Throwable failure = catchThrowable(() -> s.executeQuery("SELECT id, email FROM customer_emails"));
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains("customer_emails")
                    .contains(db.schema() + ".customers.email");
        }
    }

    @Test
    void aViewReadingOnlyPlaintextColumnsWorks() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name FROM customer_names")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("name")).isEqualTo("Ada");
        }
    }
}
