package io.envelope.jdbc.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What really lands in the database, read back with plain pgJDBC (see docs/format.md). */
class StoredValuesIT {

    private static EncryptedDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        db = EncryptedDatabase.create("stored", """
                  customers:
                    columns:
                      email:   { mode: deterministic }
                      email_b: { mode: deterministic }
                      ssn:     { mode: deterministic }
                      note:    { mode: randomized }
                """);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email text, email_b bytea, ssn bytea,"
                + " note bytea, name text)");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO customers (id, email, email_b, ssn, note, name) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= 3; id++) {
                ps.setInt(1, id);
                ps.setString(2, "same@example.com");
                ps.setString(3, "same@example.com");
                ps.setString(4, "123-45-678" + id);
                ps.setString(5, "the very same note");
                ps.setString(6, "Name " + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Test
    void rawStoredValuesNeverContainThePlaintext() throws Exception {
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, email, email_b, ssn, note, name FROM customers ORDER BY id")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                String emailText = rs.getString("email");
                assertThat(emailText).doesNotContain("same@example.com").doesNotContain("example");
                byte[] emailBytes = Base64.getDecoder().decode(emailText);
                assertThat(new String(emailBytes, StandardCharsets.ISO_8859_1)).doesNotContain("example");
                for (String column : List.of("email_b", "ssn", "note")) {
                    String raw = new String(rs.getBytes(column), StandardCharsets.ISO_8859_1);
                    assertThat(raw).as(column).doesNotContain("example").doesNotContain("123-45")
                            .doesNotContain("same note");
                }
                // the unencrypted column is stored as it is
                assertThat(rs.getString("name")).isEqualTo("Name " + rs.getInt("id"));
            }
            assertThat(rows).isEqualTo(3);
        }
    }

    @Test
    void randomizedValuesDifferRowToRow() throws Exception {
        List<byte[]> notes = db.rawBytes("customers", "note", "id");
        assertThat(notes).hasSize(3);
        assertThat(notes.get(0)).isNotEqualTo(notes.get(1));
        assertThat(notes.get(1)).isNotEqualTo(notes.get(2));
        assertThat(notes.get(0)).isNotEqualTo(notes.get(2));
    }

    @Test
    void deterministicValuesAreEqualRowToRow() throws Exception {
        List<byte[]> emails = db.rawBytes("customers", "email_b", "id");
        assertThat(emails.get(0)).isEqualTo(emails.get(1)).isEqualTo(emails.get(2));
        List<byte[]> ssns = db.rawBytes("customers", "ssn", "id");
        assertThat(ssns.get(0)).isNotEqualTo(ssns.get(1));
    }

    @Test
    void samePlaintextInTwoColumnsGivesDifferentValues() throws Exception {
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, email_b FROM customers WHERE id = 1")) {
            rs.next();
            byte[] fromText = Base64.getDecoder().decode(rs.getString(1));
            byte[] fromBytes = rs.getBytes(2);
            assertThat(fromText).isNotEqualTo(fromBytes);
        }
    }

    @Test
    void characterColumnsHoldUnpaddedBase64() throws Exception {
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM customers")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).matches("[A-Za-z0-9+/]+");
            }
        }
    }

    @Test
    void theApplicationReadsPlaintextAndLooksUpByDeterministicColumn() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT c.id, c.email AS mail, c.note FROM customers c WHERE c.ssn = ?")) {
            ps.setString(1, "123-45-6782");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("id")).isEqualTo(2);
                assertThat(rs.getString("mail")).isEqualTo("same@example.com");
                assertThat(rs.getString(3)).isEqualTo("the very same note");
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
