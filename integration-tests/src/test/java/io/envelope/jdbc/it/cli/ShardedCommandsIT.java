package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --shard i/n} covers a table exactly once: integer keys in stripes (negative, sparse and huge keys too),
 * other keys by hash; each worker's counts add up to the table's.
 */
class ShardedCommandsIT {

    private static final Pattern ENCRYPTED = Pattern.compile("Encrypted ([\\d,]+) value\\(s\\) in ([\\d,]+) rows");
    private static final Pattern VERIFIED = Pattern.compile(": ([\\d,]+) rows, ([\\d,]+) encrypted values checked");

    @Test
    void stripesOfAnIntegerKeyCoverEveryRowOnce() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("shardint", """
                  people:
                    columns:
                      phone: { mode: deterministic, accept-plaintext: true }
                """, "key-cache:\n  ttl: 500ms\n");
        db.executePlain("CREATE TABLE people (id bigint PRIMARY KEY, phone text)",
                // negative, dense, sparse and huge keys: stripes are floor(id / width), whatever the sign
                "INSERT INTO people SELECT id, 'p' || id FROM generate_series(-5000, -1, 7) AS id",
                "INSERT INTO people SELECT id, 'p' || id FROM generate_series(1, 6000) AS id",
                "INSERT INTO people SELECT 1000000000000 + id * 997, 'p' || id FROM generate_series(1, 300) AS id",
                "INSERT INTO people VALUES (7000, NULL)");
        long total = count(db, "SELECT count(*) FROM people");
        long values = count(db, "SELECT count(phone) FROM people");
        long rows = 0;
        long encrypted = 0;
        for (int i = 0; i < 3; i++) {
            CliRunner.Run run = CliRunner.run(db, "migrate", "--table", "people", "--shard", i + "/3",
                    "--batch-size", "400", "--stripe-width", "500");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("No plaintext remains in shard " + i + "/3");
            Matcher m = ENCRYPTED.matcher(run.out());
            assertThat(m.find()).as(run.out()).isTrue();
            encrypted += number(m.group(1));
            rows += number(m.group(2));
        }
        assertThat(encrypted).isEqualTo(values);
        assertThat(rows).isEqualTo(total);
        assertVerifiedOnceAcrossShards(db, "people", total, 3, "500");
        CliRunner.Run whole = CliRunner.run(db, "verify", "--table", "people");
        assertThat(whole.out()).contains("plaintext values (accept-plaintext columns): 0").contains("every value decrypts");
    }

    @Test
    void aUuidKeyIsShardedByHash() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("sharduuid", """
                  tokens:
                    columns:
                      secret: { mode: randomized, accept-plaintext: true }
                """, "key-cache:\n  ttl: 500ms\n");
        db.executePlain("CREATE TABLE tokens (id uuid PRIMARY KEY, secret bytea)",
                "INSERT INTO tokens SELECT md5(i::text)::uuid, convert_to('s' || i, 'UTF8')"
                        + " FROM generate_series(1, 3000) AS i");
        long encrypted = 0;
        for (int i = 0; i < 2; i++) {
            CliRunner.Run run = CliRunner.run(db, "migrate", "--table", "tokens", "--shard", i + "/2",
                    "--batch-size", "250");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("hashtext(id) mod 2 is " + i);
            Matcher m = ENCRYPTED.matcher(run.out());
            assertThat(m.find()).isTrue();
            assertThat(number(m.group(1))).as("each shard has a fair part").isBetween(1_200L, 1_800L);
            encrypted += number(m.group(1));
        }
        assertThat(encrypted).isEqualTo(3000);
        assertVerifiedOnceAcrossShards(db, "tokens", 3000, 2, "1000");
    }

    @Test
    void aShardedReencryptRefusesToRunBeforeStart() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("shardstart", """
                  cards:
                    columns:
                      pan: { mode: deterministic }
                """, "key-cache:\n  ttl: 300ms\n");
        db.executePlain("CREATE TABLE cards (id int PRIMARY KEY, pan bytea)");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO cards VALUES (1, '4111')");
        }
        assertThat(CliRunner.run(db, "keys", "rotate", "--table", "cards").exitCode()).isZero();
        CliRunner.Run early = CliRunner.run(db, "reencrypt", "--table", "cards", "--shard", "0/2");
        assertThat(early.exitCode()).isNotZero();
        assertThat(early.errorLine()).contains("still active").contains("--start");
        CliRunner.Run both = CliRunner.run(db, "reencrypt", "--table", "cards", "--start", "--finish");
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("mutually exclusive");
    }

    private static void assertVerifiedOnceAcrossShards(EncryptedDatabase db, String table, long total, int n,
                                                       String width) {
        long rows = 0;
        for (int i = 0; i < n; i++) {
            CliRunner.Run run = CliRunner.run(db, "verify", "--table", table, "--shard", i + "/" + n,
                    "--stripe-width", width);
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            Matcher m = VERIFIED.matcher(run.out());
            assertThat(m.find()).as(run.out()).isTrue();
            rows += number(m.group(1));
        }
        assertThat(rows).isEqualTo(total);
    }

    private static long count(EncryptedDatabase db, String sql) throws Exception {
        try (Connection c = db.plain(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
