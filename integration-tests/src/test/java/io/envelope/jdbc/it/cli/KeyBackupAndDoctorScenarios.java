package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.it.faults.QuietStderr;
import io.envelope.jdbc.keys.KeyExport;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.keys.KeyStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Key backups and {@code doctor} against a real database ({@link CliTarget}), the key table read back with the
 * plain driver.
 *
 * <p>The restore drill of the README's "Backups and disaster recovery": keys export, the key table lost, keys
 * import, every value decrypts again; importing twice changes nothing; a conflicting row, a row that does not unwrap
 * and a tampered file are refused.
 *
 * <p>{@code doctor}: OK on a healthy deployment (exit status 0), and each fault it must find — plaintext written
 * around the driver, a misspelt configured column or table, a table whose key rows are gone, a key row that does not
 * unwrap, values under a version the key table lacks, a column too narrow for its ciphertext — reported on its own
 * line with exit status 1. It never prints a stored plaintext.
 *
 * <p>The configuration's warnings (about {@code accept-plaintext} columns) are held back unless a test fails.
 */
@ExtendWith(QuietStderr.class)
public abstract class KeyBackupAndDoctorScenarios {

    protected static final String TABLES = """
              customers:
                columns:
                  email:  { mode: deterministic }
                  note:   { mode: randomized }
                  legacy: { mode: deterministic, accept-plaintext: true }
              orders:
                columns:
                  item:   { mode: randomized }
                  amount: { mode: deterministic, type: decimal, scale: 2, precision: 12 }
            """;

    /** What the stored plaintexts contain: doctor prints none of them. */
    private static final List<String> PLAINTEXTS = List.of("@example.com", "a private note", "a legacy value",
            "plain legacy value", "secret item", "written around the driver");

    protected final CliTarget target;

    protected KeyBackupAndDoctorScenarios(CliTarget target) {
        this.target = target;
    }

    @Test
    void exportDropImportEveryValueDecryptsAgainAndImportingTwiceChangesNothing() throws Exception {
        EncryptedPlace db = deployment("keybackup");
        write(db, 1, 4);
        assertThat(succeed(db, "keys", "rotate", "--table", "customers")).contains("Added key version 2");
        EnvelopeRuntimes.clear();
        write(db, 4, 6);   // customers values under versions 1 and 2
        List<String> before = readAll(db);
        List<String> keyRows = keyTable(db);
        assertThat(keyRows).hasSize(3);

        Path export = Files.createTempDirectory("envelope-export").resolve("keys.json");
        String exported = succeed(db, "keys", "export", "--out", export.toString());
        assertThat(exported).contains("Exported 3 key row(s) of 2 table(s)");
        String file = Files.readString(export);
        assertThat(file).contains("\"format\": \"envelope-jdbc-key-export\"").contains("\"checksum\": \"sha256:");

        db.executePlain("DROP TABLE " + db.keyTable());
        EnvelopeRuntimes.clear();
        assertThat(catchThrowable(() -> readAll(db))).as("the values cannot be read without their keys")
                .isInstanceOf(SQLException.class);

        String imported = succeed(db, "keys", "import", "--in", export.toString());
        assertThat(imported).contains("3 key row(s) imported, 0 already present, 0 refused");
        EnvelopeRuntimes.clear();
        assertThat(readAll(db)).isEqualTo(before);
        assertThat(keyTable(db)).as("restored exactly, authentication included").isEqualTo(keyRows);

        String again = succeed(db, "keys", "import", "--in", export.toString());
        assertThat(again).contains("0 key row(s) imported, 3 already present, 0 refused");
        assertThat(keyTable(db)).isEqualTo(keyRows);
        EnvelopeRuntimes.clear();
        write(db, 6, 7);
        assertThat(readAll(db)).hasSize(before.size() + 2);
    }

