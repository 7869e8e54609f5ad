package io.envelope.jdbc.cli;

import io.envelope.jdbc.keys.KeyAdministration;
import io.envelope.jdbc.keys.KeyExport;
import io.envelope.jdbc.keys.KeyRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code keys export}, {@code keys import} and {@code keys upgrade}: backups of the key table that restore, and the
 * upgrade of a 0.1.0 key table to authenticated key rows (README, "Backups and disaster recovery").
 */
final class KeyBackupCommands {

    private KeyBackupCommands() {
    }

    /** {@code keys export --out FILE}: every key row (wrapped keys only) to a JSON file. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write every key row (wrapped keys only) to a JSON file, to keep with every backup.")
    static final class Export implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--out", required = true, description = "The file to write (replaced if it exists).")
        Path out;

        @Override
        public Integer call() throws Exception {
            try (DatabaseOptions.KeyAccess keys = database.openKeys()) {
                List<KeyRow> rows = keys.ring().rows();
                String json = KeyExport.write(keys.config().keyTable(), rows,
                        LocalDateTime.now(ZoneOffset.UTC));
                Path temp = Files.createTempFile(out.toAbsolutePath().getParent(), ".envelope-keys", ".tmp");
                Files.writeString(temp, json, StandardCharsets.UTF_8);
                Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                long tables = rows.stream().map(KeyRow::tableName).distinct().count();
                System.out.println("Exported " + rows.size() + " key row(s) of " + tables + " table(s) from "
                        + keys.config().keyTable() + " to " + out + " (wrapped keys only). Keep it with every backup"
                        + " of the database, and keep the KMS key for as long as any backup lives.");
            }
            return 0;
        }
    }

    /** {@code keys import --in FILE}: restores exported rows; idempotent, each row checked to unwrap first. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Restore key rows from a key export: each row is checked to unwrap through the KMS before"
                    + " it is written; rows already present are left alone; rows that conflict are refused.")
    static final class Import implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--in", required = true, description = "The key export to read.")
        Path in;

        @Override
        public Integer call() throws Exception {
            List<KeyRow> rows = KeyExport.read(Files.readString(in, StandardCharsets.UTF_8), in.toString());
            try (DatabaseOptions.KeyAccess keys = database.openKeys()) {
                List<KeyAdministration.ImportOutcome> outcomes = keys.ring().administration().importRows(rows);
                int imported = 0;
                int present = 0;
                int refused = 0;
                for (KeyAdministration.ImportOutcome o : outcomes) {
                    System.out.println(o.table() + " v" + o.version() + ": " + o.outcome());
                    if (o.refused()) {
                        refused++;
                    } else if (o.outcome().startsWith("imported")) {
                        imported++;
                    } else {
                        present++;
                    }
                }
                System.out.println(imported + " key row(s) imported, " + present + " already present, " + refused
                        + " refused, into " + keys.config().keyTable() + ".");
                return refused == 0 ? 0 : 1;
            }
        }
    }

    /** {@code keys upgrade}: adds the state columns to a 0.1.0 key table and authenticates its rows. */
    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = "Authenticate the key rows: add the state columns to a 0.1.0 key table and seal each"
                    + " table's rows as they are now (run it once every process runs this version).")
    static final class Upgrade implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() throws Exception {
            try (DatabaseOptions.KeyAccess keys = database.openKeys()) {
                for (String line : keys.ring().administration().upgrade()) {
                    System.out.println(line);
                }
                System.out.println("The key rows of " + keys.config().keyTable() + " are authenticated: a status or"
                        + " key changed outside envelope-jdbc is now refused.");
            }
            return 0;
        }
    }
}
