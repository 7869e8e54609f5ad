package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.crypto.ColumnCipher;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.keys.KeyStatus;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code reencrypt --table T}: moves every value of a table onto its newest key version and retires the emptied
 * versions. Run as one process it does it all: it waits until the newest version is one key-cache TTL old (so every
 * process already matches lookups against it), marks every other version {@code retiring} (deterministic writes
 * move to the newest), re-encrypts every value, waits one TTL (a process that took an old key just before the change
 * has written by then), catches up with the values written meanwhile, scans again, and marks the versions that hold
 * no value any more {@code retired}.
 *
 * <p>Across many workers the once-only steps are split off: {@code --start} (run once) waits and marks, then waits
 * one TTL more so no process writes under an old version when the shards begin; {@code --shard i/n} (n workers, in
 * parallel, each re-runnable) re-encrypts its slice; {@code --finish} (run once, after every shard) waits one TTL,
 * catches up with anything still under an old version, scans, and retires the emptied versions.
 */
@Command(name = "reencrypt", mixinStandardHelpOptions = true,
        description = "Move every value of a table onto its newest key version, then retire the emptied versions."
                + " For many workers: --start once, then --shard i/n on each worker, then --finish once.")
final class ReencryptCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Mixin
    ShardOptions sharding;

    @Option(names = "--table", required = true, description = "The configured table.")
    String table;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Rows per transaction (default 1000).")
    int batchSize;

    @ArgGroup(exclusive = true)
    Step step;

    /** The once-only steps of a sharded run. */
    static final class Step {
        @Option(names = "--start", required = true, description = "Sharded run, step 1 (once): wait until the newest"
                + " version is one key-cache ttl old, mark every other version retiring, wait one ttl.")
        boolean start;

        @Option(names = "--finish", required = true, description = "Sharded run, step 3 (once, after every"
                + " --shard worker): wait one ttl, re-encrypt what is still under an old version, re-scan, retire"
                + " the emptied versions.")
        boolean finish;
    }

    @Override
    public Integer call() throws Exception {
        boolean start = step != null && step.start;
        boolean finish = step != null && step.finish;
        if ((start || finish) && sharding.isWorker()) {
            throw EnvelopeErrors.config("--shard is for the workers between reencrypt --start and --finish,"
                    + " which run once over the whole table");
        }
        try (DatabaseOptions.KeyAccess keys = database.openKeys(); Connection connection = database.openTarget()) {
            EnvelopeConfig config = keys.config();
            KeyRing ring = keys.ring();
            EncryptedTable target = database.configuredTable(config, connection, table);
            String identity = target.identity();
            Duration ttl = config.keyCacheTtl();
            List<KeyRow> rows = rows(ring, identity);
            KeyRow newest = rows.get(rows.size() - 1);
            if (newest.status() != KeyStatus.ACTIVE) {
                throw EnvelopeErrors.key("the newest key version " + newest.keyVersion() + " of " + identity
                        + " is " + newest.status().dbValue() + "; run keys rotate first");
            }
            int to = newest.keyVersion();
            Progress progress = Progress.onStandardOutput();
            List<EncryptedColumn> columns = List.copyOf(target.columns());
            if (start) {
                waitUntilOld(newest, ttl);
                markRetiring(ring, identity, rows, to);
                waitOneTtl(ttl, "so that no process writes under an old version when the shards begin");
                System.out.println("Started: now run reencrypt --table " + table + " --shard i/n on n workers"
                        + " (i = 0 .. n-1, the same n everywhere), then reencrypt --table " + table + " --finish"
                        + " once.");
                return 0;
            }
            if (sharding.isWorker() || finish) {
                requireStarted(rows, to, identity);
            }
            TableRewriter rewriter = new TableRewriter(connection, target, batchSize, sharding.slice(),
                    sharding.stripeWidth, progress);
            rewriter.onEachPage(ring::statementStarts);
            TableRewriter.CellRewrite onto = (column, stored, text) -> reencrypt(column, ring, stored, to);
            if (sharding.isWorker()) {
                System.out.println("Re-encrypting onto version " + to + " (" + rewriter.sliceDescription() + ")");
                TableRewriter.Pass pass = rewriter.run("encrypting", columns, onto);
                progress.printSummary();
                System.out.printf("Shard %s: re-encrypted %,d value(s) onto version %d in %,d rows; %,d changed by"
                        + " the application meanwhile (written under version %d by it). Once every shard is done,"
                        + " run reencrypt --table %s --finish once.%n", sharding.slice(), pass.rewritten(), to,
                        pass.rows(), pass.skippedChanged(), to, table);
                return 0;
            }
            if (!finish) {
                waitUntilOld(newest, ttl);
                markRetiring(ring, identity, rows, to);
                TableRewriter.Pass first = rewriter.run("encrypting", columns, onto);
                System.out.printf("Re-encrypted %,d value(s) onto version %d.%n", first.rewritten(), to);
            }
            waitOneTtl(ttl, "so every process writes under version " + to);
            TableRewriter.Pass second = rewriter.run("catching up with writes made meanwhile", columns, onto);
            Map<Integer, Long> perVersion = new TreeMap<>();
            rewriter.run("verifying", columns, (column, stored, text) -> {
                if (stored != null && column.cipher().isEnvelopeFormat(stored)) {
                    perVersion.merge(column.cipher().keyVersionOf(stored), 1L, Long::sum);
                }
                return null;
            });
            progress.printSummary();
            System.out.printf("Second pass re-encrypted %,d value(s) %s; values per version: %s%n",
                    second.rewritten(), finish ? "still under an old version (written meanwhile, or in a slice no"
                            + " shard finished)" : "written meanwhile", perVersion);
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

    private static List<KeyRow> rows(KeyRing ring, String identity) throws SQLException {
        List<KeyRow> rows = ring.rows().stream().filter(r -> r.tableName().equals(identity))
                .sorted(Comparator.comparingInt(KeyRow::keyVersion)).toList();
        if (rows.isEmpty()) {
            throw EnvelopeErrors.key("table " + identity + " has no data key yet");
        }
        return rows;
    }

    /**
     * Lookups in other processes match a version only once they have read it, within one TTL of its creation: until
     * then, moving deterministic values onto it would hide them from those lookups.
     */
    private static void waitUntilOld(KeyRow newest, Duration ttl) throws InterruptedException {
        if (newest.createdAt() == null) {
            return;
        }
        Duration age = Duration.between(newest.createdAt(), LocalDateTime.now(ZoneOffset.UTC));
        Duration left = ttl.minus(age);
        if (!left.isNegative() && !left.isZero()) {
            System.out.println("Waiting " + Progress.seconds(left.toMillis() / 1e3) + " until version "
                    + newest.keyVersion() + " is one key-cache ttl (" + ttl + ") old, so every process matches"
                    + " lookups against it ...");
            Thread.sleep(left.toMillis());
        }
    }

    private static void waitOneTtl(Duration ttl, String why) throws InterruptedException {
        System.out.println("Waiting one key-cache ttl (" + ttl + ") " + why + " ...");
        Thread.sleep(ttl.toMillis());
    }

    private static void markRetiring(KeyRing ring, String identity, List<KeyRow> rows, int to) throws SQLException {
        for (KeyRow row : rows) {
            if (row.keyVersion() != to && row.status() == KeyStatus.ACTIVE) {
                ring.setStatus(identity, row.keyVersion(), KeyStatus.RETIRING);
                System.out.println("version " + row.keyVersion() + " of " + identity + " is now retiring");
            }
        }
        System.out.println("Deterministic writes now use version " + to + "; lookups match every non-retired"
                + " version meanwhile. Unique constraints on deterministic columns are NOT enforced by the database"
                + " until this finishes (the same value can be stored under two versions).");
    }

    /** A shard or --finish works only after --start: no version but the newest may still take writes. */
    private static void requireStarted(List<KeyRow> rows, int to, String identity) throws SQLException {
        for (KeyRow row : rows) {
            if (row.keyVersion() != to && row.status() == KeyStatus.ACTIVE) {
                throw EnvelopeErrors.key("key version " + row.keyVersion() + " of " + identity + " is still"
                        + " active: run reencrypt --start once before the shards and --finish");
            }
        }
    }

    /** A value under an older version, decrypted and encrypted again under {@code to}; else null. */
    private static byte[] reencrypt(EncryptedColumn column, KeyRing ring, byte[] stored, int to)
            throws SQLException {
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
            throw EnvelopeErrors.key("table " + identity + ": the " + column.mode().configName()
                    + " write key is version " + key.version() + ", not " + to + "; was a version rotated or"
                    + " reactivated meanwhile? Run reencrypt again");
        }
        return cipher.encrypt(plaintext, key);
    }
}
