package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The restore drill of the README's "Backups and disaster recovery": keys export, the key table lost, keys import,
 * every value decrypts again; importing twice changes nothing; a conflicting row is refused.
 */
class KeyBackupIT {

    private static final String TABLES = """
              customers:
                columns:
                  email: { mode: deterministic }
                  note:  { mode: randomized }
              orders:
                columns:
                  item: { mode: randomized }
            """;

    private static EncryptedDatabase database() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("keybackup", TABLES);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email bytea, note text)",
                "CREATE TABLE orders (id int PRIMARY KEY, item bytea)");
        return db;
    }

    private static void write(EncryptedDatabase db, int from, int to) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement customers = c.prepareStatement("INSERT INTO customers VALUES (?, ?, ?)");
             PreparedStatement orders = c.prepareStatement("INSERT INTO orders VALUES (?, ?)")) {
            for (int i = from; i < to; i++) {
                customers.setInt(1, i);
                customers.setString(2, "user" + i + "@example.com");
                customers.setString(3, "note " + i);
                customers.executeUpdate();
                orders.setInt(1, i);
                orders.setString(2, "item " + i);
                orders.executeUpdate();
            }
        }
    }

    private static List<String> readAll(EncryptedDatabase db) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, email, note FROM customers ORDER BY id")) {
                while (rs.next()) {
                    values.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
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

    private static List<String> keyTable(EncryptedDatabase db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + db.keyTable() + " ORDER BY table_name, key_version")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    row.append(value instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : value).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Test
    void exportDropImportEveryValueDecryptsAgainAndImportingTwiceChangesNothing() throws Exception {
        EncryptedDatabase db = database();
        write(db, 1, 4);
        Cli.run(db, "keys", "rotate", "--table", "customers");
        EnvelopeRuntimes.clear();
        write(db, 4, 6);   // customers values under versions 1 and 2
        List<String> before = readAll(db);
        List<String> keyRows = keyTable(db);
        assertThat(keyRows).hasSize(3);

        Path export = Files.createTempDirectory("envelope-export").resolve("keys.json");
        String exported = Cli.run(db, "keys", "export", "--out", export.toString());
        assertThat(exported).contains("Exported 3 key row(s) of 2 table(s)");
        String file = Files.readString(export);
        assertThat(file).contains("\"format\": \"envelope-jdbc-key-export\"").contains("\"checksum\": \"sha256:");

        db.executePlain("DROP TABLE " + db.keyTable());
        EnvelopeRuntimes.clear();
        Throwable lost = catchThrowable(() -> readAll(db));
        assertThat(lost).isInstanceOf(SQLException.class);

        String imported = Cli.run(db, "keys", "import", "--in", export.toString());
        assertThat(imported).contains("3 key row(s) imported, 0 already present, 0 refused");
        EnvelopeRuntimes.clear();
        assertThat(readAll(db)).isEqualTo(before);
        assertThat(keyTable(db)).as("restored exactly, authentication included").isEqualTo(keyRows);

        String again = Cli.run(db, "keys", "import", "--in", export.toString());
        assertThat(again).contains("0 key row(s) imported, 3 already present, 0 refused");
        assertThat(keyTable(db)).isEqualTo(keyRows);
        EnvelopeRuntimes.clear();
        write(db, 6, 7);
        assertThat(readAll(db)).hasSize(before.size() + 2);
    }

    @Test
    void aRowThatConflictsWithADifferentExistingOneIsRefusedAndATamperedFileIsRejected() throws Exception {
        EncryptedDatabase db = database();
        write(db, 1, 2);
        Path export = Files.createTempDirectory("envelope-export").resolve("keys.json");
        Cli.run(db, "keys", "export", "--out", export.toString());

        // orders lost its key and got a new one (values of the old one are gone with the test's DELETE)
        db.executePlain("DELETE FROM orders", "DELETE FROM " + db.keyTable() + " WHERE table_name LIKE '%.orders'");
        EnvelopeRuntimes.clear();
        write(db, 2, 3);
        String[] conflict = Cli.attempt(db, "keys", "import", "--in", export.toString());
        assertThat(conflict[0]).isEqualTo("1");
        assertThat(conflict[1]).contains(".orders v1: refused: the key table holds a different row for this version")
                .contains(".customers v1: already present").contains("1 refused");

        Files.writeString(export, Files.readString(export).replace("\"active\"", "\"retired\""));
        String[] tampered = Cli.attempt(db, "keys", "import", "--in", export.toString());
        assertThat(tampered[0]).isEqualTo("1");
        assertThat(tampered[2]).contains("checksum does not match");
    }

    @Test
    void aRowThatDoesNotUnwrapIsRefusedBeforeAnythingOfItsTableIsWritten() throws Exception {
        EncryptedDatabase db = database();
        write(db, 1, 2);
        Path export = Files.createTempDirectory("envelope-export").resolve("keys.json");
        Cli.run(db, "keys", "export", "--out", export.toString());
        // a well-formed export (valid checksum) whose orders row carries the wrapped key of customers: it is bound to
        // another table, so the KMS refuses to unwrap it in this row
        List<io.envelope.jdbc.keys.KeyRow> rows = io.envelope.jdbc.keys.KeyExport.read(Files.readString(export),
                "test");
        io.envelope.jdbc.keys.KeyRow customers = rows.stream().filter(r -> r.tableName().endsWith(".customers"))
                .findFirst().orElseThrow();
        List<io.envelope.jdbc.keys.KeyRow> swapped = rows.stream().map(r -> !r.tableName().endsWith(".orders") ? r
                : new io.envelope.jdbc.keys.KeyRow(r.tableName(), r.keyVersion(), r.kmsProvider(), r.kmsKeyId(),
                customers.encryptedKey(), r.status(), r.createdAt(), r.stateSeq(), r.stateMac())).toList();
        Files.writeString(export, io.envelope.jdbc.keys.KeyExport.write(db.keyTable(), swapped,
                java.time.LocalDateTime.now()));

        db.executePlain("DELETE FROM " + db.keyTable() + " WHERE table_name LIKE '%.orders'");
        String[] refused = Cli.attempt(db, "keys", "import", "--in", export.toString());
        assertThat(refused[0]).isEqualTo("1");
        assertThat(refused[2]).startsWith("error: ").contains(".orders").contains("key version 1");
        assertThat(db.keyRows(db.schema() + ".orders")).as("nothing written for the table").isZero();
        assertThat(db.keyRows(db.schema() + ".customers")).isEqualTo(1);
    }
}
