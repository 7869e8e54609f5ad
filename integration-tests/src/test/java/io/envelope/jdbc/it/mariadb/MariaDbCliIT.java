package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.cli.CliRunner;
import org.junit.jupiter.api.Test;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rewriting commands of the command line against the real MariaDB: {@code migrate} (whole table, a composite
 * key paged in small batches, sharded), {@code reencrypt} and {@code verify}. Outcomes are read back with plain
 * MariaDB Connector/J: what the server stores, not what the commands say.
 */
class MariaDbCliIT {

    @Test
    void migrateEncryptsExistingPlaintextInPlaceAndARerunChangesNothing() throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("cli_migrate", """
                  people:
                    columns:
                      phone: { mode: deterministic, accept-plaintext: true }
                      notes: { mode: randomized, accept-plaintext: true }
                """, "key-cache:\n  ttl: 500ms\n");
        db.executePlain("CREATE TABLE people (id INT PRIMARY KEY, phone TEXT, notes BLOB)",
                "INSERT INTO people SELECT seq, CONCAT('+49-555-', seq), CONCAT('note ', seq) FROM seq_1_to_2500",
                "INSERT INTO people VALUES (9999, NULL, NULL)");
        assertThat(phoneLookup(db, "+49-555-7")).as("a legacy plaintext row is found before migrate").isEqualTo(7);

        CliRunner.Run run = cli(db, "migrate", "--table", "people", "--batch-size", "700");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Encrypted 5,000 value(s)").contains("No plaintext remains")
                .contains("encrypting: 2,501 rows in").contains("verifying: 2,501 rows in");

