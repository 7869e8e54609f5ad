package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the stored values of a table's encrypted columns in place, beside live traffic, for {@code migrate}
 * and {@code reencrypt}: it walks the table in primary-key order, one batch per transaction, and updates a cell
 * only if it still holds the value that was read ({@code WHERE pk = ? AND col = old}), so a concurrent
 * application write is never overwritten. A rewrite that finds nothing to do for a cell leaves it alone, so a
 * stopped run simply runs again from the start: no row is lost or rewritten twice.
 *
 * <p>With a {@link Shard} it walks only that worker's slice of the primary key, a slice that depends on nothing but
 * the key and {@code i/n}, so workers started at different times, on different machines, or run again after a
 * crash, never overlap and never leave a gap:
 * <ul>
 * <li>when the key's first column is an integer: fixed stripes of {@code stripeWidth} consecutive values (stripe
 *     {@code floor(k / width)} belongs to worker {@code stripe mod n}). Each page is a range scan of the primary-key
 *     index inside one stripe, and the worker jumps over other workers' stripes (and empty ones) with one
 *     {@code min(k)} look-up, so every worker reads only its own rows;</li>
 * <li>otherwise (uuid, text keys; PostgreSQL, MariaDB, MySQL): a hash of the first key column, {@code hashtext(k)
 *     mod n} ({@code crc32(k) mod n} on MySQL and MariaDB). Each
 *     worker still walks the whole key index in order, but reads and writes only its own rows' values.</li>
 * </ul>
 */
final class TableRewriter {

    /** A stored value: the raw bytes of an encrypted column (base64-decoded for a character column). */
    interface CellRewrite {
        /**
         * @param column the encrypted column
         * @param stored the stored bytes, or for a character column that is not base64, null
         * @param text   the stored text of a character column (null for bytea)
         * @return the new stored bytes, or null to leave the cell as it is
         */
        byte[] rewrite(EncryptedColumn column, byte[] stored, String text) throws SQLException;
    }

    /** What a pass did. */
    record Pass(long rows, long rewritten, long skippedChanged) {
    }

    /** Default width of a shard's stripes of integer keys: wide enough for few jumps, narrow enough to balance. */
    static final long DEFAULT_STRIPE_WIDTH = 1000;

    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

    private final Connection connection;
    private final EncryptedTable table;
    private final int batchSize;
    private final Shard shard;
    private final long stripeWidth;
    private final Progress progress;
    private final List<String> keyColumns;
    /** Whether the shard is striped by an integer first key column (else hashed). */
    private final boolean striped;
    /** Writes each page's new values where the rows still hold what was read. */
    private final RowUpdates updates;
    private final SqlText sqlText;
    /** The table's primary key and its encrypted columns' storages, from the catalog. */
    private final RewrittenTable catalog;
    private long total = -1;
    private Object[] currentRow;
    private Runnable pageStarts = () -> { };
    /** Nanoseconds of the current pass in: page selects, the rewrites (crypto), updates, commits. */
    private final long[] time = new long[4];

    TableRewriter(Connection connection, EncryptedTable table, int batchSize, Progress progress)
            throws SQLException {
        this(connection, table, batchSize, Shard.ALL, DEFAULT_STRIPE_WIDTH, progress);
    }

    TableRewriter(Connection connection, EncryptedTable table, int batchSize, Shard shard, long stripeWidth,
                  Progress progress) throws SQLException {
        if (batchSize < 1) {
            throw EnvelopeErrors.config("--batch-size must be at least 1, not " + batchSize);
        }
        if (stripeWidth < 1) {
            throw EnvelopeErrors.config("--stripe-width must be at least 1, not " + stripeWidth);
        }
        this.connection = connection;
        this.table = table;
        this.batchSize = batchSize;
        this.shard = shard;
        this.stripeWidth = stripeWidth;
        this.progress = progress;
        this.sqlText = SqlText.of(connection);
        this.catalog = RewrittenTable.read(connection.getMetaData(), sqlText.mySqlFamily(), table);
        this.keyColumns = catalog.keyColumns();
        this.striped = catalog.integerFirstKey();
        this.updates = new RowUpdates(connection, sqlText, table, keyColumns);
        if (!shard.isAll() && !striped && !sqlText.postgres() && !sqlText.mySqlFamily()) {
            throw EnvelopeErrors.config("--shard on " + table.identity() + ": its primary key starts with "
                    + keyColumns.get(0) + ", which is not an integer column; sharding such a key hashes it, which"
                    + " needs PostgreSQL, MariaDB or MySQL");
        }
    }

