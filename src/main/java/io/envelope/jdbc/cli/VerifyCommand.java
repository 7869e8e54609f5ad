package io.envelope.jdbc.cli;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.crypto.ColumnCipher;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
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

/**
 * {@code verify --table T}: reads every stored value of the table's encrypted columns with the plain target driver
 * and decrypts each one itself, reporting values that fail (tampered, copied from elsewhere, under a destroyed key,
 * not in envelope format). Read-only; streams the table.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Read every row of a table and report values that fail to decrypt.")
final class VerifyCommand implements Callable<Integer> {

    private static final int FETCH_SIZE = 1000;
    private static final int PROGRESS_EVERY = 50_000;
    /** Failures listed one by one; beyond this only counted. */
    private static final int LISTED_FAILURES = 100;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--table", required = true, description = "The configured table.")
    String table;

    @Override
    public Integer call() throws Exception {
        try (DatabaseOptions.KeyAccess keys = database.openKeys(); Connection connection = database.openTarget()) {
            EnvelopeConfig config = keys.config();
            KeyRing ring = keys.ring();
            EncryptedTable target = database.configuredTable(config, connection, table);
            connection.setAutoCommit(false); // lets the driver stream with a fetch size
            Tally tally = new Tally();
            long started = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = statement.executeQuery("SELECT * FROM " + SqlText.qualified(target))) {
                    List<Cell> cells = encryptedCells(rs.getMetaData(), target);
                    while (rs.next()) {
                        tally.rows++;
                        for (Cell cell : cells) {
                            check(rs, cell, ring, tally);
                        }
                        if (tally.rows % PROGRESS_EVERY == 0) {
                            double seconds = (System.nanoTime() - started) / 1e9;
                            System.out.printf("  %,d rows checked (%,.0f rows/s)%n", tally.rows, tally.rows / seconds);
                        }
                    }
                }
            } finally {
                connection.rollback();
            }
            report(target, tally, (System.nanoTime() - started) / 1e9);
            return tally.failures == 0 ? 0 : 1;
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

    private static List<Cell> encryptedCells(ResultSetMetaData metaData, EncryptedTable target) throws SQLException {
        List<Cell> cells = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            EncryptedColumn column = target.column(metaData.getColumnName(i));
            if (column != null) {
                ColumnStorage storage = ColumnStorage.ofSqlType(metaData.getColumnType(i));
                if (storage == null) {
                    throw io.envelope.jdbc.EnvelopeException.config("encrypted column " + column.qualifiedName()
                            + " has a physical type that cannot hold ciphertext (" + metaData.getColumnTypeName(i)
                            + ")");
                }
                cells.add(new Cell(i, column, storage));
            }
        }
        return cells;
    }

    private static void check(ResultSet rs, Cell cell, KeyRing ring, Tally tally) throws SQLException {
        byte[] stored;
        if (cell.storage() == ColumnStorage.BINARY) {
            stored = rs.getBytes(cell.position());
        } else {
            String text = rs.getString(cell.position());
            stored = text == null ? null : SqlText.decodeBase64(text);
            if (text != null && stored == null) {
                stored = new byte[0]; // not base64: certainly not in envelope format
            }
        }
        if (stored == null) {
            tally.nulls++;
            return;
        }
        tally.values++;
        ColumnCipher cipher = cell.column().cipher();
        if (!cipher.isEnvelopeFormat(stored)) {
            if (cell.column().config().acceptPlaintext()) {
                tally.plaintext++;
            } else {
                fail(tally, cell, "not in envelope format");
            }
            return;
        }
        try {
            int version = cipher.keyVersionOf(stored);
            cipher.decrypt(stored, ring.key(cell.column().table().identity(), version));
            tally.perVersion.merge(version, 1L, Long::sum);
        } catch (SQLException e) {
            fail(tally, cell, e.getMessage());
        }
    }

    private static void fail(Tally tally, Cell cell, String why) {
        tally.failures++;
        if (tally.listed.size() < LISTED_FAILURES) {
            tally.listed.add("row " + tally.rows + ", " + cell.column().name() + ": " + why);
        }
    }

    private static void report(EncryptedTable target, Tally tally, double seconds) {
        System.out.printf("verify %s: %,d rows, %,d encrypted values checked in %.1f s%n", target.identity(),
                tally.rows, tally.values, seconds);
        System.out.println("  values per key version: " + (tally.perVersion.isEmpty() ? "none" : tally.perVersion));
        System.out.printf("  NULLs: %,d; plaintext values (accept-plaintext columns): %,d%n", tally.nulls,
                tally.plaintext);
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
