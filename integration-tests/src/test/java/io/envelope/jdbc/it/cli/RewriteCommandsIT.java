package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code migrate} and {@code reencrypt}: values rewritten in place, resumable, exact. */
class RewriteCommandsIT {

    @Test
    void migrateEncryptsExistingPlaintextInPlaceAndARerunChangesNothing() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("migrate", """
                  people:
                    columns:
                      phone: { mode: deterministic, accept-plaintext: true }
                      notes: { mode: randomized, accept-plaintext: true }
                """, "key-cache:\n  ttl: 500ms\n");
        db.executePlain("CREATE TABLE people (id int PRIMARY KEY, phone text, notes bytea)");
        // legacy rows written before encryption was switched on
        db.executePlain("INSERT INTO people SELECT id, '+49-555-' || id, convert_to('note ' || id, 'UTF8')"
                + " FROM generate_series(1, 2500) AS id", "INSERT INTO people VALUES (9999, NULL, NULL)");
        // meanwhile the application finds legacy rows by their plaintext, reads them as they are, and each such
        // read is counted
        assertThat(phoneLookup(db, "+49-555-7")).isEqualTo(7);
        String notes = db.schema() + ".people.notes";
        long before = io.envelope.jdbc.EnvelopeMetrics.snapshot().plaintextReads().getOrDefault(notes, 0L);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT notes FROM people WHERE id = 42")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("note 42");
        }
        assertThat(io.envelope.jdbc.EnvelopeMetrics.snapshot().plaintextReads().get(notes)).isEqualTo(before + 1);

        CliRunner.Run run = CliRunner.run(db, "migrate", "--table", "people", "--batch-size", "700");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Encrypted 5,000 value(s)").contains("No plaintext remains")
                .contains("encrypting: 2,501 rows in").contains("verifying: 2,501 rows in").contains("Summary:");

        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT phone, notes FROM people WHERE id <> 9999")) {
            while (rs.next()) {
                // the base64 text may contain any short digit run by chance; the decoded bytes must not hold the
                // plaintext, and must be in envelope format (format version 1)
                byte[] phone = Base64.getDecoder().decode(rs.getString(1));
                assertThat(phone[0]).isEqualTo((byte) 1);
                assertThat(new String(phone, StandardCharsets.ISO_8859_1)).doesNotContain("+49-555-");
                assertThat(new String(rs.getBytes(2), StandardCharsets.ISO_8859_1)).doesNotContain("note");
            }
        }
        EnvelopeRuntimes.clear();
        assertThat(phoneLookup(db, "+49-555-7")).isEqualTo(7);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT notes FROM people WHERE id = 42")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("note 42");
        }

        CliRunner.Run again = CliRunner.run(db, "migrate", "--table", "people");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("Encrypted 0 value(s)");
    }

    @Test
    void reencryptMovesEveryValueToTheNewestVersionAndRetiresTheOldOne() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("reencrypt", """
                  cards:
                    columns:
                      pan:    { mode: deterministic }
                      holder: { mode: randomized }
                """, "key-cache:\n  ttl: 300ms\n");
        db.executePlain("CREATE TABLE cards (id int PRIMARY KEY, pan bytea, holder text)");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO cards (id, pan, holder) VALUES (?, ?, ?)")) {
            for (int id = 1; id <= 300; id++) {
                ps.setInt(1, id);
                ps.setString(2, "4111-0000-0000-" + String.format("%04d", id));
                ps.setString(3, "Holder " + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        assertThat(CliRunner.run(db, "keys", "rotate", "--table", "cards").exitCode()).isZero();

        CliRunner.Run run = CliRunner.run(db, "reencrypt", "--table", "cards", "--batch-size", "128");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("version 1 of " + db.schema() + ".cards is now retiring")
                .contains("Re-encrypted 600 value(s) onto version 2").contains("NOT")
                .contains("Retired version(s) [1]");
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key_version, status FROM " + db.keyTable()
                     + " ORDER BY key_version")) {
            rs.next();
            assertThat(rs.getString(2)).isEqualTo("retired");
            rs.next();
            assertThat(rs.getString(2)).isEqualTo("active");
        }
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT holder FROM cards WHERE pan = ?")) {
            ps.setString(1, "4111-0000-0000-0123");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Holder 123");
            }
        }
        CliRunner.Run verify = CliRunner.run(db, "verify", "--table", "cards");
        assertThat(verify.out()).contains("{2=600}").contains("every value decrypts");
    }

    private static int phoneLookup(EncryptedDatabase db, String phone) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM people WHERE phone = ?")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }
}
