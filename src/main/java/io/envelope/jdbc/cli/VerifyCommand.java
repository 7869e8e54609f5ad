package io.envelope.jdbc.cli;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.crypto.ColumnCipher;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.schema.PhysicalColumn;
import io.envelope.jdbc.schema.TableLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code verify --table T}: reads every stored value of the table's encrypted columns with the plain target driver
 * and decrypts each one itself, reporting values that fail (tampered, copied from elsewhere, under a destroyed key,
 * not in envelope format). Read-only; streams the table, or with {@code --shard i/n} walks that worker's slice by
 * primary key.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Read every row of a table and report values that fail to decrypt.")
final class VerifyCommand implements Callable<Integer> {

    private static final int FETCH_SIZE = 1000;
    /** Failures listed one by one; beyond this only counted. */
    private static final int LISTED_FAILURES = 100;

    @Mixin
    DatabaseOptions database;

    @Mixin
    ShardOptions sharding;

    @Option(names = "--table", required = true, description = "The configured table.")
    String table;

    @Override
    public Integer call() throws Exception {
        try (DatabaseOptions.KeyAccess keys = database.openKeys(); Connection connection = database.openTarget()) {
            EnvelopeConfig config = keys.config();
            KeyRing ring = keys.ring();
            EncryptedTable target = database.configuredTable(config, connection, table);
            Progress progress = Progress.onStandardOutput();
            Tally tally = new Tally();
            long started = System.nanoTime();
            if (sharding.slice().isAll()) {
                streamWholeTable(connection, target, ring, tally, progress);
            } else {
                // a slice is walked by primary key like the rewriting commands, so it needs one; every table can be
                // verified whole without
                TableRewriter reader = new TableRewriter(connection, target, FETCH_SIZE, sharding.slice(),
                        sharding.stripeWidth, progress);
                reader.onEachPage(ring::statementStarts);
                System.out.println("Verifying " + reader.sliceDescription());
                TableRewriter.Pass pass = reader.run("verifying", List.copyOf(target.columns()),
                        (column, stored, text) -> {
                            byte[] bytes = stored == null && text != null ? new byte[0] : stored;
                            check(column, bytes, ring, tally, () -> "row " + reader.currentKey());
                            return null;
                        });
                tally.rows = pass.rows();
                tally.nulls = -1;
            }
            report(target, sharding.slice(), tally, (System.nanoTime() - started) / 1e9);
            return tally.failures == 0 ? 0 : 1;
        }
    }