    /**
     * Runs before each page (one transaction): the commands hand in their key ring's statement boundary, so with a
     * key-cache ttl of 0s each page reads the key rows and unwraps its keys afresh, as a statement of the driver
     * does, instead of keeping the first page's for the whole run.
     */
    void onEachPage(Runnable pageStarts) {
        this.pageStarts = pageStarts;
    }

    /** How this worker's rows are chosen, for the output. */
    String sliceDescription() {
        if (shard.isAll()) {
            return "every row";
        }
        return striped
                ? "shard " + shard + ": stripes of " + String.format("%,d", stripeWidth) + " values of "
                        + keyColumns.get(0) + " numbered " + shard.index() + " mod " + shard.count()
                : "shard " + shard + ": rows whose " + (sqlText.mySqlFamily() ? "crc32(" : "hashtext(")
                        + keyColumns.get(0) + ") mod " + shard.count() + " is "
                        + shard.index();
    }

    /** The primary key of the row being rewritten, for messages (key columns are never encrypted). */
    String currentKey() {
        if (currentRow == null) {
            return "?";
        }
        return keyColumns.size() == 1 ? String.valueOf(currentRow[0])
                : Arrays.toString(Arrays.copyOf(currentRow, keyColumns.size()));
    }

    /** One named pass over this worker's rows with {@code rewrite} applied to the given columns. */
    Pass run(String name, List<EncryptedColumn> columns, CellRewrite rewrite) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            if (total < 0) {
                // counted once per run: later passes see about the same rows, and a count costs a scan
                total = count();
                connection.commit();
            }
            Progress.Pass shown = progress.start(name, total);
            long[] tally = new long[3]; // rows, rewritten, changed by the application
            Arrays.fill(time, 0);
            if (shard.isAll() || !striped) {
                walk(columns, rewrite, null, null, tally, shown);
            } else {
                for (Long stripe = nextStripe(null); stripe != null; ) {
                    long low = stripe * stripeWidth;
                    long high = low + stripeWidth;
                    walk(columns, rewrite, low, high, tally, shown);
                    stripe = nextStripe(high);
                }
            }
            shown.finish();
            if (Boolean.getBoolean("envelope.cli.timings")) {
                // where a pass's time went, for tuning (benchmarks/cli/throughput.sh)
                System.out.printf("  %s time: select %.1f s, decrypt/encrypt %.1f s, update %.1f s, commit %.1f s%n",
                        name, time[0] / 1e9, time[1] / 1e9, time[2] / 1e9, time[3] / 1e9);
            }
            return new Pass(tally[0], tally[1], tally[2]);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            currentRow = null;
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Pages through this worker's rows with the first key column in [low, high) (unbounded when null). */
    private void walk(List<EncryptedColumn> columns, CellRewrite rewrite, Long low, Long high, long[] tally,
                      Progress.Pass shown) throws SQLException {
        List<Object> after = null;
        String firstSql = pageSql(columns, false, low != null);
        String nextSql = pageSql(columns, true, low != null);
        while (true) {
            pageStarts.run();
            List<Object[]> page = new ArrayList<>();
            ColumnStorage[] storages = storagesOf(columns);
            long t0 = System.nanoTime();
            try (PreparedStatement select = connection.prepareStatement(after == null ? firstSql : nextSql)) {
                int at = 1;
                if (low != null) {
                    select.setLong(at++, low);
                    select.setLong(at++, high);
                }
                if (after != null) {
                    for (int key : afterParameters()) {
                        select.setObject(at++, after.get(key));
                    }
                }
                try (ResultSet rs = select.executeQuery()) {
                    int keys = keyColumns.size();
                    while (rs.next()) {
                        Object[] row = new Object[keys + columns.size()];
                        for (int i = 0; i < keys; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        // by storage, not getObject: a driver may hand a blob column over as a java.sql.Blob
                        for (int c = 0; c < columns.size(); c++) {
                            row[keys + c] = storages[c] == ColumnStorage.BINARY ? rs.getBytes(keys + c + 1)
                                    : rs.getString(keys + c + 1);
                        }
                        page.add(row);
                    }
                }
            }
            if (page.isEmpty()) {
                connection.commit();
                return;
            }
            long t1 = System.nanoTime();
            time[0] += t1 - t0;
            long[] outcome = rewritePage(columns, storages, page, rewrite);
            long t2 = System.nanoTime();
            connection.commit();
            time[3] += System.nanoTime() - t2;
            tally[0] += page.size();
            tally[1] += outcome[0];
            tally[2] += outcome[1];
            shown.rowsDone(tally[0]);
            if (page.size() < batchSize) {
                return;
            }
            Object[] last = page.get(page.size() - 1);
            after = new ArrayList<>(Arrays.asList(last).subList(0, keyColumns.size()));
        }
    }

    /**
     * This worker's next stripe that may hold rows: from the lowest key at or above {@code from} (the table's lowest
     * when null), the first stripe numbered {@code index mod n}; null when no key is left.
     */
    private Long nextStripe(Long from) throws SQLException {
        String first = sqlText.quote(keyColumns.get(0));
        String sql = "SELECT min(" + first + ") FROM " + sqlText.qualified(table)
                + (from == null ? "" : " WHERE " + first + " >= ?");
        long lowest;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (from != null) {
                ps.setLong(1, from);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                lowest = rs.getLong(1);
                if (rs.wasNull()) {
                    return null;
                }
            }
        }
        long stripe = Math.floorDiv(lowest, stripeWidth);
        return stripe + Math.floorMod(shard.index() - stripe, (long) shard.count());
    }

