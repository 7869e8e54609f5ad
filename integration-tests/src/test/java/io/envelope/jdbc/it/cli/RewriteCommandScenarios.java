package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.it.faults.QuietStderr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rewriting commands of the command line against a real database ({@link CliTarget}): {@code migrate} and
 * {@code reencrypt} rewrite values in place, resumably and exactly; {@code --shard i/n} covers a table exactly once
 * (integer keys in stripes, negative, sparse and huge keys too; other keys by hash), each worker's counts adding up
 * to the table's; {@code verify} reports a tampered value by row. Outcomes are read back with the plain driver:
 * what the database stores, not what the commands say.
 *
 * <p>The configuration's warnings (about {@code accept-plaintext} columns) are held back unless a test fails.
 */
@ExtendWith(QuietStderr.class)
public abstract class RewriteCommandScenarios {

    private static final Pattern ENCRYPTED = Pattern.compile("Encrypted ([\\d,]+) value\\(s\\) in ([\\d,]+) rows");
    private static final Pattern VERIFIED = Pattern.compile(": ([\\d,]+) rows, ([\\d,]+) encrypted values checked");

    protected final CliTarget target;

    protected RewriteCommandScenarios(CliTarget target) {
        this.target = target;
    }

    @Test
    void migrateEncryptsExistingPlaintextInPlaceAndARerunChangesNothing() throws Exception {
        EncryptedPlace db = target.create("cli_migrate", """
                  people:
                    columns:
                      phone: { mode: deterministic, accept-plaintext: true }
                      notes: { mode: randomized, accept-plaintext: true }
                """, "key-cache:\n  ttl: 500ms\n");
        // legacy rows written before encryption was switched on
        db.executePlain(target.createLegacyPeople());
        db.executePlain("INSERT INTO people VALUES (9999, NULL, NULL)");
        // meanwhile the application finds legacy rows by their plaintext, reads them as they are, and each such
        // read is counted
        assertThat(phoneLookup(db, "+49-555-7")).as("a legacy plaintext row is found before migrate").isEqualTo(7);
        String notes = target.name(db) + ".people.notes";
        long before = EnvelopeMetrics.snapshot().plaintextReads().getOrDefault(notes, 0L);
        assertThat(notesOf42(db)).isEqualTo("note 42");
        assertThat(EnvelopeMetrics.snapshot().plaintextReads().get(notes)).isEqualTo(before + 1);

        CliRunner.Run run = cli(db, "migrate", "--table", "people", "--batch-size", "700");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Encrypted 5,000 value(s)").contains("No plaintext remains")
                .contains("encrypting: 2,501 rows in").contains("verifying: 2,501 rows in").contains("Summary:");

        int rows = 0;
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT phone, notes FROM people WHERE id <> 9999")) {
            while (rs.next()) {
                rows++;
                // the base64 text may contain any short digit run by chance; the decoded bytes must not hold the
                // plaintext, and must be in envelope format (format version 1)
                byte[] phone = Base64.getDecoder().decode(rs.getString(1));
                assertThat(phone[0]).as("envelope format version 1").isEqualTo((byte) 1);
                assertThat(new String(phone, StandardCharsets.ISO_8859_1)).doesNotContain("+49-555-");
                byte[] stored = rs.getBytes(2);
                assertThat(stored[0]).isEqualTo((byte) 1);
                assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("note");
            }
        }
        assertThat(rows).isEqualTo(2500);
        EnvelopeRuntimes.clear();
        assertThat(phoneLookup(db, "+49-555-7")).isEqualTo(7);
        assertThat(notesOf42(db)).isEqualTo("note 42");