    @Test
    void aRowThatConflictsWithADifferentExistingOneIsRefusedAndATamperedFileIsRejected() throws Exception {
        EncryptedPlace db = deployment("keyconflict");
        write(db, 1, 2);
        Path export = Files.createTempDirectory("envelope-export").resolve("keys.json");
        succeed(db, "keys", "export", "--out", export.toString());

        // orders lost its key and got a new one (values of the old one are gone with the test's DELETE)
        db.executePlain("DELETE FROM orders", "DELETE FROM " + db.keyTable() + " WHERE table_name LIKE '%.orders'");
        EnvelopeRuntimes.clear();
        write(db, 2, 3);
        CliRunner.Run conflict = cli(db, "keys", "import", "--in", export.toString());
        assertThat(conflict.exitCode()).isEqualTo(1);
        assertThat(conflict.out())
                .contains(".orders v1: refused: the key table holds a different row for this version")
                .contains(".customers v1: already present").contains("1 refused");

        Files.writeString(export, Files.readString(export).replace("\"active\"", "\"retired\""));
        CliRunner.Run tampered = cli(db, "keys", "import", "--in", export.toString());
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.errorLine()).contains("checksum does not match");
    }

    @Test
    void aRowThatDoesNotUnwrapIsRefusedBeforeAnythingOfItsTableIsWritten() throws Exception {
        EncryptedPlace db = deployment("keyunwrap");
        write(db, 1, 2);
        Path export = Files.createTempDirectory("envelope-export").resolve("keys.json");
        succeed(db, "keys", "export", "--out", export.toString());
        // a well-formed export (valid checksum) whose orders row carries the wrapped key of customers: it is bound to
        // another table, so the KMS refuses to unwrap it in this row
        List<KeyRow> rows = KeyExport.read(Files.readString(export), "test");
        KeyRow customers = rows.stream().filter(r -> r.tableName().endsWith(".customers")).findFirst().orElseThrow();
        List<KeyRow> swapped = rows.stream().map(r -> !r.tableName().endsWith(".orders") ? r
                : new KeyRow(r.tableName(), r.keyVersion(), r.kmsProvider(), r.kmsKeyId(), customers.encryptedKey(),
                r.status(), r.createdAt(), r.stateSeq(), r.stateMac())).toList();
        Files.writeString(export, KeyExport.write(db.keyTable(), swapped, LocalDateTime.now()));

        db.executePlain("DELETE FROM " + db.keyTable() + " WHERE table_name LIKE '%.orders'");
        CliRunner.Run refused = cli(db, "keys", "import", "--in", export.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errorLine()).startsWith("error: ").contains(".orders").contains("key version 1");
        assertThat(keyRows(db, "orders")).as("nothing written for the table").isZero();
        assertThat(keyRows(db, "customers")).isEqualTo(1);
    }

    @Test
    void aHealthyDeploymentExitsZeroWithOkLines() throws Exception {
        EncryptedPlace db = deployment("doctorok");
        write(db, 1, 4);
        String s = target.name(db);
        // a legacy plaintext value whose first characters are an envelope value's in another case: under a
        // case-insensitive collation it would pass for one
        db.executePlain("INSERT INTO customers (id, legacy) VALUES (10, 'aqiaaaab plain legacy value')");

        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(lines(run, "PROBLEM")).isEmpty();
        assertThat(run.out()).contains("OK       database: " + target.productName())
                .contains("current schema " + s)
                .contains(target.emailColumnReport(s));
        assertThat(lines(run, "OK"))
                .anyMatch(l -> l.equals("OK       table " + s + ".customers: exists, 3 encrypted column(s)"))
                .anyMatch(l -> l.contains("column " + s + ".orders.amount: " + target.typeAsShown("varchar(100)")
                        + ", deterministic decimal(12, scale 2), at most 71 bytes (95 base64 characters)"))
                .anyMatch(l -> l.startsWith("OK       key table " + s + ".envelope_data_keys: "
                        + target.keyTableOwnerReport()) && l.contains("2 key row(s) of 2 table(s)"))
                .anyMatch(l -> l.contains("key rows are authenticated"))
                .anyMatch(l -> l.contains("key rows " + s + ".customers: versions 1 active: every row unwraps"))
                .anyMatch(l -> l.contains("key rows " + s + ".orders: authenticated: every row verifies"))
                .anyMatch(l -> l.equals("OK       values " + s + ".customers.email: 3 non-null: 3 under v1; 3 sampled"
                        + " value(s) decrypt"))
                .anyMatch(l -> l.startsWith("OK       values " + s + ".customers.legacy: 4 non-null: 3 under v1,"
                        + " 1 plaintext"))
                .anyMatch(l -> l.contains("values " + s + ".orders.item: 3 non-null: 3 under v1"))
                .anyMatch(l -> l.contains("values " + s + ".orders.amount: 3 non-null: 3 under v1"));
        assertThat(lines(run, "NOTE"))
                .anyMatch(l -> l.contains("column " + s + ".customers.note: " + target.typeAsShown("varchar(300)")
                        + ", randomized text: holds values up to 174 bytes of UTF-8"))
                .anyMatch(l -> l.contains("values " + s + ".customers.legacy: 1 plaintext value(s) remain"
                        + " (accept-plaintext): encrypt them with migrate"));
        assertThat(run.out()).contains("0 problem(s): healthy");

        CliRunner.Run counted = doctor(db, "--count-rows", "2");
        assertThat(counted.exitCode()).as(counted.out() + counted.err()).isZero();
        assertThat(counted.out()).contains("OK       values " + s + ".customers.email: 2 non-null (in the first 2"
                + " rows): 2 under v1");
        CliRunner.Run bounded = doctor(db, "--count-rows", "2", "--sample", "1");
        assertThat(bounded.exitCode()).isZero();
        assertThat(bounded.out()).contains("values " + s + ".customers.email: 2 non-null (in the first 2 rows): 2"
                + " under v1; 1 sampled value(s) decrypt");
    }

    @Test
    void plaintextWrittenAroundTheDriverIntoAColumnThatDoesNotAcceptItIsAProblem() throws Exception {
        EncryptedPlace db = deployment("doctorplain");
        write(db, 1, 4);
        String s = target.name(db);
        // plaintext written around envelope-jdbc into a column that does not accept it
        try (Connection c = db.plain();
             PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, item) VALUES (99, ?)")) {
            ps.setBytes(1, "written around the driver".getBytes(StandardCharsets.UTF_8));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        CliRunner.Run plaintext = doctor(db);
        assertThat(plaintext.exitCode()).isEqualTo(1);
        assertThat(plaintext.out()).contains("PROBLEM  values " + s + ".orders.item: 1 value(s) not in envelope"
                + " format").contains("NOT healthy");
        db.executePlain("DELETE FROM orders WHERE id = 99");
        CliRunner.Run healthy = doctor(db);
        assertThat(healthy.exitCode()).as(healthy.out()).isZero();
    }

    @Test
    void aMisspeltConfiguredColumnIsReportedWithTheNameItProbablyMeant() throws Exception {
        EncryptedPlace db = deployment("doctorspell", TABLES.replace("email:  {", "emial:  {"));
        String s = target.name(db);
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM")).anyMatch(l -> l.startsWith("PROBLEM  column " + s
                + ".customers.emial: configured column " + s + ".customers.emial does not exist in the"
                + " table (did you mean email?)"));
        assertThat(run.out()).contains("NOT healthy");

        EncryptedPlace table = deployment("doctortable", TABLES.replace("  orders:", "  ordres:"));
        String t = target.name(table);
        CliRunner.Run misspeltTable = doctor(table);
        assertThat(misspeltTable.exitCode()).isEqualTo(1);
        assertThat(lines(misspeltTable, "PROBLEM")).anyMatch(l -> l.startsWith("PROBLEM  table " + t
                + ".ordres: configured as tables.ordres in ") && l.contains("does not exist (or this user cannot see"
                + " it) (did you mean orders?)"));
    }

    @Test
    void aTableWhoseKeyRowsAreGoneIsReportedWithTheFix() throws Exception {
        EncryptedPlace db = deployment("doctorlost");
        write(db, 1, 3);
        String s = target.name(db);
        db.executePlain("DELETE FROM " + db.keyTable() + " WHERE table_name = '" + s + ".orders'");
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM")).anyMatch(l -> l.startsWith("PROBLEM  key rows " + s
                + ".orders: none, but 4 stored value(s) name key version(s) 1: the key table has lost this table's"
                + " keys") && l.contains("keys import --in FILE"));
        assertThat(lines(run, "OK")).as("the other table is fine")
                .anyMatch(l -> l.contains("key rows " + s + ".customers: authenticated: every row verifies"));
    }

    @Test
    void aKeyRowThatDoesNotUnwrapIsReported() throws Exception {
        EncryptedPlace db = deployment("doctorunwrap");
        write(db, 1, 3);
        String s = target.name(db);
        // orders' row gets the wrapped key of customers (bound to another table: fails to unwrap); customers' row
        // names a KMS key the configuration does not allow
        try (Connection c = db.plain()) {
            byte[] wrapped;
            try (PreparedStatement ps = c.prepareStatement("SELECT encrypted_key FROM " + db.keyTable()
                    + " WHERE table_name = ?")) {
                ps.setString(1, s + ".customers");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    wrapped = rs.getBytes(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + db.keyTable() + " SET encrypted_key = ?"
                    + " WHERE table_name = ?")) {
                ps.setBytes(1, wrapped);
                ps.setString(2, s + ".orders");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        db.executePlain("UPDATE " + db.keyTable() + " SET kms_key_id = 'local:00000000000000000000000000000000'"
                + " WHERE table_name = '" + s + ".customers'");
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM"))
                .anyMatch(l -> l.startsWith("PROBLEM  key rows " + s + ".orders: key version 1 does not unwrap: ")
                        && l.contains("keys import"))
                .anyMatch(l -> l.startsWith("PROBLEM  key rows " + s + ".customers: key version 1 does not unwrap: ")
                        && l.contains("is neither the configured KMS key") && l.contains("allowed-key-ids"))
                .anyMatch(l -> l.startsWith("PROBLEM  values " + s + ".orders.item: 2 value(s) under key version 1,"
                        + " whose key row does not unwrap"));
        assertThat(lines(run, "OK")).noneMatch(l -> l.contains("key rows " + s + ".orders: versions"));
    }

    @Test
    void valuesUnderAVersionTheKeyTableLacksAreReported() throws Exception {
        EncryptedPlace db = deployment("doctorversion");
        write(db, 1, 3);
        String s = target.name(db);
        succeed(db, "keys", "rotate", "--table", "customers");
        try (KeyRing admin = db.adminKeyRing()) {
            admin.setStatus(s + ".customers", 1, KeyStatus.RETIRING);
        }
        // version 1 destroyed while values still name it (crypto-shredded): the key table no longer has it
        succeed(db, "keys", "destroy", "--table", "customers", "--version", "1", "--yes");
        EnvelopeRuntimes.clear();
        write(db, 3, 4);   // customers now written under version 2

        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM"))
                .anyMatch(l -> l.startsWith("PROBLEM  values " + s + ".customers.note: 2 value(s) under key version 1,"
                        + " which the key table lacks (it has [2])") && l.contains("keys import"))
                .anyMatch(l -> l.startsWith("PROBLEM  values " + s + ".customers.email: 2 value(s) under key version"
                        + " 1"));
        assertThat(lines(run, "OK")).as("the rows that remain verify")
                .anyMatch(l -> l.contains("key rows " + s + ".customers: authenticated: every row verifies"));
    }

    @Test
    void aTextColumnTooNarrowForItsCiphertextIsReportedWithTheWidthItNeeds() throws Exception {
        EncryptedPlace db = target.create("doctorwidth", ACCOUNTS, "");
        String s = target.name(db);
        db.executePlain("CREATE TABLE accounts (id INT PRIMARY KEY, number VARCHAR(64))");
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM")).anyMatch(l -> l.equals("PROBLEM  column " + s + ".accounts.number:"
                + " too narrow: " + target.typeAsShown("varchar(64)") + " holds 48 bytes of ciphertext, but a"
                + " deterministic bigint value is stored as up to 71 bytes (95 base64 characters); widen it to"
                + " varchar(95) or wider (or text)"));
        // such a write is refused by the driver before it is sent, naming the column and the width it needs
        Throwable tooLong = catchThrowable(() -> insertAccount(db, 1, Long.MIN_VALUE));
        assertThat(tooLong).isInstanceOf(SQLException.class).hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("accounts.number").hasMessageContaining(target.typeAsShown("varchar(64)"));
        assertThat(((SQLException) tooLong).getSQLState()).isEqualTo("22001");

        db.executePlain(target.alterColumnType("accounts", "number", "VARCHAR(95)"));
        EnvelopeRuntimes.clear();
        insertAccount(db, 1, Long.MIN_VALUE);
        CliRunner.Run widened = doctor(db);
        assertThat(widened.exitCode()).as(widened.out()).isZero();
        assertThat(widened.out()).contains("OK       column " + s + ".accounts.number: "
                + target.typeAsShown("varchar(95)") + ", deterministic bigint, at most 71 bytes (95 base64"
                + " characters)");
    }

    /** One deterministic bigint column, accounts.number. */
    protected static final String ACCOUNTS = """
              accounts:
                columns:
                  number: { mode: deterministic, type: bigint }
            """;

    /** A fresh place with customers and orders made as a DBA would ({@link CliTarget#createDeployment}). */
    protected EncryptedPlace deployment(String prefix, String tables) throws Exception {
        EncryptedPlace db = target.create(prefix, tables, "");
        db.executePlain(target.createDeployment());
        return db;
    }

    protected EncryptedPlace deployment(String prefix) throws Exception {
        return deployment(prefix, TABLES);
    }

    /** Writes customers and orders {@code from} to {@code to - 1} through the wrapper, every column a value. */
    protected static void write(EncryptedPlace db, int from, int to) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement customers = c.prepareStatement(
                     "INSERT INTO customers (id, email, note, legacy) VALUES (?, ?, ?, ?)");
             PreparedStatement orders = c.prepareStatement("INSERT INTO orders (id, item, amount) VALUES (?, ?, ?)")) {
            for (int i = from; i < to; i++) {
                customers.setInt(1, i);
                customers.setString(2, "user" + i + "@example.com");
                customers.setString(3, "a private note " + i);
                customers.setString(4, "a legacy value " + i);
                customers.executeUpdate();
                orders.setInt(1, i);
                orders.setString(2, "secret item " + i);
                orders.setBigDecimal(3, new BigDecimal("-9999999999.99"));
                orders.executeUpdate();
            }
        }
    }

    /** Every row of customers and orders, read through the wrapper. */
    private static List<String> readAll(EncryptedPlace db) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, email, note, legacy FROM customers ORDER BY id")) {
                while (rs.next()) {
                    values.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, item, amount FROM orders ORDER BY id")) {
                while (rs.next()) {
                    values.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getBigDecimal(3));
                }
            }
        }
        return values;
    }

    /** Every key row, every column, as the database holds it. */
    protected static List<String> keyTable(EncryptedPlace db) throws SQLException {
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

    /** The number of key rows of one of the place's tables. */
    private int keyRows(EncryptedPlace db, String table) throws SQLException {
        try (Connection c = db.plain(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + db.keyTable() + " WHERE table_name = ?")) {
            ps.setString(1, target.name(db) + "." + table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void insertAccount(EncryptedPlace db, int id, long number) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, number) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setLong(2, number);
            ps.executeUpdate();
        }
    }

    /** Runs a command with {@code --config} and {@code --url} of {@code db}. */
    protected CliRunner.Run cli(EncryptedPlace db, String... args) {
        return CliRunner.run(db.configFile(), target.plainUrl(db), args);
    }

    /** Runs a command that must succeed; returns its standard output. */
    protected String succeed(EncryptedPlace db, String... args) {
        CliRunner.Run run = cli(db, args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.out() + run.err()).isZero();
        return run.out();
    }

    /** Runs {@code doctor} and checks it printed none of the stored plaintexts. */
    protected CliRunner.Run doctor(EncryptedPlace db, String... more) {
        String[] args = new String[more.length + 1];
        args[0] = "doctor";
        System.arraycopy(more, 0, args, 1, more.length);
        CliRunner.Run run = cli(db, args);
        for (String plaintext : PLAINTEXTS) {
            assertThat(run.out() + run.err()).as("never prints a stored plaintext").doesNotContain(plaintext);
        }
        return run;
    }

    /** The lines of the output that start with a level, e.g. "PROBLEM". */
    protected static List<String> lines(CliRunner.Run run, String level) {
        return run.out().lines().filter(l -> l.startsWith(level + " ")).toList();
    }
}
