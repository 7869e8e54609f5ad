package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.crypto.ColumnCipher;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.keys.KeyStatus;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code reencrypt --table T} (see README, Command line): marks every key version but the newest {@code retiring}, re-encrypts
 * every value onto the newest, waits one key-cache TTL (processes still writing under an old version see the
 * change by then), scans again, and marks the versions that hold no value any more {@code retired}.
 */
@Command(name = "reencrypt", mixinStandardHelpOptions = true,
        description = "Move every value of a table onto its newest key version, then retire the emptied versions.")
final class ReencryptCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

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
            String identity = target.identity();
            List<KeyRow> rows = ring.rows().stream().filter(r -> r.tableName().equals(identity)).toList();
            KeyRow newest = rows.stream().max((a, b) -> Integer.compare(a.keyVersion(), b.keyVersion()))
                    .orElseThrow(() -> EnvelopeException.key("table " + identity + " has no data key yet"));
            if (newest.status() != KeyStatus.ACTIVE) {
                throw EnvelopeException.key("the newest key version " + newest.keyVersion() + " of " + identity
                        + " is " + newest.status().dbValue() + "; run keys rotate first");
            }
            for (KeyRow row : rows) {
                if (row.keyVersion() != newest.keyVersion() && row.status() == KeyStatus.ACTIVE) {
                    ring.setStatus(identity, row.keyVersion(), KeyStatus.RETIRING);
                    System.out.println("version " + row.keyVersion() + " of " + identity + " is now retiring");
                }
            }
            System.out.println("Deterministic writes now use version " + newest.keyVersion() + "; lookups match"
                    + " every non-retired version meanwhile. Unique constraints on deterministic columns are NOT"
                    + " enforced by the database until this finishes (the same value can be stored under two"
                    + " versions).");
            int to = newest.keyVersion();
            List<EncryptedColumn> columns = List.copyOf(target.columns());
            TableRewriter rewriter = new TableRewriter(connection, target, batchSize, System.out);
            TableRewriter.Pass first = rewriter.run(columns, (column, stored, text) ->
                    reencrypt(column, ring, stored, to));
            System.out.printf("Re-encrypted %,d value(s) onto version %d.%n", first.rewritten(), to);
            long waitMillis = config.keyCacheTtl().toMillis();
            System.out.println("Waiting one key-cache ttl (" + config.keyCacheTtl() + ") so every process writes"
                    + " under version " + to + " ...");
            Thread.sleep(waitMillis);
            TableRewriter.Pass second = rewriter.run(columns, (column, stored, text) ->
                    reencrypt(column, ring, stored, to));
            Map<Integer, Long> perVersion = new TreeMap<>();
            rewriter.run(columns, (column, stored, text) -> {
                if (stored != null && column.cipher().isEnvelopeFormat(stored)) {
                    perVersion.merge(column.cipher().keyVersionOf(stored), 1L, Long::sum);
                }
                return null;
            });
            System.out.printf("Second pass re-encrypted %,d value(s) written meanwhile; values per version: %s%n",
                    second.rewritten(), perVersion);
            List<Integer> retired = new ArrayList<>();
            for (KeyRow row : ring.rows()) {
                if (row.tableName().equals(identity) && row.keyVersion() != to
                        && row.status() == KeyStatus.RETIRING && !perVersion.containsKey(row.keyVersion())) {
                    ring.setStatus(identity, row.keyVersion(), KeyStatus.RETIRED);
                    retired.add(row.keyVersion());
                }
            }
            System.out.println(retired.isEmpty() ? "No version could be retired."
                    : "Retired version(s) " + retired + " of " + identity + ": they hold no values any more"
                    + " (they still decrypt; keys destroy removes them for good).");
            return perVersion.keySet().stream().allMatch(v -> v == to) ? 0 : 1;
        }
    }

    /** A value under an older version, decrypted and encrypted again under {@code to}; else null. */
    private static byte[] reencrypt(EncryptedColumn column, KeyRing ring, byte[] stored, int to)
            throws java.sql.SQLException {
        ColumnCipher cipher = column.cipher();
        if (stored == null || !cipher.isEnvelopeFormat(stored)) {
            return null; // plaintext under accept-plaintext: that is migrate's work
        }
        int from = cipher.keyVersionOf(stored);
        if (from == to) {
            return null;
        }
        String identity = column.table().identity();
        Object plaintext = cipher.decrypt(stored, ring.key(identity, from));
        DataKey key = switch (column.mode()) {
            case RANDOMIZED -> ring.randomizedWriteKey(identity);
            case DETERMINISTIC -> ring.deterministicWriteKey(identity);
        };
        if (key.version() != to) {
            throw EnvelopeException.key("table " + identity + ": the " + column.mode().configName()
                    + " write key is version " + key.version() + ", not " + to + "; was a version rotated or"
                    + " reactivated meanwhile? Run reencrypt again");
        }
        return cipher.encrypt(plaintext, key);
    }
}