    /**
     * Rewrites one page; returns {cells rewritten, cells skipped because the application changed them}. A row's
     * cells are rewritten by one UPDATE (one new row version in the database, one statement to run), which holds
     * only if every cell still holds what was read; where the application changed one of them meanwhile, each of
     * the row's cells is tried alone, so the cells it did not touch are still rewritten.
     */
    private long[] rewritePage(List<EncryptedColumn> columns, ColumnStorage[] storages, List<Object[]> page,
                               CellRewrite rewrite) throws SQLException {
        int keys = keyColumns.size();
        long started = System.nanoTime();
        Map<BitSet, List<RowUpdates.Change>> byColumns = new LinkedHashMap<>();
        for (Object[] row : page) {
            currentRow = row;
            Object[] replacement = new Object[columns.size()];
            BitSet changed = new BitSet();
            for (int c = 0; c < columns.size(); c++) {
                Object old = row[keys + c];
                if (old == null) {
                    continue;
                }
                byte[] stored;
                String text = null;
                if (storages[c] == ColumnStorage.BINARY) {
                    stored = (byte[]) old;
                } else {
                    text = old.toString();
                    stored = SqlText.decodeBase64(text);
                }
                byte[] bytes = rewrite.rewrite(columns.get(c), stored, text);
                if (bytes != null) {
                    replacement[c] = storages[c] == ColumnStorage.BINARY ? bytes : BASE64.encodeToString(bytes);
                    changed.set(c);
                }
            }
            if (!changed.isEmpty()) {
                byColumns.computeIfAbsent(changed, k -> new ArrayList<>()).add(new RowUpdates.Change(row, replacement,
                        changed));
            }
        }
        long rewritten = 0;
        long skipped = 0;
        long cryptoDone = System.nanoTime();
        time[1] += cryptoDone - started;
        List<RowUpdates.Change> retry = new ArrayList<>();
        for (Map.Entry<BitSet, List<RowUpdates.Change>> group : byColumns.entrySet()) {
            int[] counts = updates.apply(columns, storages, group.getKey(), group.getValue());
            for (int i = 0; i < counts.length; i++) {
                RowUpdates.Change change = group.getValue().get(i);
                if (counts[i] > 0) {
                    rewritten += change.columns().cardinality();
                } else if (change.columns().cardinality() == 1) {
                    skipped++;
                } else {
                    retry.add(change);
                }
            }
        }
        for (int c = 0; c < columns.size(); c++) {
            BitSet one = new BitSet();
            one.set(c);
            List<RowUpdates.Change> cells = new ArrayList<>();
            for (RowUpdates.Change change : retry) {
                if (change.columns().get(c)) {
                    cells.add(change);
                }
            }
            if (!cells.isEmpty()) {
                for (int count : updates.apply(columns, storages, one, cells)) {
                    if (count > 0) {
                        rewritten++;
                    } else {
                        skipped++;
                    }
                }
            }
        }
        time[2] += System.nanoTime() - cryptoDone;
        return new long[] {rewritten, skipped};
    }

