package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.keys.KeyStatus;
import io.envelope.jdbc.kms.AwsKmsProvider;
import io.envelope.jdbc.kms.LocalKmsProvider;
import io.envelope.jdbc.schema.EncryptedTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code keys}: the data keys in the key table: list, rotate, re-wrap, destroy, export, import, upgrade. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "List, rotate, re-wrap and destroy data keys.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Rewrap.class,
                KeysCommand.Destroy.class, KeyBackupCommands.Export.class, KeyBackupCommands.Import.class,
                KeyBackupCommands.Upgrade.class})
final class KeysCommand {

    /** {@code keys list}: versions, status, KMS key and creation time of every data key. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show the key table.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() throws Exception {
            try (DatabaseOptions.KeyAccess keys = database.openKeys()) {
                List<String[]> table = new ArrayList<>();
                table.add(new String[] {"table", "version", "status", "provider", "kms key", "created (UTC)"});
                for (KeyRow row : keys.ring().rows()) {
                    table.add(new String[] {row.tableName(), Integer.toString(row.keyVersion()),
                            row.status().dbValue(), row.kmsProvider(), row.kmsKeyId(),
                            String.valueOf(row.createdAt())});
                }
                TextTable.print(System.out, table);
                System.out.println((table.size() - 1) + " key version(s) in " + keys.config().keyTable());
            }
            return 0;
        }
    }

    /** {@code keys rotate --table T}: a new active version. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new active key version for a table.")
    static final class Rotate implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--table", required = true, description = "The configured table.")
        String table;

        @Override
        public Integer call() throws Exception {
            try (DatabaseOptions.KeyAccess keys = database.openKeys(); Connection connection = database.openTarget()) {
                KeyRing ring = keys.ring();
                EncryptedTable target = database.configuredTable(keys.config(), connection, table);
                KeyRow added = ring.addVersion(target.identity());
                PrintStream out = System.out;
                out.println("Added key version " + added.keyVersion() + " (active) for " + target.identity()
                        + ", wrapped under " + added.kmsKeyId() + ".");
                out.println("Randomized writes move to version " + added.keyVersion() + " within one key-cache ttl ("
                        + keys.config().keyCacheTtl() + ") in every running process; deterministic writes stay on the lowest"
                        + " active version, so lookups and unique constraints stay exact. Every old value stays"
                        + " readable.");
                // Until every process has read the new row, some still match lookups against the old versions
                // only: values must not move to the new version before then.
                out.println("Re-encryption may begin one key-cache ttl from now, at "
                        + Instant.now().plus(keys.config().keyCacheTtl()).truncatedTo(ChronoUnit.SECONDS)
                        + ", when every process matches lookups against version " + added.keyVersion()
                        + ": `reencrypt --table " + table + "` waits until then by itself.");
            }
            return 0;
        }
    }

    /** {@code keys rewrap --kms-key K}: every data key re-wrapped under another KMS key; no row data changes. */
    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = "Re-wrap every data key under another KMS key (KMS ReEncrypt); no row data changes.")
    static final class Rewrap implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--kms-key", required = true,
                description = "The KMS key to wrap under: key ARN, key id or alias (aws-kms).")
        String kmsKey;

        @Override
        public Integer call() throws Exception {
            try (DatabaseOptions.KeyAccess keys = database.openKeys()) {
                KeyRing ring = keys.ring();
                String target = keys.kms() instanceof AwsKmsProvider aws ? aws.resolveKeyArn(kmsKey) : kmsKey;
                List<KeyRow> rows = ring.rows();
                int done = 0;
                int already = 0;
                for (KeyRow row : rows) {
                    if (ring.rewrap(row, target)) {
                        done++;
                        System.out.println("re-wrapped " + row.tableName() + " v" + row.keyVersion() + ": "
                                + row.kmsKeyId() + " -> " + target);
                    } else {
                        already++;
                    }
                }
                System.out.println(done + " data key(s) re-wrapped under " + target + ", " + already
                        + " already were.");
                System.out.println(advice(keys.config().kms().provider(), target));
            }
            return 0;
        }
    }

    /** What to change after a rewrap: the configuration names the wrapping key only for aws-kms. */
    static String advice(String provider, String target) {
        if (LocalKmsProvider.PROVIDER_NAME.equals(provider)) {
            return "The local provider has no kms.key-id: its data keys are wrapped under the one master key that"
                    + " kms.master-key-file or kms.master-key-env holds (" + target + "), so the configuration"
                    + " stays as it is. Moving to another local master key is not a rewrap: it needs both keys.";
        }
        return "Now set kms.key-id to " + target + " (or add it to kms.allowed-key-ids) in the configuration and"
                + " restart the applications; keep the old key enabled until then.";
    }

    /** {@code keys destroy --table T --version N}: crypto-shredding of one retired or retiring version. */
    @Command(name = "destroy",
            description = "Delete a retired or retiring key version: values under it become unreadable for good.")
    static final class Destroy implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        // --version names the key version here (the documented form is keys destroy --table T --version N), so this
        // command leaves out picocli's standard -V/--version and keeps only its help option
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--table", required = true, description = "The configured table.")
        String table;

        @Option(names = "--version", required = true, description = "The key version to destroy.")
        int version;

        @Option(names = "--yes", description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            try (DatabaseOptions.KeyAccess keys = database.openKeys(); Connection connection = database.openTarget()) {
                KeyRing ring = keys.ring();
                EncryptedTable target = database.configuredTable(keys.config(), connection, table);
                KeyRow row = ring.rows().stream()
                        .filter(r -> r.tableName().equals(target.identity()) && r.keyVersion() == version)
                        .findFirst().orElse(null);
                if (row == null) {
                    throw EnvelopeErrors.key("key version " + version + " of " + target.identity()
                            + " does not exist");
                }
                if (row.status() == KeyStatus.ACTIVE) {
                    throw EnvelopeErrors.key("key version " + version + " of " + target.identity()
                            + " is active; only a retiring or retired version can be destroyed (run reencrypt first)");
                }
                System.out.println("Destroying key version " + version + " of " + target.identity() + " ("
                        + row.status().dbValue() + "): every value still encrypted under it becomes unreadable for"
                        + " good (crypto-shredding). This cannot be undone.");
                if (!yes && !confirmed(target.identity())) {
                    System.out.println("Not confirmed; nothing was deleted.");
                    return 1;
                }
                ring.destroy(target.identity(), version);
                System.out.println("Key version " + version + " of " + target.identity() + " destroyed.");
            }
            return 0;
        }

        private static boolean confirmed(String identity) throws IOException {
            System.out.print("Type the table name (" + identity + ") to confirm: ");
            System.out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return identity.equals(answer == null ? null : answer.trim());
        }
    }

    private KeysCommand() {
    }
}
