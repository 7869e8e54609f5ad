package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.cli.CliRunner;
import io.envelope.jdbc.it.cli.KeyBackupAndDoctorScenarios;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link KeyBackupAndDoctorScenarios} (the restore drill, and {@code doctor}) on MariaDB through MariaDB
 * Connector/J; and here only: {@code keys list}, {@code rewrap} and {@code upgrade} (their PostgreSQL counterparts
 * are in KeyCommandsIT), and {@code doctor} on a binary column too narrow for its ciphertext (PostgreSQL's bytea has
 * no declared length).
 */
class MariaDbKeysAndDoctorIT extends KeyBackupAndDoctorScenarios {

    MariaDbKeysAndDoctorIT() {
        super(new MariaDbCliTarget());
    }

    @Test
    void keysListAndRewrapShowAndKeepTheKeyTable() throws Exception {
        EncryptedMariaDb db = (EncryptedMariaDb) deployment("cli_keys");
        write(db, 1, 3);
        CliRunner.Run list = cli(db, "keys", "list");
        assertThat(list.exitCode()).as(list.out() + list.err()).isZero();
        assertThat(list.out()).contains(db.database() + ".customers").contains(db.database() + ".orders")
                .contains("active").contains("2 key version(s) in " + db.keyTable());
        int at = list.out().indexOf("local:");
        String keyId = list.out().substring(at, at + "local:".length() + 32);

        List<String> before = keyTable(db);
        CliRunner.Run same = cli(db, "keys", "rewrap", "--kms-key", keyId);
        assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("0 data key(s) re-wrapped").contains("2 already were");
        CliRunner.Run other = cli(db, "keys", "rewrap", "--kms-key", "local:00000000000000000000000000000000");
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.errorLine()).startsWith("error: envelope-jdbc:");
        assertThat(keyTable(db)).as("neither rewrap changed a key row").isEqualTo(before);
    }

    @Test
    void aKeyRowChangedInTheDatabaseIsRefusedUntilKeysUpgradeSealsItAgain() throws Exception {
        EncryptedMariaDb db = (EncryptedMariaDb) deployment("cli_upgrade");
        write(db, 1, 3);
        assertThat(cli(db, "keys", "rotate", "--table", "orders").exitCode()).isZero();
        db.executePlain("UPDATE " + db.keyTable() + " SET status = 'retired' WHERE table_name = '" + db.database()
                + ".orders' AND key_version = 1");
        CliRunner.Run refused = cli(db, "keys", "destroy", "--table", "orders", "--version", "1", "--yes");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.errorLine()).contains("refused").contains("keys upgrade");
        assertThat(keyStatuses(db, "orders")).containsKeys(1, 2);

        CliRunner.Run upgraded = cli(db, "keys", "upgrade");
        assertThat(upgraded.exitCode()).as(upgraded.out() + upgraded.err()).isZero();
        CliRunner.Run destroyed = cli(db, "keys", "destroy", "--table", "orders", "--version", "1", "--yes");
        assertThat(destroyed.exitCode()).as(destroyed.out() + destroyed.err()).isZero();
        assertThat(destroyed.out()).contains("destroyed");
        assertThat(keyStatuses(db, "orders")).containsOnlyKeys(2);
        CliRunner.Run verify = cli(db, "verify", "--table", "orders");
        assertThat(verify.exitCode()).as("values under the destroyed version no longer decrypt").isEqualTo(1);
        assertThat(verify.out()).as("rows 1 and 2, item and amount").contains("4 value(s) FAIL");
    }

    @Test
    void aBinaryColumnTooNarrowForItsCiphertextIsReportedWithTheWidthItNeeds() throws Exception {
        EncryptedMariaDb narrow = EncryptedMariaDb.create("cli_doctor_narrow", ACCOUNTS);
        narrow.executePlain("CREATE TABLE accounts (id INT PRIMARY KEY, number VARBINARY(20))");
        CliRunner.Run tooNarrow = doctor(narrow);
        assertThat(tooNarrow.exitCode()).isEqualTo(1);
        assertThat(tooNarrow.out()).contains("PROBLEM  column " + narrow.database() + ".accounts.number: too narrow:"
                + " VARBINARY(20) holds 20 bytes of ciphertext, but a deterministic bigint value is stored as up to 71"
                + " bytes");
        narrow.executePlain("ALTER TABLE accounts MODIFY number VARBINARY(100)");
        CliRunner.Run widened = doctor(narrow);
        assertThat(widened.exitCode()).as(widened.out()).isZero();
        assertThat(widened.out()).contains("OK       column " + narrow.database() + ".accounts.number: VARBINARY(100),"
                + " deterministic bigint, at most 71 bytes");
    }

    /** Version and status of each key row of a table, as the key table holds them. */
    private static Map<Integer, String> keyStatuses(EncryptedMariaDb db, String table) throws SQLException {
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
}