    /** The whole table, streamed (no primary key needed). */
    private static void streamWholeTable(Connection connection, EncryptedTable target, KeyRing ring, Tally tally,
                                         Progress progress) throws SQLException {
        connection.setAutoCommit(false); // lets the driver stream with a fetch size
        SqlText sqlText = SqlText.of(connection);
        try (Statement statement = connection.createStatement()) {
            long total;
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + sqlText.qualified(target))) {
                rs.next();
                total = rs.getLong(1);
            }
            Progress.Pass shown = progress.start("verifying", total);
            statement.setFetchSize(FETCH_SIZE);
            TableLayout layout = TableLayout.read(connection.getMetaData(), target.schema(), target.name());
            IdentifierCase folding = IdentifierCase.of(connection.getMetaData());
            try (ResultSet rs = statement.executeQuery("SELECT * FROM " + sqlText.qualified(target))) {
                List<Cell> cells = encryptedCells(rs.getMetaData(), target, layout, folding);
                while (rs.next()) {
                    tally.rows++;
                    long row = tally.rows;
                    for (Cell cell : cells) {
                        check(cell.column(), stored(rs, cell), ring, tally, () -> "row " + row);
                    }
                    if (tally.rows % FETCH_SIZE == 0) {
                        shown.rowsDone(tally.rows);
                        ring.statementStarts(); // with a ttl of 0s, keys are unwrapped afresh every 1,000 rows
                    }
                }
            }
            shown.rowsDone(tally.rows);
            shown.finish();
        } finally {
            connection.rollback();
        }
    }

    /** One encrypted column of the result: its position, column and how it is stored. */
    private record Cell(int position, EncryptedColumn column, ColumnStorage storage) {
    }

    private static final class Tally {
        long rows;
        long values;
        long nulls;
        long plaintext;
        long failures;
        final Map<Integer, Long> perVersion = new TreeMap<>();
        final List<String> listed = new ArrayList<>();
    }

    /**
     * The encrypted columns of the result. How each holds ciphertext is the catalog's word ({@link TableLayout}, as
     * the driver reads it): MySQL's drivers report a text and a blob column alike in a result's metadata. A name
     * from the catalog is matched as the database matches it (in MySQL without case).
     */
    private static List<Cell> encryptedCells(ResultSetMetaData metaData, EncryptedTable target, TableLayout layout,
                                             IdentifierCase folding) throws SQLException {
        List<Cell> cells = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            String name = metaData.getColumnName(i);
            EncryptedColumn column = target.column(folding.exact(name));
            if (column != null) {
                PhysicalColumn physical = layout.column(name);
                ColumnStorage storage = physical == null ? null : physical.storage();
                if (storage == null) {
                    throw io.envelope.jdbc.EnvelopeErrors.config("encrypted column " + column.qualifiedName()
                            + " has a physical type that cannot hold ciphertext (" + metaData.getColumnTypeName(i)
                            + ")");
                }
                cells.add(new Cell(i, column, storage));
            }
        }
        return cells;
    }

    /** The stored bytes of a cell; for text that is not base64, no bytes (certainly not in envelope format). */
    private static byte[] stored(ResultSet rs, Cell cell) throws SQLException {
        if (cell.storage() == ColumnStorage.BINARY) {
            return rs.getBytes(cell.position());
        }
        String text = rs.getString(cell.position());
        if (text == null) {
            return null;
        }
        byte[] stored = SqlText.decodeBase64(text);
        return stored == null ? new byte[0] : stored;
    }

    private static void check(EncryptedColumn column, byte[] stored, KeyRing ring, Tally tally,
                              Supplier<String> where) {
        if (stored == null) {
            tally.nulls++;
            return;
        }
        tally.values++;
        ColumnCipher cipher = column.cipher();
        if (!cipher.isEnvelopeFormat(stored)) {
            if (column.config().acceptPlaintext()) {
                tally.plaintext++;
            } else {
                fail(tally, where, column, "not in envelope format");
            }
            return;
        }
        try {
            int version = cipher.keyVersionOf(stored);
            cipher.decrypt(stored, ring.key(column.table().identity(), version));
            tally.perVersion.merge(version, 1L, Long::sum);
        } catch (SQLException e) {
            fail(tally, where, column, e.getMessage());
        }
    }

    private static void fail(Tally tally, Supplier<String> where, EncryptedColumn column, String why) {
        tally.failures++;
        if (tally.listed.size() < LISTED_FAILURES) {
            tally.listed.add(where.get() + ", " + column.name() + ": " + why);
        }
    }

    private static void report(EncryptedTable target, Shard shard, Tally tally, double seconds) {
        System.out.printf("verify %s%s: %,d rows, %,d encrypted values checked in %.1f s%n", target.identity(),
                shard.isAll() ? "" : " (shard " + shard + ")", tally.rows, tally.values, seconds);
        System.out.println("  values per key version: " + (tally.perVersion.isEmpty() ? "none" : tally.perVersion));
        System.out.printf("  %splaintext values (accept-plaintext columns): %,d%n",
                tally.nulls < 0 ? "" : String.format("NULLs: %,d; ", tally.nulls), tally.plaintext);
        if (tally.failures == 0) {
            System.out.println("  every value decrypts");
            return;
        }
        System.out.printf("  %,d value(s) FAIL to decrypt:%n", tally.failures);
        for (String line : tally.listed) {
            System.out.println("    " + line);
        }
        if (tally.failures > tally.listed.size()) {
            System.out.printf("    ... and %,d more%n", tally.failures - tally.listed.size());
        }
    }
}
