package io.envelope.jdbc.it.faults;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.it.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrate} and {@code reencrypt} killed with SIGKILL at random points, ten times each, then run to completion
 * (issue 11): every row decrypts to its original value, none is lost, none is encrypted twice. Each run is a
 * separate JVM (the command-line tool's main class on this test's class path), killed with
 * {@code Process.destroyForcibly}, which is SIGKILL on Linux: no shutdown hook or finally block runs, and the
 * server aborts the open transaction. A kill is placed after a random number of committed batches (the tool prints
 * a progress line after each) plus a random few milliseconds, so kills land before the first batch, inside
 * batches, between them, and (for reencrypt) in its wait and second pass. The table is small (1,200 rows in
 * batches of 40) to keep the whole test well under two minutes.
 */
@ExtendWith(QuietStderr.class)
class KilledRewritesIT {

    private static final int ROWS = 1200;
    private static final int BATCH = 40;
    private static final int KILLS = 10;
    /** A progress line of a rewriting pass: one per committed batch with the child JVMs' progress settings. */
    private static final Pattern PROGRESS_LINE = Pattern.compile("[a-z ]+: [\\d,]+ / [\\d,]+ rows .*");

    private final Random random = new Random();

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void migrateKilledTenTimesThenRunToCompletionEncryptsEveryValueOnce() throws Exception {
        EnvelopeRuntimes.clear();
        EncryptedDatabase db = EncryptedDatabase.create("killmigrate", """
                  people:
                    columns:
                      phone: { mode: deterministic, accept-plaintext: true }
                      notes: { mode: randomized, accept-plaintext: true }
                """, "key-cache:\n  ttl: 1s\n");
        db.executePlain("CREATE TABLE people (id int PRIMARY KEY, phone text, notes bytea)",
                "INSERT INTO people SELECT id, 'PHONE-' || id, convert_to('NOTES-' || id, 'UTF8')"
                        + " FROM generate_series(1, " + ROWS + ") AS id");
        killRepeatedly(db, "migrate", "--table", "people", "--batch-size", Integer.toString(BATCH));
        assertThat(Cli.run(db, "migrate", "--table", "people", "--batch-size", Integer.toString(BATCH)))
                .contains("No plaintext remains");

        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT phone, notes FROM people")) {
            while (rs.next()) {
                byte[] phone = Base64.getDecoder().decode(rs.getString(1));
                byte[] notes = rs.getBytes(2);
                assertThat(phone[0]).as("envelope format").isEqualTo((byte) 1);
                assertThat(notes[0]).as("envelope format").isEqualTo((byte) 1);
                assertThat(new String(phone, StandardCharsets.ISO_8859_1)).doesNotContain("PHONE-");
                assertThat(new String(notes, StandardCharsets.ISO_8859_1)).doesNotContain("NOTES-");
            }
        }
        // Read with the flag removed: any value left as plaintext would now fail, and a value encrypted twice
        // would decrypt to envelope bytes, not to its original.
        Path strict = db.configFile().resolveSibling("strict.yaml");
        Files.writeString(strict, Files.readString(db.configFile()).replace(", accept-plaintext: true", ""));
        assertThat(Files.readString(strict)).doesNotContain("accept-plaintext");
        EnvelopeRuntimes.clear();
        assertEveryRow(() -> connect(db, strict), "SELECT id, phone, notes FROM people", "PHONE-", "NOTES-");
        try (Connection c = connect(db, strict); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM people WHERE phone = ?")) {
            ps.setString(1, "PHONE-321");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(321);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void reencryptKilledTenTimesThenRunToCompletionMovesEveryValueOnce() throws Exception {
        EnvelopeRuntimes.clear();
        EncryptedDatabase db = EncryptedDatabase.create("killreencrypt", """
                  cards:
                    columns:
                      pan:    { mode: deterministic }
                      holder: { mode: randomized }
                """, "key-cache:\n  ttl: 1s\n");
        db.executePlain("CREATE TABLE cards (id int PRIMARY KEY, pan bytea, holder text)");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO cards (id, pan, holder) VALUES (?, ?, ?)")) {
            for (int id = 1; id <= ROWS; id++) {
                ps.setInt(1, id);
                ps.setString(2, "PAN-" + id);
                ps.setString(3, "HOLDER-" + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Cli.run(db, "keys", "rotate", "--table", "cards");
        Thread.sleep(1100); // the new version is older than one key-cache TTL before reencrypt starts
        killRepeatedly(db, "reencrypt", "--table", "cards", "--batch-size", Integer.toString(BATCH));
        String done = Cli.run(db, "reencrypt", "--table", "cards", "--batch-size", Integer.toString(BATCH));
        assertThat(done).contains("Retired version(s) [1]");

        EnvelopeRuntimes.clear();
        assertEveryRow(db::connect, "SELECT id, pan, holder FROM cards", "PAN-", "HOLDER-");
        // every value is on version 2 now (format: version byte, mode byte, key version as a 4-byte integer)
        String verify = Cli.run(db, "verify", "--table", "cards");
        assertThat(verify).contains("{2=" + (2 * ROWS) + "}").contains("every value decrypts");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM cards WHERE pan = ?")) {
            ps.setString(1, "PAN-777");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(777);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    /**
     * Runs the command in a separate JVM {@value #KILLS} times, each killed with SIGKILL after a random number of
     * progress lines (committed batches) plus a random few milliseconds; a run that finishes before its kill
     * point counts too (it was killed after its last commit).
     */
    private void killRepeatedly(EncryptedDatabase db, String... command) throws Exception {
        Path dir = Files.createTempDirectory("envelope-kill");
        String[] args = new String[command.length + 4];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--config";
        args[command.length + 1] = db.configFile().toString();
        args[command.length + 2] = "--url";
        args[command.length + 3] = TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema());
        int pages = ROWS / BATCH;
        int killedMidway = 0;
        for (int run = 0; run < KILLS; run++) {
            int afterLines = random.nextInt(pages + pages / 2);
            try (JvmProcess cli = JvmProcess.start(dir, command[0] + "-" + run,
                    "io.envelope.jdbc.cli.EnvelopeCli", args)) {
                long until = System.nanoTime() + 60_000_000_000L;
                while (cli.alive() && cli.linesMatching(PROGRESS_LINE) < afterLines) {
                    assertThat(System.nanoTime()).as(cli::describe).isLessThan(until);
                    Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(25));
                if (cli.alive()) {
                    if (cli.linesMatching(PROGRESS_LINE) > 0) {
                        killedMidway++;
                    }
                    cli.kill();
                } else {
                    assertThat(cli.waitFor(1)).as(cli::describe).isZero();
                }
                assertThat(cli.err()).as(cli::describe).doesNotContain("error: ");
            }
        }
        // the kills did land in the middle of the work, after some batches were committed and before the end
        assertThat(killedMidway).as("runs killed after some batches and before the end").isGreaterThanOrEqualTo(3);
    }

    interface Connector {
        Connection connect() throws java.sql.SQLException;
    }

    private static Connection connect(EncryptedDatabase db, Path config) throws java.sql.SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("envelope.config", config.toString());
        return java.sql.DriverManager.getConnection(db.envelopeUrl(), properties);
    }

    /** Every row read through the driver: each value is its original (id-suffixed) plaintext. */
    private static void assertEveryRow(Connector connector, String sql, String first, String second)
            throws Exception {
        int rows = 0;
        try (Connection c = connector.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                int id = rs.getInt(1);
                assertThat(rs.getString(2)).isEqualTo(first + id);
                assertThat(rs.getString(3)).isEqualTo(second + id);
                rows++;
            }
        }
        assertThat(rows).as("rows").isEqualTo(ROWS);
    }
}