        CliRunner.Run again = cli(db, "migrate", "--table", "people");
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("Encrypted 0 value(s)");
    }

    @Test
    void reencryptMovesEveryValueToTheNewestVersionThenTheOldOneCanBeDestroyed() throws Exception {
        EncryptedPlace db = target.create("cli_reencrypt", CARDS, "key-cache:\n  ttl: 300ms\n");
        db.executePlain(target.createCards());
        insertCards(db, 1, 300);
        CliRunner.Run refused = cli(db, "keys", "destroy", "--table", "cards", "--version", "1", "--yes");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.errorLine()).contains("envelope-jdbc:").contains("active");

        CliRunner.Run rotated = cli(db, "keys", "rotate", "--table", "cards");
        assertThat(rotated.exitCode()).as(rotated.out() + rotated.err()).isZero();
        assertThat(rotated.out()).contains("Added key version 2 (active) for " + target.name(db) + ".cards");
        assertThat(keyStatuses(db, "cards")).containsExactly(Map.entry(1, "active"), Map.entry(2, "active"));

        CliRunner.Run run = cli(db, "reencrypt", "--table", "cards", "--batch-size", "128");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("version 1 of " + target.name(db) + ".cards is now retiring")
                .contains("Re-encrypted 600 value(s) onto version 2").contains("NOT")
                .contains("Retired version(s) [1]");
        assertThat(keyStatuses(db, "cards")).containsExactly(Map.entry(1, "retired"), Map.entry(2, "active"));
        assertThat(storedVersions(db)).as("every stored value, read by the database").containsExactly(
                Map.entry(2, 600));

        EnvelopeRuntimes.clear();
        assertThat(holderOf(db, "4111-0000-0000-0123")).isEqualTo("Holder 123");
        CliRunner.Run verify = cli(db, "verify", "--table", "cards");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("300 rows").contains("{2=600}").contains("every value decrypts");

        CliRunner.Run destroyed = cli(db, "keys", "destroy", "--table", "cards", "--version", "1", "--yes");
        assertThat(destroyed.exitCode()).as(destroyed.out() + destroyed.err()).isZero();
        assertThat(keyStatuses(db, "cards")).containsExactly(Map.entry(2, "active"));
        EnvelopeRuntimes.clear();
        assertThat(holderOf(db, "4111-0000-0000-0007")).isEqualTo("Holder 7");
    }

    @Test
    void aShardedReencryptRefusesToRunBeforeStartThenStartsRunsItsShardsAndFinishes() throws Exception {
        EncryptedPlace db = target.create("cli_sharded_re", CARDS, "key-cache:\n  ttl: 200ms\n");
        db.executePlain(target.createCards());
        insertCards(db, 1, 120);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO cards (id, pan, holder) VALUES (121, '4111', 'Holder 121')");
        }
        assertThat(cli(db, "keys", "rotate", "--table", "cards").exitCode()).isZero();
        CliRunner.Run early = cli(db, "reencrypt", "--table", "cards", "--shard", "0/2");
        assertThat(early.exitCode()).as("a shard before --start is refused").isNotZero();
        assertThat(early.errorLine()).contains("still active").contains("reencrypt --start");
        CliRunner.Run both = cli(db, "reencrypt", "--table", "cards", "--start", "--finish");
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(keyStatuses(db, "cards")).containsExactly(Map.entry(1, "active"), Map.entry(2, "active"));

        CliRunner.Run start = cli(db, "reencrypt", "--table", "cards", "--start");
        assertThat(start.exitCode()).as(start.out() + start.err()).isZero();
        assertThat(keyStatuses(db, "cards")).containsExactly(Map.entry(1, "retiring"), Map.entry(2, "active"));
        for (String shard : new String[] {"0/2", "1/2"}) {
            CliRunner.Run run = cli(db, "reencrypt", "--table", "cards", "--shard", shard, "--stripe-width", "25",
                    "--batch-size", "16");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        }
        assertThat(storedVersions(db)).as("the two shards moved every value").containsExactly(Map.entry(2, 242));
        CliRunner.Run finish = cli(db, "reencrypt", "--table", "cards", "--finish");
        assertThat(finish.exitCode()).as(finish.out() + finish.err()).isZero();
        assertThat(finish.out()).contains("Retired version(s) [1]");
        assertThat(keyStatuses(db, "cards")).containsExactly(Map.entry(1, "retired"), Map.entry(2, "active"));
        EnvelopeRuntimes.clear();
        assertThat(holderOf(db, "4111-0000-0000-0099")).isEqualTo("Holder 99");
        assertThat(holderOf(db, "4111")).isEqualTo("Holder 121");
    }

    @Test
    void stripesOfAnIntegerKeyCoverEveryRowOnce() throws Exception {
        EncryptedPlace db = target.create("cli_shardint", """
                  people:
                    columns:
                      phone: { mode: deterministic, accept-plaintext: true }
                """, "key-cache:\n  ttl: 500ms\n");
        // negative, dense, sparse and huge keys: stripes are floor(id / width), whatever the sign
        db.executePlain(target.createStripedPeople());
        db.executePlain("INSERT INTO people VALUES (7000, NULL)");
        long total = count(db, "SELECT count(*) FROM people");
        long values = count(db, "SELECT count(phone) FROM people");
        assertThat(values).isEqualTo(total - 1);
        long rows = 0;
        long encrypted = 0;
        for (int i = 0; i < 3; i++) {
            CliRunner.Run run = cli(db, "migrate", "--table", "people", "--shard", i + "/3",
                    "--batch-size", "400", "--stripe-width", "500");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("No plaintext remains in shard " + i + "/3");
            Matcher m = ENCRYPTED.matcher(run.out());
            assertThat(m.find()).as(run.out()).isTrue();
            encrypted += number(m.group(1));
            rows += number(m.group(2));
            if (i == 0) {
                // shard 0 of 3 with stripes of 500: exactly the rows whose stripe floor(id / 500) mod 3 is 0
                try (Connection c = db.plain(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT id, phone FROM people WHERE phone IS NOT NULL")) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        boolean plaintext = rs.getString(2).startsWith("p");
                        assertThat(plaintext).as("row " + id)
                                .isEqualTo(Math.floorMod(Math.floorDiv(id, 500L), 3L) != 0);
                    }
                }
            }
        }
        assertThat(encrypted).isEqualTo(values);
        assertThat(rows).isEqualTo(total);
        assertThat(plaintextCount(db, "people", "phone", "p")).isZero();
        assertVerifiedOnceAcrossShards(db, "people", total, 3, "500");
        CliRunner.Run whole = cli(db, "verify", "--table", "people");
        assertThat(whole.out()).contains("plaintext values (accept-plaintext columns): 0").contains("every value decrypts");
    }

    @Test
    void shardsOfAKeyThatIsNotAnIntegerSplitItsRowsByHashAndTogetherCoverEveryRowOnce() throws Exception {
        EncryptedPlace db = target.create("cli_hashed", """
                  tokens:
                    columns:
                      secret: { mode: randomized, accept-plaintext: true }
                      email:  { mode: deterministic, accept-plaintext: true }
                """, "key-cache:\n  ttl: 500ms\n");
        db.executePlain(target.createHashKeyedTokens());
        CliRunner.Run first = cli(db, "migrate", "--table", "tokens", "--shard", "0/2", "--batch-size", "250");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("shard 0/2: rows whose " + target.shardHash() + "(id) mod 2 is 0");
        Matcher m = ENCRYPTED.matcher(first.out());
        assertThat(m.find()).as(first.out()).isTrue();
        long taken = number(m.group(2));
        assertThat(taken).as("each shard has a fair part").isBetween(1_200L, 1_800L);
        assertThat(number(m.group(1))).isEqualTo(2 * taken);
        assertThat(plaintextCount(db, "tokens", "secret", "s")).as("shard 0 took only its rows")
                .isEqualTo(3000 - taken);
        assertThat(plaintextCount(db, "tokens", "email", "member")).isEqualTo(3000 - taken);

        CliRunner.Run second = cli(db, "migrate", "--table", "tokens", "--shard", "1/2", "--batch-size", "250");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("shard 1/2: rows whose " + target.shardHash() + "(id) mod 2 is 1")
                .as("shard 1 took exactly the rest")
                .contains("Encrypted " + String.format("%,d", 2 * (3000 - taken)) + " value(s) in "
                        + String.format("%,d", 3000 - taken) + " rows");
        assertThat(plaintextCount(db, "tokens", "secret", "s")).isZero();
        assertThat(plaintextCount(db, "tokens", "email", "member")).isZero();
        assertVerifiedOnceAcrossShards(db, "tokens", 3000, 2, "1000");
    }

    @Test
    void verifyReportsATamperedValueByRowAndExitsNonZero() throws Exception {
        EncryptedPlace db = target.create("cli_verify", """
                  accounts:
                    columns:
                      iban: { mode: deterministic }
                      memo: { mode: randomized }
                """, "");
        db.executePlain(target.createAccounts());
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, iban, memo) VALUES (?, ?, ?)")) {
            String[][] rows = {{"DE44500105175407324931", "first"}, {"FR1420041010050500013M02606", null},
                    {"NL91ABNA0417164300", "third"}};
            for (int i = 0; i < rows.length; i++) {
                ps.setInt(1, i + 1);
                ps.setString(2, rows[i][0]);
                ps.setString(3, rows[i][1]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        CliRunner.Run healthy = cli(db, "verify", "--table", "accounts");
        assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isZero();
        assertThat(healthy.out()).contains("3 rows, 5 encrypted values").contains("NULLs: 1")
                .contains("every value decrypts");

        // one bit of row 2's binary ciphertext flipped, and one character of row 3's base64 memo changed
        try (Connection c = db.plain()) {
            byte[] iban;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT iban FROM accounts WHERE id = 2")) {
                rs.next();
                iban = rs.getBytes(1);
            }
            iban[40] ^= 1;
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET iban = ? WHERE id = 2")) {
                ps.setBytes(1, iban);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate(target.changeACharacterOfMemoInRow3())).isEqualTo(1);
            }
        }
        CliRunner.Run run = cli(db, "verify", "--table", "accounts");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("2 value(s) FAIL").contains("row 2, iban").contains("row 3, memo")
                .doesNotContain("FR1420041010050500013M02606").doesNotContain("first");
    }

    private static final String CARDS = """
              cards:
                columns:
                  pan:    { mode: deterministic }
                  holder: { mode: randomized }
            """;

    /** Runs a command with {@code --config} and {@code --url} of {@code db}. */
    protected CliRunner.Run cli(EncryptedPlace db, String... args) {
        return CliRunner.run(db.configFile(), target.plainUrl(db), args);
    }

    private static void insertCards(EncryptedPlace db, int from, int to) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO cards (id, pan, holder) VALUES (?, ?, ?)")) {
            for (int id = from; id <= to; id++) {
                ps.setInt(1, id);
                ps.setString(2, "4111-0000-0000-" + String.format("%04d", id));
                ps.setString(3, "Holder " + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static int phoneLookup(EncryptedPlace db, String phone) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM people WHERE phone = ?")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    private static String notesOf42(EncryptedPlace db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT notes FROM people WHERE id = 42")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static String holderOf(EncryptedPlace db, String pan) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT holder FROM cards WHERE pan = ?")) {
            ps.setString(1, pan);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Version and status of each key row of a table, as the key table holds them. */
    protected Map<Integer, String> keyStatuses(EncryptedPlace db, String table) throws SQLException {
        Map<Integer, String> statuses = new TreeMap<>();
        try (Connection c = db.plain();
             PreparedStatement ps = c.prepareStatement("SELECT key_version, status FROM " + db.keyTable()
                     + " WHERE table_name = ?")) {
            ps.setString(1, target.name(db) + "." + table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statuses.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return statuses;
    }

    /** How many stored values of cards name each key version (bytes 2-5 of the envelope format). */
    private static Map<Integer, Integer> storedVersions(EncryptedPlace db) throws SQLException {
        Map<Integer, Integer> versions = new TreeMap<>();
        List<byte[]> stored = new ArrayList<>();
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pan, holder FROM cards")) {
            while (rs.next()) {
                stored.add(rs.getBytes(1));
                stored.add(Base64.getDecoder().decode(rs.getString(2)));
            }
        }
        for (byte[] value : stored) {
            int version = ((value[2] & 0xff) << 24) | ((value[3] & 0xff) << 16) | ((value[4] & 0xff) << 8)
                    | (value[5] & 0xff);
            versions.merge(version, 1, Integer::sum);
        }
        return versions;
    }

    /** How many stored values of a column still begin with {@code prefix} (binary ones compared as bytes). */
    private static long plaintextCount(EncryptedPlace db, String table, String column, String prefix)
            throws SQLException {
        long count = 0;
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table)) {
            while (rs.next()) {
                Object value = rs.getObject(1);
                String stored = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1)
                        : (String) value;
                if (stored != null && stored.startsWith(prefix)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** {@code verify --shard i/n} for each i: together they check every row of the table once. */
    private void assertVerifiedOnceAcrossShards(EncryptedPlace db, String table, long total, int n, String width) {
        long rows = 0;
        for (int i = 0; i < n; i++) {
            CliRunner.Run run = cli(db, "verify", "--table", table, "--shard", i + "/" + n, "--stripe-width", width);
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            Matcher m = VERIFIED.matcher(run.out());
            assertThat(m.find()).as(run.out()).isTrue();
            rows += number(m.group(1));
        }
        assertThat(rows).isEqualTo(total);
    }

    private static long count(EncryptedPlace db, String sql) throws SQLException {
        try (Connection c = db.plain(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