    private String pageSql(List<EncryptedColumn> columns, boolean after, boolean inStripe) {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> names = new ArrayList<>();
        keyColumns.forEach(k -> names.add(sqlText.quote(k)));
        columns.forEach(c -> names.add(sqlText.quote(c.name())));
        sql.append(String.join(", ", names)).append(" FROM ").append(sqlText.qualified(table));
        String keys = String.join(", ", keyColumns.stream().map(sqlText::quote).toList());
        List<String> where = new ArrayList<>();
        String first = sqlText.quote(keyColumns.get(0));
        if (inStripe) {
            where.add(first + " >= ? AND " + first + " < ?");
        }
        if (after) {
            where.add(afterPredicate());
        }
        if (!shard.isAll() && !striped) {
            where.add(hashPredicate());
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        return sql.append(" ORDER BY ").append(keys).append(" LIMIT ").append(batchSize).toString();
    }

    /**
     * The rows after the last page's last key. PostgreSQL walks a composite key's index from a row value
     * {@code (a, b) > (?, ?)}; MariaDB reads that as a scan of the whole index from its start (EXPLAIN: type index),
     * so every page would cost more than the last, and there it is spelt out: {@code a > ? OR (a = ? AND b > ?)},
     * a range of the index.
     */
    private String afterPredicate() {
        List<String> keys = keyColumns.stream().map(sqlText::quote).toList();
        if (!sqlText.mySqlFamily() || keys.size() == 1) {
            return "(" + String.join(", ", keys) + ") > (" + String.join(", ", keys.stream().map(k -> "?").toList())
                    + ")";
        }
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<String> terms = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                terms.add(keys.get(j) + " = ?");
            }
            terms.add(keys.get(i) + " > ?");
            alternatives.add("(" + String.join(" AND ", terms) + ")");
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    /** Which key column each placeholder of {@link #afterPredicate} takes, in order. */
    private List<Integer> afterParameters() {
        List<Integer> order = new ArrayList<>();
        if (!sqlText.mySqlFamily() || keyColumns.size() == 1) {
            for (int k = 0; k < keyColumns.size(); k++) {
                order.add(k);
            }
            return order;
        }
        for (int i = 0; i < keyColumns.size(); i++) {
            for (int j = 0; j <= i; j++) {
                order.add(j);
            }
        }
        return order;
    }

    /** This worker's rows of a hashed shard (the cast to bigint keeps abs() clear of int's one-sided range). */
    private String hashPredicate() {
        if (sqlText.mySqlFamily()) {
            // CRC32 of the key's bytes: an unsigned 32-bit value, the same on every server and worker
            return "MOD(CRC32(" + sqlText.quote(keyColumns.get(0)) + "), " + shard.count() + ") = " + shard.index();
        }
        return "mod(abs(CAST(hashtext(CAST(" + sqlText.quote(keyColumns.get(0)) + " AS text)) AS bigint)), "
                + shard.count() + ") = " + shard.index();
    }

    /** The condition for this worker's rows in a count. */
    private String slicePredicate() {
        if (shard.isAll()) {
            return null;
        }
        if (!striped) {
            return hashPredicate();
        }
        String first = sqlText.quote(keyColumns.get(0));
        String stripe = "floor(" + first + " / " + stripeWidth + ".0)";
        return "mod(mod(" + stripe + ", " + shard.count() + ") + " + shard.count() + ", " + shard.count() + ") = "
                + shard.index();
    }

    private long count() throws SQLException {
        String predicate = slicePredicate();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + sqlText.qualified(table)
                     + (predicate == null ? "" : " WHERE " + predicate))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The storages of {@code columns}, in their order; a column that can hold no ciphertext is an error. */
    private ColumnStorage[] storagesOf(List<EncryptedColumn> columns) throws SQLException {
        ColumnStorage[] found = new ColumnStorage[columns.size()];
        for (int c = 0; c < found.length; c++) {
            found[c] = catalog.storages().get(columns.get(c).name());
            if (found[c] == null) {
                throw EnvelopeErrors.config("encrypted column " + columns.get(c).qualifiedName() + " is missing from "
                        + table.identity() + " or has a physical type that cannot hold ciphertext (doctor says"
                        + " which)");
            }
        }
        return found;
    }
}
