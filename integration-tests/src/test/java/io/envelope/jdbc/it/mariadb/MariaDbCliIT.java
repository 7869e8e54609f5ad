package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.cli.CliRunner;
import io.envelope.jdbc.it.cli.RewriteCommandScenarios;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link RewriteCommandScenarios} ({@code migrate}, {@code reencrypt}, {@code verify}, whole and sharded) on
 * MariaDB through MariaDB Connector/J, where a text key is sharded by {@code crc32}; and what only MariaDB has: a
 * table named by a reserved word (backticks) with a composite key, rewritten in a session whose {@code sql_mode}
 * has ANSI_QUOTES.
 */
class MariaDbCliIT extends RewriteCommandScenarios {

    MariaDbCliIT() {
        super(new MariaDbCliTarget());
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
}