        int rows = 0;
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT phone, notes FROM people WHERE id <> 9999")) {
            while (rs.next()) {
                rows++;
                byte[] phone = Base64.getDecoder().decode(rs.getString(1));
                assertThat(phone[0]).as("envelope format version 1").isEqualTo((byte) 1);
                assertThat(new String(phone, StandardCharsets.ISO_8859_1)).doesNotContain("+49-555-");
                byte[] notes = rs.getBytes(2);
                assertThat(notes[0]).isEqualTo((byte) 1);
                assertThat(new String(notes, StandardCharsets.ISO_8859_1)).doesNotContain("note");
            }
        }
        assertThat(rows).isEqualTo(2500);
        EnvelopeRuntimes.clear();
        assertThat(phoneLookup(db, "+49-555-7")).isEqualTo(7);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT notes FROM people WHERE id = 42")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("note 42");
        }

        CliRunner.Run again = cli(db, "migrate", "--table", "people");
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("Encrypted 0 value(s)");
    }

    @Test
    void migratePagesACompositeKeyAndShardsCoverEveryRowOnce() throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("cli_pages", """
                  order:
                    columns:
                      guest: { mode: randomized, accept-plaintext: true }
                  tickets:
                    columns:
                      holder: { mode: deterministic, accept-plaintext: true }
                """, "key-cache:\n  ttl: 200ms\n");
        // a composite key whose first column repeats: a page that ends inside a region must resume inside it; the
        // table's name is a reserved word, which only a quoted name can be
        db.executePlain("CREATE TABLE `order` (region INT, id INT, guest VARCHAR(200), PRIMARY KEY (region, id))",
                "INSERT INTO `order` SELECT seq DIV 10, seq MOD 10, CONCAT('guest-', seq) FROM seq_0_to_99",
                "CREATE TABLE tickets (id INT PRIMARY KEY, holder VARBINARY(200))",
                "INSERT INTO tickets SELECT seq, CONCAT('holder-', seq) FROM seq_0_to_99");

        // in a session where "..." names an identifier, as with backticks: the commands' SQL reads the same
        String ansiQuotes = (db.plainUrl().contains("?") ? "&" : "?") + "sessionVariables=sql_mode=ANSI_QUOTES";
        CliRunner.Run paged = CliRunner.run(db.configFile(), db.plainUrl() + ansiQuotes, "migrate", "--table",
                "order", "--batch-size", "7");
        assertThat(paged.exitCode()).as(paged.out() + paged.err()).isZero();
        assertThat(paged.out()).contains("Encrypted 100 value(s) in 100 rows");
        assertThat(plaintextCount(db, "`order`", "guest", "guest-%")).isZero();
        CliRunner.Run verified = CliRunner.run(db.configFile(), db.plainUrl() + ansiQuotes, "verify", "--table",
                "order");
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("100 rows, 100 encrypted values").contains("{1=100}");

        // shard 0 of 2 with stripes of 10: ids 0-9, 20-29, ... (its stripes only)
        CliRunner.Run first = cli(db, "migrate", "--table", "tickets", "--shard", "0/2", "--stripe-width", "10",
                "--batch-size", "4");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("Encrypted 50 value(s) in 50 rows");
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, holder FROM tickets ORDER BY id")) {
            while (rs.next()) {
                boolean plaintext = new String(rs.getBytes(2), StandardCharsets.ISO_8859_1).startsWith("holder-");
                assertThat(plaintext).as("row " + rs.getInt(1)).isEqualTo(rs.getInt(1) / 10 % 2 == 1);
            }
        }
        CliRunner.Run second = cli(db, "migrate", "--table", "tickets", "--shard", "1/2", "--stripe-width", "10");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("Encrypted 50 value(s) in 50 rows");
        assertThat(plaintextCount(db, "tickets", "holder", "holder-%")).isZero();
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM tickets WHERE holder = ?")) {
            ps.setString(1, "holder-37");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(37);
            }
        }
    }

    @Test
    void shardsOfATextKeySplitItsRowsByHashAndTogetherCoverEveryRowOnce() throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("cli_hashed", """
                  members:
                    columns:
                      email: { mode: deterministic, accept-plaintext: true }
                """, "key-cache:\n  ttl: 200ms\n");
        db.executePlain("CREATE TABLE members (code VARCHAR(40) PRIMARY KEY, email TEXT)",
                "INSERT INTO members SELECT CONCAT('m-', seq), CONCAT('member', seq, '@example.com')"
                        + " FROM seq_1_to_200");
        CliRunner.Run first = cli(db, "migrate", "--table", "members", "--shard", "0/2", "--batch-size", "16");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("shard 0/2: rows whose crc32(code) mod 2 is 0");
        long left = plaintextCount(db, "members", "email", "member%");
        assertThat(left).as("shard 0 took some rows, not all").isBetween(1L, 199L);
        assertThat(first.out()).contains("Encrypted " + (200 - left) + " value(s) in " + (200 - left) + " rows");

        CliRunner.Run second = cli(db, "migrate", "--table", "members", "--shard", "1/2", "--batch-size", "16");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).as("shard 1 took exactly the rest")
                .contains("Encrypted " + left + " value(s) in " + left + " rows");
        assertThat(plaintextCount(db, "members", "email", "member%")).isZero();
    }

    @Test
    void reencryptMovesEveryValueToTheNewestVersionThenTheOldOneCanBeDestroyed() throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("cli_reencrypt", """
                  cards:
                    columns:
                      pan:    { mode: deterministic }
                      holder: { mode: randomized }
                """, "key-cache:\n  ttl: 300ms\n");
        db.executePlain("CREATE TABLE cards (id INT PRIMARY KEY, pan VARBINARY(200), holder TEXT)");
        insertCards(db, 1, 300);
        CliRunner.Run refused = cli(db, "keys", "destroy", "--table", "cards", "--version", "1", "--yes");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.errorLine()).contains("envelope-jdbc:").contains("active");

        CliRunner.Run rotated = cli(db, "keys", "rotate", "--table", "cards");
        assertThat(rotated.exitCode()).as(rotated.out() + rotated.err()).isZero();
        assertThat(rotated.out()).contains("Added key version 2 (active) for " + db.database() + ".cards");
        assertThat(keyStatuses(db)).containsExactly(Map.entry(1, "active"), Map.entry(2, "active"));

        CliRunner.Run run = cli(db, "reencrypt", "--table", "cards", "--batch-size", "128");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("version 1 of " + db.database() + ".cards is now retiring")
                .contains("Re-encrypted 600 value(s) onto version 2").contains("Retired version(s) [1]");
        assertThat(keyStatuses(db)).containsExactly(Map.entry(1, "retired"), Map.entry(2, "active"));
        assertThat(storedVersions(db)).as("every stored value, read by the server").containsExactly(Map.entry(2, 600));

        EnvelopeRuntimes.clear();
        assertThat(holderOf(db, "4111-0000-0000-0123")).isEqualTo("Holder 123");
        CliRunner.Run verify = cli(db, "verify", "--table", "cards");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("300 rows").contains("{2=600}").contains("every value decrypts");

        CliRunner.Run destroyed = cli(db, "keys", "destroy", "--table", "cards", "--version", "1", "--yes");
        assertThat(destroyed.exitCode()).as(destroyed.out() + destroyed.err()).isZero();
        assertThat(keyStatuses(db)).containsExactly(Map.entry(2, "active"));
        EnvelopeRuntimes.clear();
        assertThat(holderOf(db, "4111-0000-0000-0007")).isEqualTo("Holder 7");
    }

    @Test
    void aShardedReencryptStartsRunsItsShardsAndFinishes() throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("cli_sharded_re", """
                  cards:
                    columns:
                      pan:    { mode: deterministic }
                      holder: { mode: randomized }
                """, "key-cache:\n  ttl: 200ms\n");
        db.executePlain("CREATE TABLE cards (id INT PRIMARY KEY, pan VARBINARY(200), holder TEXT)");
        insertCards(db, 1, 120);
        assertThat(cli(db, "keys", "rotate", "--table", "cards").exitCode()).isZero();
        CliRunner.Run early = cli(db, "reencrypt", "--table", "cards", "--shard", "0/2");
        assertThat(early.exitCode()).as("a shard before --start is refused").isNotZero();
        assertThat(early.errorLine()).contains("reencrypt --start");

        CliRunner.Run start = cli(db, "reencrypt", "--table", "cards", "--start");
        assertThat(start.exitCode()).as(start.out() + start.err()).isZero();
        assertThat(keyStatuses(db)).containsExactly(Map.entry(1, "retiring"), Map.entry(2, "active"));
        for (String shard : new String[] {"0/2", "1/2"}) {
            CliRunner.Run run = cli(db, "reencrypt", "--table", "cards", "--shard", shard, "--stripe-width", "25",
                    "--batch-size", "16");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        }
        assertThat(storedVersions(db)).as("the two shards moved every value").containsExactly(Map.entry(2, 240));
        CliRunner.Run finish = cli(db, "reencrypt", "--table", "cards", "--finish");
        assertThat(finish.exitCode()).as(finish.out() + finish.err()).isZero();
        assertThat(finish.out()).contains("Retired version(s) [1]");
        assertThat(keyStatuses(db)).containsExactly(Map.entry(1, "retired"), Map.entry(2, "active"));
        EnvelopeRuntimes.clear();
        assertThat(holderOf(db, "4111-0000-0000-0099")).isEqualTo("Holder 99");
    }

    private static void insertCards(EncryptedMariaDb db, int from, int to) throws SQLException {
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

    @Test
    void verifyReportsATamperedValueByRowAndExitsNonZero() throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("cli_verify", """
                  accounts:
                    columns:
                      iban: { mode: deterministic }
                      memo: { mode: randomized }
                """);
        db.executePlain("CREATE TABLE accounts (id INT PRIMARY KEY, iban VARBINARY(200), memo TEXT)");
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
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT iban FROM accounts"
                    + " WHERE id = 2")) {
                rs.next();
                iban = rs.getBytes(1);
            }
            iban[40] ^= 1;
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET iban = ? WHERE id = 2")) {
                ps.setBytes(1, iban);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE accounts SET memo = CONCAT(LEFT(memo, 30),"
                        + " IF(SUBSTRING(memo, 31, 1) = BINARY 'A', 'B', 'A'), SUBSTRING(memo, 32)) WHERE id = 3"))
                        .isEqualTo(1);
            }
        }
        CliRunner.Run run = cli(db, "verify", "--table", "accounts");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("2 value(s) FAIL").contains("row 2, iban").contains("row 3, memo")
                .doesNotContain("FR1420041010050500013M02606").doesNotContain("first");
    }

    static CliRunner.Run cli(EncryptedMariaDb db, String... args) {
        return CliRunner.run(db.configFile(), db.plainUrl(), args);
    }

    private static int phoneLookup(EncryptedMariaDb db, String phone) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM people WHERE phone = ?")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    private static String holderOf(EncryptedMariaDb db, String pan) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT holder FROM cards WHERE pan = ?")) {
            ps.setString(1, pan);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** How many values of a column the server still holds as the plaintext pattern (compared as bytes). */
    private static long plaintextCount(EncryptedMariaDb db, String table, String column, String like)
            throws SQLException {
        try (Connection c = db.plain();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE CAST(" + column
                     + " AS BINARY) LIKE ?")) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Version and status of each key row of cards, as the key table holds them. */
    static Map<Integer, String> keyStatuses(EncryptedMariaDb db) throws SQLException {
        return keyStatuses(db, "cards");
    }

    /** Version and status of each key row of a table, as the key table holds them. */
    static Map<Integer, String> keyStatuses(EncryptedMariaDb db, String table) throws SQLException {
        Map<Integer, String> statuses = new TreeMap<>();
        try (Connection c = db.plain();
             PreparedStatement ps = c.prepareStatement("SELECT key_version, status FROM " + db.keyTable()
                     + " WHERE table_name = ?")) {
            ps.setString(1, db.database() + "." + table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    statuses.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return statuses;
    }

    /** How many stored values of cards name each key version (bytes 2-5 of the envelope format). */
    private static Map<Integer, Integer> storedVersions(EncryptedMariaDb db) throws SQLException {
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
            versions.merge(version(value), 1, Integer::sum);
        }
        return versions;
    }

    static int version(byte[] stored) {
        return ((stored[2] & 0xff) << 24) | ((stored[3] & 0xff) << 16) | ((stored[4] & 0xff) << 8)
                | (stored[5] & 0xff);
    }
}
