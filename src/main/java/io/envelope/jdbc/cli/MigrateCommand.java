package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.crypto.ColumnCipher;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code migrate --table T}: encrypts, in place, the existing plaintext values of the table's columns that have
 * {@code accept-plaintext: true}, in batches, beside live traffic (lookups match both forms meanwhile). Then it
 * scans again and reports that no plaintext remains, so the flag can be removed. With {@code --shard i/n} it does
 * both for its slice only: once every shard reports its slice clean, the whole table is.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Encrypt the existing plaintext values of accept-plaintext columns in place.")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Mixin
    ShardOptions sharding;

    @Option(names = "--table", required = true, description = "The configured table.")
    String table;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Rows per transaction (default 1000).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        try (DatabaseOptions.KeyAccess keys = database.openKeys(); Connection connection = database.openTarget()) {
            EnvelopeConfig config = keys.config();
            KeyRing ring = keys.ring();
            EncryptedTable target = database.configuredTable(config, connection, table);
            List<EncryptedColumn> columns = target.columns().stream()
                    .filter(c -> c.config().acceptPlaintext()).toList();
            if (columns.isEmpty()) {
                throw EnvelopeErrors.config("tables." + table + ": no column has accept-plaintext: true, so"
                        + " there is nothing to migrate");
            }
            Progress progress = Progress.onStandardOutput();
            Shard shard = sharding.slice();
            TableRewriter rewriter = new TableRewriter(connection, target, batchSize, shard, sharding.stripeWidth,
                    progress);
            rewriter.onEachPage(ring::statementStarts);
            System.out.println("Encrypting plaintext values of " + columns.stream()
                    .map(EncryptedColumn::qualifiedName).toList() + " in batches of " + batchSize + " rows ("
                    + rewriter.sliceDescription() + ")");
            TableRewriter.Pass pass = rewriter.run("encrypting", columns, (column, stored, text) ->
                    isPlaintext(column, stored) ? encrypt(column, ring, stored, text) : null);
            System.out.printf("Encrypted %,d value(s) in %,d rows; %,d changed by the application meanwhile"
                    + " (left to it).%n", pass.rewritten(), pass.rows(), pass.skippedChanged());
            long[] remaining = {0};
            rewriter.run("verifying", columns, (column, stored, text) -> {
                if (isPlaintext(column, stored)) {
                    remaining[0]++;
                }
                return null;
            });
            progress.printSummary();
            String where = shard.isAll() ? target.identity() : "shard " + shard + " of " + target.identity();
            if (remaining[0] == 0) {
                System.out.println("No plaintext remains in " + where + (shard.isAll()
                        ? ": remove accept-plaintext from these columns in the configuration."
                        : ". Once every shard of " + shard.count() + " has said so, remove accept-plaintext from"
                        + " these columns in the configuration."));
                return 0;
            }
            System.out.printf("%,d plaintext value(s) remain in %s (written meanwhile by something that bypasses"
                    + " envelope-jdbc?); run migrate again.%n", remaining[0], where);
            return 1;
        }
    }

    private static boolean isPlaintext(EncryptedColumn column, byte[] stored) {
        return stored == null || !column.cipher().isEnvelopeFormat(stored);
    }

    /** The plaintext as the column's type takes it (what the driver's reads hand back), encrypted. */
    private static byte[] encrypt(EncryptedColumn column, KeyRing ring, byte[] stored, String text)
            throws SQLException {
        Object value;
        if (text != null) {
            value = text;
        } else if (column.config().type() == PlaintextType.BYTES) {
            value = stored;
        } else {
            value = new String(stored, StandardCharsets.UTF_8);
        }
        ColumnCipher cipher = column.cipher();
        String identity = column.table().identity();
        DataKey key = switch (column.mode()) {
            case RANDOMIZED -> ring.randomizedWriteKey(identity);
            case DETERMINISTIC -> ring.deterministicWriteKey(identity);
        };
        return cipher.encrypt(value, key);
    }
}
