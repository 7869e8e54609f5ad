package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A prepared lookup whose parameter was set once keeps finding its rows while the table's keys are rotated and
 * its values re-encrypted by the command-line tool between executions: every execution encrypts the lookup
 * value against the key versions current then, and a statement prepared for fewer versions than a table now has
 * is prepared again with wider SQL (the plaintext parameters set again) instead of missing rows or refusing.
 */
class LookupAcrossRotationIT {

    private static final String TABLES = """
              accounts:
                columns:
                  email: { mode: deterministic }
            """;

    private static List<Integer> ids(PreparedStatement ps) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private static EncryptedDatabase database(String ttl) throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("rotation", TABLES, "key-cache:\n  ttl: " + ttl + "\n");
        db.executePlain("CREATE TABLE accounts (id int PRIMARY KEY, email bytea, region text)");
        return db;
    }

    private static void insert(Connection c, int id, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, email, region) VALUES (?, ?, 'eu')")) {
            ps.setInt(1, id);
            ps.setString(2, email);
            ps.executeUpdate();
        }
    }

    private static void cli(EncryptedDatabase db, String... args) {
        CliRunner.Run run = CliRunner.run(db, args);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }

    /** Waits until the wrapper's cached key rows have expired (the TTL), so its next statement reads them again. */
    private static void waitOneTtl(Duration ttl) throws InterruptedException {
        Thread.sleep(ttl.toMillis() + 300);
    }

    @Test
    void aLookupSetOnceFindsItsRowsThroughRotationAndReencryptionWithATtlOfSeconds() throws Exception {
        Duration ttl = Duration.ofSeconds(2);
        EncryptedDatabase db = database("2s");
        try (Connection c = db.connect()) {
            insert(c, 1, "a@example.org");
            try (PreparedStatement lookup = c.prepareStatement(
                         "SELECT id FROM accounts WHERE email = ? AND region = ?");
                 PreparedStatement literal = c.prepareStatement(
                         "SELECT id FROM accounts WHERE email = 'a@example.org' AND region = ?")) {
                lookup.setString(1, "a@example.org");
                lookup.setString(2, "eu");
                lookup.setFetchSize(7);
                literal.setString(1, "eu");
                assertThat(ids(lookup)).containsExactly(1);
                assertThat(ids(literal)).containsExactly(1);

                cli(db, "keys", "rotate", "--table", "accounts");
                waitOneTtl(ttl);
                // the table now has versions 1 and 2: both statements are prepared again for two candidates,
                // their plaintext parameter and options carried over
                insert(c, 2, "a@example.org"); // written under version 2
                assertThat(ids(lookup)).containsExactlyInAnyOrder(1, 2);
                assertThat(ids(literal)).containsExactlyInAnyOrder(1, 2);
                assertThat(lookup.getFetchSize()).isEqualTo(7);

                cli(db, "reencrypt", "--table", "accounts");
                waitOneTtl(ttl);
                // every value is on version 2 and version 1 is retired: the statements match version 2 only
                assertThat(ids(lookup)).containsExactlyInAnyOrder(1, 2);
                assertThat(ids(literal)).containsExactlyInAnyOrder(1, 2);
                lookup.setString(2, "us");
                assertThat(ids(lookup)).isEmpty();
            }
        }
    }

    @Test
    void aLookupSetOnceKeepsFindingItsRowsAfterARotationWithTheDefaultTtl() throws Exception {
        // the default TTL (10 minutes): this process goes on matching the versions it has cached, which are the
        // versions of the rows until re-encryption starts (reencrypt waits for every process to see the new one)
        EncryptedDatabase db = EncryptedDatabase.create("rotationdefault", TABLES);
        db.executePlain("CREATE TABLE accounts (id int PRIMARY KEY, email bytea, region text)");
        try (Connection c = db.connect()) {
            insert(c, 1, "a@example.org");
            try (PreparedStatement lookup = c.prepareStatement("SELECT id FROM accounts WHERE email = ?")) {
                lookup.setString(1, "a@example.org");
                assertThat(ids(lookup)).containsExactly(1);
                cli(db, "keys", "rotate", "--table", "accounts");
                insert(c, 2, "a@example.org");
                assertThat(ids(lookup)).containsExactlyInAnyOrder(1, 2);
            }
        }
        // a process that starts after the rotation matches both versions with a statement prepared once
        io.envelope.jdbc.driver.EnvelopeRuntimes.clear();
        try (Connection c = db.connect();
             PreparedStatement lookup = c.prepareStatement("SELECT id FROM accounts WHERE email = ?")) {
            lookup.setString(1, "a@example.org");
            insert(c, 3, "a@example.org");
            assertThat(ids(lookup)).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(ids(lookup)).containsExactlyInAnyOrder(1, 2, 3);
        }
    }
}
