package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.cli.CliRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The key commands ({@code keys list}, {@code rewrap}, {@code export}, {@code import}) and {@code doctor} of the
 * command line against the real MariaDB, the key table read back with plain MariaDB Connector/J.
 */
class MariaDbKeysAndDoctorIT {

    private static final String TABLES = """
              customers:
                columns:
                  email:  { mode: deterministic }
                  note:   { mode: randomized }
                  legacy: { mode: deterministic, accept-plaintext: true }
              orders:
                columns:
                  item: { mode: randomized }
            """;

    private static EncryptedMariaDb database(String prefix) throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create(prefix, TABLES);
        db.executePlain("CREATE TABLE customers (id INT PRIMARY KEY, email VARBINARY(255), note TEXT,"
                        + " legacy VARCHAR(200))",
                "CREATE TABLE orders (id INT PRIMARY KEY, item BLOB)");
        return db;
    }

    private static void write(EncryptedMariaDb db, int from, int to) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement customers = c.prepareStatement("INSERT INTO customers (id, email, note, legacy)"
                     + " VALUES (?, ?, ?, ?)");
             PreparedStatement orders = c.prepareStatement("INSERT INTO orders (id, item) VALUES (?, ?)")) {
            for (int i = from; i < to; i++) {
                customers.setInt(1, i);
                customers.setString(2, "user" + i + "@example.com");
                customers.setString(3, "note " + i);
                customers.setString(4, "legacy " + i);
                customers.executeUpdate();
                orders.setInt(1, i);
                orders.setString(2, "item " + i);
                orders.executeUpdate();
            }
        }
    }

    private static List<String> readAll(EncryptedMariaDb db) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, email, note, legacy FROM customers ORDER BY id")) {
                while (rs.next()) {
                    values.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, item FROM orders ORDER BY id")) {
                while (rs.next()) {
                    values.add(rs.getInt(1) + " " + rs.getString(2));
                }
            }
        }
        return values;
    }

    /** Every key row, every column, as the server holds it. */
    private static List<String> keyTable(EncryptedMariaDb db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + db.keyTable() + " ORDER BY table_name, key_version")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    row.append(value instanceof byte[] b ? HexFormat.of().formatHex(b) : value).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Test
    void keysListAndRewrapShowAndKeepTheKeyTable() throws Exception {
        EncryptedMariaDb db = database("cli_keys");
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
        EncryptedMariaDb db = database("cli_upgrade");
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
        assertThat(verify.out()).contains("2 value(s) FAIL");
    }

    @Test
    void exportDropImportEveryValueDecryptsAgainAndImportingTwiceChangesNothing() throws Exception {
        EncryptedMariaDb db = database("cli_backup");
        write(db, 1, 4);
        assertThat(cli(db, "keys", "rotate", "--table", "customers").exitCode()).isZero();
        EnvelopeRuntimes.clear();
        write(db, 4, 6);   // customers values under versions 1 and 2
        List<String> before = readAll(db);
        List<String> keyRows = keyTable(db);
        assertThat(keyRows).hasSize(3);

        Path export = Files.createTempDirectory("envelope-export").resolve("keys.json");
        CliRunner.Run exported = cli(db, "keys", "export", "--out", export.toString());
        assertThat(exported.exitCode()).as(exported.out() + exported.err()).isZero();
        assertThat(exported.out()).contains("Exported 3 key row(s) of 2 table(s)");

        db.executePlain("DROP TABLE " + db.keyTable());
        EnvelopeRuntimes.clear();
        assertThat(catchThrowable(() -> readAll(db))).as("the values cannot be read without their keys")
                .isInstanceOf(SQLException.class);

        CliRunner.Run imported = cli(db, "keys", "import", "--in", export.toString());
        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("3 key row(s) imported, 0 already present, 0 refused");
        EnvelopeRuntimes.clear();
        assertThat(readAll(db)).isEqualTo(before);
        assertThat(keyTable(db)).as("restored exactly, authentication included").isEqualTo(keyRows);

        CliRunner.Run again = cli(db, "keys", "import", "--in", export.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("0 key row(s) imported, 3 already present, 0 refused");
        assertThat(keyTable(db)).isEqualTo(keyRows);
    }

    @Test
    void doctorIsHealthyThenReportsPlaintextAMissingKeyRowAndANarrowColumn() throws Exception {
        EncryptedMariaDb db = database("cli_doctor");
        write(db, 1, 4);
        String d = db.database();
        // a legacy plaintext value whose first characters are an envelope value's in another case: under the
        // column's case-insensitive collation it would pass for one
        db.executePlain("INSERT INTO customers (id, legacy) VALUES (10, 'aqiaaaab legacy')");
        CliRunner.Run healthy = cli(db, "doctor");
        assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isZero();
        assertThat(healthy.out()).contains("0 problem(s): healthy")
                .contains("OK       database: MariaDB").contains("current schema " + d)
                .contains("OK       table " + d + ".customers: exists, 3 encrypted column(s)")
                .contains("OK       values " + d + ".customers.email: 3 non-null: 3 under v1; 3 sampled")
                .contains("OK       values " + d + ".customers.legacy: 4 non-null: 3 under v1, 1 plaintext")
                .contains("OK       values " + d + ".orders.item: 3 non-null: 3 under v1");

        CliRunner.Run bounded = cli(db, "doctor", "--count-rows", "2");
        assertThat(bounded.exitCode()).as(bounded.out() + bounded.err()).isZero();
        assertThat(bounded.out()).contains("OK       values " + d + ".customers.email: 2 non-null (in the first 2 rows):"
                + " 2 under v1");

        // plaintext written around envelope-jdbc into a column that does not accept it
        db.executePlain("INSERT INTO orders (id, item) VALUES (99, 'written around the driver')");
        CliRunner.Run plaintext = cli(db, "doctor");
        assertThat(plaintext.exitCode()).isEqualTo(1);
        assertThat(plaintext.out()).contains("PROBLEM  values " + d + ".orders.item: 1 value(s) not in envelope"
                + " format").contains("NOT healthy").doesNotContain("written around the driver");
        db.executePlain("DELETE FROM orders WHERE id = 99");
        assertThat(cli(db, "doctor").exitCode()).isZero();

        // the key rows of orders lost
        db.executePlain("DELETE FROM " + db.keyTable() + " WHERE table_name = '" + d + ".orders'");
        CliRunner.Run lost = cli(db, "doctor");
        assertThat(lost.exitCode()).isEqualTo(1);
        assertThat(lost.out()).contains("PROBLEM  key rows " + d + ".orders: none, but 3 stored value(s)")
                .contains("keys import --in FILE");

        // a column too narrow for a value's ciphertext
        EncryptedMariaDb narrow = EncryptedMariaDb.create("cli_doctor_narrow", """
                  accounts:
                    columns:
                      number: { mode: deterministic, type: bigint }
                """);
        narrow.executePlain("CREATE TABLE accounts (id INT PRIMARY KEY, number VARBINARY(20))");
        CliRunner.Run tooNarrow = cli(narrow, "doctor");
        assertThat(tooNarrow.exitCode()).isEqualTo(1);
        assertThat(tooNarrow.out()).contains("PROBLEM  column " + narrow.database() + ".accounts.number: too narrow:"
                + " VARBINARY(20) holds 20 bytes of ciphertext, but a deterministic bigint value is stored as up to 71"
                + " bytes");
        narrow.executePlain("ALTER TABLE accounts MODIFY number VARBINARY(100)");
        CliRunner.Run widened = cli(narrow, "doctor");
        assertThat(widened.exitCode()).as(widened.out()).isZero();
        assertThat(widened.out()).contains("OK       column " + narrow.database() + ".accounts.number: VARBINARY(100),"
                + " deterministic bigint, at most 71 bytes");
    }

    private static CliRunner.Run cli(EncryptedMariaDb db, String... args) {
        return CliRunner.run(db.configFile(), db.plainUrl(), args);
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
