package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The key commands and {@code verify} of the command line, against real PostgreSQL. */
class KeyCommandsIT {

    private EncryptedDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedDatabase.create("cli", """
                  accounts:
                    columns:
                      iban: { mode: deterministic }
                      memo: { mode: randomized }
                """);
        db.executePlain("CREATE TABLE accounts (id int PRIMARY KEY, iban bytea, memo text)");
        insert(1, "DE44500105175407324931", "first");
        insert(2, "FR1420041010050500013M02606", null);
    }

    @Test
    void keysListShowsEveryVersion() {
        CliRunner.Run run = cli("keys", "list");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(db.schema() + ".accounts").contains("active").contains("local:")
                .contains("1 key version(s)");
    }

    @Test
    void rotateAddsAnActiveVersionAndOldValuesStayReadable() throws Exception {
        CliRunner.Run run = cli("keys", "rotate", "--table", "accounts");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Added key version 2 (active) for " + db.schema() + ".accounts")
                .containsPattern("Re-encryption may begin one key-cache ttl from now, at \\d{4}-\\d\\d-\\d\\dT")
                .contains("`reencrypt --table accounts` waits until then by itself");
        EnvelopeRuntimes.clear();
        insert(3, "NL91ABNA0417164300", "after rotation");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, memo FROM accounts WHERE iban = ?")) {
            ps.setString(1, "DE44500105175407324931");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("first");
            }
        }
        // randomized values moved to version 2, deterministic ones stayed on version 1
        byte[] memo = db.rawBytesOrText("accounts", "memo", 3);
        byte[] iban = db.rawBytesOrText("accounts", "iban", 3);
        assertThat(version(memo)).isEqualTo(2);
        assertThat(version(iban)).isEqualTo(1);
        CliRunner.Run verify = cli("verify", "--table", "accounts");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("3 rows").contains("every value decrypts").contains("1=").contains("2=1");
    }

    @Test
    void verifyReportsATamperedValueAndExitsNonZero() throws Exception {
        db.executePlain("UPDATE accounts SET iban = set_byte(iban, 40, get_byte(iban, 40) # 1) WHERE id = 2");
        CliRunner.Run run = cli("verify", "--table", "accounts");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("1 value(s) FAIL").contains("row 2, iban")
                .doesNotContain("FR1420041010050500013M02606");
    }

    @Test
    void destroyRefusesAnActiveVersionAndShredsARetiredOne() throws Exception {
        CliRunner.Run refused = cli("keys", "destroy", "--table", "accounts", "--version", "1", "--yes");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.errorLine()).contains("envelope-jdbc:").contains("active");
        assertThat(cli("keys", "rotate", "--table", "accounts").exitCode()).isZero();
        db.executePlain("UPDATE " + db.keyTable() + " SET status = 'retired' WHERE key_version = 1");
        // a raw UPDATE breaks the key rows' MAC: the operator re-authenticates the rows they changed
        assertThat(cli("keys", "destroy", "--table", "accounts", "--version", "1", "--yes").errorLine())
                .contains("refused").contains("keys upgrade");
        assertThat(cli("keys", "upgrade").exitCode()).isZero();
        CliRunner.Run destroyed = cli("keys", "destroy", "--table", "accounts", "--version", "1", "--yes");
        assertThat(destroyed.exitCode()).as(destroyed.err()).isZero();
        assertThat(destroyed.out()).contains("unreadable for good").contains("destroyed");
        assertThat(db.keyRows(db.schema() + ".accounts")).isEqualTo(1);
        CliRunner.Run verify = cli("verify", "--table", "accounts");
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("FAIL");
    }

    @Test
    void rewrapUnderTheSameLocalKeyIsANoOpAndUnderAnotherIsRefused() {
        CliRunner.Run same = cli("keys", "rewrap", "--kms-key", currentKeyId());
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).contains("0 data key(s) re-wrapped").contains("1 already were");
        CliRunner.Run other = cli("keys", "rewrap", "--kms-key", "local:00000000000000000000000000000000");
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.errorLine()).startsWith("error: envelope-jdbc:").contains("ReEncrypt");
    }

    @Test
    void anUnknownTableIsAOneLineError() {
        CliRunner.Run run = cli("keys", "rotate", "--table", "nope");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.errorLine()).startsWith("error: envelope-jdbc:").contains("nope");
        assertThat(run.err().lines().filter(l -> !l.contains("io.envelope.jdbc.")).count()).as(run.err()).isEqualTo(1);
    }

    private String currentKeyId() {
        String listed = cli("keys", "list").out();
        int at = listed.indexOf("local:");
        return listed.substring(at, at + "local:".length() + 32);
    }

    private CliRunner.Run cli(String... args) {
        return CliRunner.run(db, args);
    }

    private void insert(int id, String iban, String memo) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, iban, memo) VALUES (?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, iban);
            ps.setString(3, memo);
            ps.executeUpdate();
        }
    }

    private static int version(byte[] stored) {
        return ((stored[2] & 0xff) << 24) | ((stored[3] & 0xff) << 16) | ((stored[4] & 0xff) << 8) | (stored[5] & 0xff);
    }
}
