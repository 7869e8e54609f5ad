package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyStatus;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code doctor} against a real deployment: OK on a healthy one (exit status 0), and each fault it must find —
 * a misspelt configured column, a table whose key rows are gone, a key row that does not unwrap, values under a
 * version the key table lacks, a column too narrow for its ciphertext — reported on its own line with exit
 * status 1. It never prints a stored plaintext.
 */
class DoctorIT {

    private static final String TABLES = """
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

    private static final List<String> PLAINTEXTS = List.of("ada@example.com", "grace@example.com", "a private note",
            "plain legacy value", "secret item");

    private static EncryptedDatabase deployment(String prefix, String tables) throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create(prefix, tables);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email bytea, note varchar(300), legacy text)",
                "CREATE TABLE orders (id int PRIMARY KEY, item bytea, amount varchar(100))");
        return db;
    }

    private static EncryptedDatabase deployment(String prefix) throws Exception {
        return deployment(prefix, TABLES);
    }

    private static void write(EncryptedDatabase db, int from, int to) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement customers = c.prepareStatement(
                     "INSERT INTO customers (id, email, note) VALUES (?, ?, ?)");
             PreparedStatement orders = c.prepareStatement("INSERT INTO orders (id, item, amount) VALUES (?, ?, ?)")) {
            for (int i = from; i < to; i++) {
                customers.setInt(1, i);
                customers.setString(2, i % 2 == 0 ? "ada@example.com" : "grace@example.com");
                customers.setString(3, "a private note");
                customers.executeUpdate();
                orders.setInt(1, i);
                orders.setString(2, "secret item");
                orders.setBigDecimal(3, new java.math.BigDecimal("-9999999999.99"));
                orders.executeUpdate();
            }
        }
    }

    private static CliRunner.Run doctor(EncryptedDatabase db, String... more) {
        String[] args = new String[more.length + 1];
        args[0] = "doctor";
        System.arraycopy(more, 0, args, 1, more.length);
        CliRunner.Run run = CliRunner.run(db, args);
        for (String plaintext : PLAINTEXTS) {
            assertThat(run.out() + run.err()).as("never prints a stored plaintext").doesNotContain(plaintext);
        }
        return run;
    }

    /** The lines of the output that start with a level, e.g. "PROBLEM". */
    private static List<String> lines(CliRunner.Run run, String level) {
        return run.out().lines().filter(l -> l.startsWith(level + " ")).toList();
    }

    @Test
    void aHealthyDeploymentExitsZeroWithOkLines() throws Exception {
        EncryptedDatabase db = deployment("doctorok");
        write(db, 1, 4);
        db.executePlain("UPDATE customers SET legacy = 'plain legacy value' WHERE id = 1");
        String s = db.schema();

        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(lines(run, "PROBLEM")).isEmpty();
        assertThat(lines(run, "OK")).anyMatch(l -> l.contains("table " + s + ".customers: exists, 3 encrypted"))
                .anyMatch(l -> l.contains("column " + s + ".customers.email: bytea (raw bytes), deterministic text"))
                .anyMatch(l -> l.contains("column " + s + ".orders.amount: varchar(100), deterministic decimal(12,"
                        + " scale 2), at most 71 bytes (95 base64 characters)"))
                .anyMatch(l -> l.contains("key table " + s + ".envelope_data_keys") && l.contains("owned by ")
                        && l.contains("2 key row(s) of 2 table(s)"))
                .anyMatch(l -> l.contains("key rows are authenticated"))
                .anyMatch(l -> l.contains("key rows " + s + ".customers: versions 1 active: every row unwraps"))
                .anyMatch(l -> l.contains("key rows " + s + ".orders: authenticated: every row verifies"))
                .anyMatch(l -> l.contains("values " + s + ".customers.email: 3 non-null: 3 under v1; 3 sampled"
                        + " value(s) decrypt"))
                .anyMatch(l -> l.contains("values " + s + ".customers.legacy: 1 non-null: 1 plaintext"))
                .anyMatch(l -> l.contains("values " + s + ".orders.amount: 3 non-null: 3 under v1"));
        assertThat(lines(run, "NOTE"))
                .anyMatch(l -> l.contains("column " + s + ".customers.note: varchar(300), randomized text: holds"
                        + " values up to 174 bytes of UTF-8"))
                .anyMatch(l -> l.contains("values " + s + ".customers.legacy: 1 plaintext value(s) remain"
                        + " (accept-plaintext): encrypt them with migrate"));
        assertThat(run.out()).contains("0 problem(s): healthy");

        CliRunner.Run bounded = doctor(db, "--count-rows", "2", "--sample", "1");
        assertThat(bounded.exitCode()).isZero();
        assertThat(bounded.out()).contains("values " + s + ".customers.email: 2 non-null (in the first 2 rows): 2"
                + " under v1; 1 sampled value(s) decrypt");
    }

    @Test
    void aMisspeltConfiguredColumnIsReportedWithTheNameItProbablyMeant() throws Exception {
        EncryptedDatabase db = deployment("doctorspell", TABLES.replace("email:  {", "emial:  {"));
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM")).anyMatch(l -> l.startsWith("PROBLEM  column " + db.schema()
                + ".customers.emial: configured column " + db.schema() + ".customers.emial does not exist in the"
                + " table (did you mean email?)"));
        assertThat(run.out()).contains("NOT healthy");

        EncryptedDatabase table = deployment("doctortable", TABLES.replace("  orders:", "  ordres:"));
        CliRunner.Run misspeltTable = doctor(table);
        assertThat(misspeltTable.exitCode()).isEqualTo(1);
        assertThat(lines(misspeltTable, "PROBLEM")).anyMatch(l -> l.startsWith("PROBLEM  table " + table.schema()
                + ".ordres: configured as tables.ordres in ") && l.contains("does not exist (or this user cannot see"
                + " it) (did you mean orders?)"));
    }

    @Test
    void aKeyTableOwnedByAnotherRoleThanTheConfiguredOwnerIsAProblem() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("doctorowner", TABLES, "key-table-owner: envelope_nobody\n");
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email bytea, note text, legacy text)",
                "CREATE TABLE orders (id int PRIMARY KEY, item bytea, amount bytea)",
                // made by another configuration's process (the connecting role owns it)
                "CREATE TABLE " + db.keyTable() + " (table_name varchar(255) NOT NULL, key_version integer NOT NULL,"
                        + " kms_provider varchar(32) NOT NULL, kms_key_id varchar(2048) NOT NULL, encrypted_key bytea"
                        + " NOT NULL, status varchar(16) NOT NULL, created_at timestamp NOT NULL,"
                        + " PRIMARY KEY (table_name, key_version))");
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM"))
                .anyMatch(l -> l.startsWith("PROBLEM  key table " + db.keyTable() + ": ") && l.contains("is owned by"
                        + " role postgres, which is not the configured key-table-owner 'envelope_nobody'"))
                .anyMatch(l -> l.startsWith("PROBLEM  values: not checked"));
    }

    @Test
    void aTableWhoseKeyRowsAreGoneIsReportedWithTheFix() throws Exception {
        EncryptedDatabase db = deployment("doctorlost");
        write(db, 1, 3);
        db.executePlain("DELETE FROM " + db.keyTable() + " WHERE table_name = '" + db.schema() + ".orders'");
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM")).anyMatch(l -> l.startsWith("PROBLEM  key rows " + db.schema()
                + ".orders: none, but 4 stored value(s) name key version(s) 1: the key table has lost this table's"
                + " keys") && l.contains("keys import --in FILE"));
        assertThat(lines(run, "OK")).as("the other table is fine")
                .anyMatch(l -> l.contains("key rows " + db.schema() + ".customers: authenticated: every row verifies"));
    }

    @Test
    void aKeyRowThatDoesNotUnwrapIsReported() throws Exception {
        EncryptedDatabase db = deployment("doctorunwrap");
        write(db, 1, 3);
        String s = db.schema();
        // orders' row gets the wrapped key of customers (bound to another table: fails to unwrap); customers' row
        // names a KMS key the configuration does not allow
        db.executePlain("UPDATE " + db.keyTable() + " SET encrypted_key = (SELECT encrypted_key FROM " + db.keyTable()
                        + " WHERE table_name = '" + s + ".customers') WHERE table_name = '" + s + ".orders'",
                "UPDATE " + db.keyTable() + " SET kms_key_id = 'local:00000000000000000000000000000000'"
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
        EncryptedDatabase db = deployment("doctorversion");
        write(db, 1, 3);
        String s = db.schema();
        Cli.run(db, "keys", "rotate", "--table", "customers");
        try (KeyRing admin = db.adminKeyRing()) {
            admin.setStatus(s + ".customers", 1, KeyStatus.RETIRING);
        }
        // version 1 destroyed while values still name it (crypto-shredded): the key table no longer has it
        Cli.run(db, "keys", "destroy", "--table", "customers", "--version", "1", "--yes");
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
    void aColumnTooNarrowForItsCiphertextIsReportedWithTheWidthItNeeds() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("doctorwidth", """
                  accounts:
                    columns:
                      number: { mode: deterministic, type: bigint }
                """);
        db.executePlain("CREATE TABLE accounts (id int PRIMARY KEY, number varchar(64))");
        CliRunner.Run run = doctor(db);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "PROBLEM")).anyMatch(l -> l.equals("PROBLEM  column " + db.schema() + ".accounts.number:"
                + " too narrow: varchar(64) holds 48 bytes of ciphertext, but a deterministic bigint value is stored as"
                + " up to 71 bytes (95 base64 characters); widen it to varchar(95) or wider (or text)"));
        // such a write is refused by the driver before it is sent, naming the column and the width it needs
        Throwable tooLong = catchThrowable(() -> insertAccount(db, 1, Long.MIN_VALUE));
        assertThat(tooLong).isInstanceOf(SQLException.class).hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("accounts.number").hasMessageContaining("varchar(64)");
        assertThat(((SQLException) tooLong).getSQLState()).isEqualTo("22001");

        db.executePlain("ALTER TABLE accounts ALTER COLUMN number TYPE varchar(95)");
        EnvelopeRuntimes.clear();
        insertAccount(db, 1, Long.MIN_VALUE);
        CliRunner.Run widened = doctor(db);
        assertThat(widened.exitCode()).as(widened.out()).isZero();
        assertThat(widened.out()).contains("OK       column " + db.schema() + ".accounts.number: varchar(95),"
                + " deterministic bigint, at most 71 bytes (95 base64 characters)");
    }

    private static void insertAccount(EncryptedDatabase db, int id, long number) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, number) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setLong(2, number);
            ps.executeUpdate();
        }
    }
}
