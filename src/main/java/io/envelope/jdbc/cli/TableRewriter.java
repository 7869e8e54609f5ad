package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
 * <li>otherwise (uuid, text keys; PostgreSQL): a hash of the first key column, {@code hashtext(k) mod n}. Each
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
    private long total = -1;
    private Object[] currentRow;

    TableRewriter(Connection connection, EncryptedTable table, int batchSize, Progress progress)
            throws SQLException {
        this(connection, table, batchSize, Shard.ALL, DEFAULT_STRIPE_WIDTH, progress);
    }

    TableRewriter(Connection connection, EncryptedTable table, int batchSize, Shard shard, long stripeWidth,
                  Progress progress) throws SQLException {
        if (batchSize < 1) {
            throw EnvelopeException.config("--batch-size must be at least 1, not " + batchSize);
        }
        if (stripeWidth < 1) {
            throw EnvelopeException.config("--stripe-width must be at least 1, not " + stripeWidth);
        }
        this.connection = connection;
        this.table = table;
        this.batchSize = batchSize;
        this.shard = shard;
        this.stripeWidth = stripeWidth;
        this.progress = progress;
        DatabaseMetaData metaData = connection.getMetaData();
        this.keyColumns = primaryKey(metaData, table);
        this.striped = isInteger(metaData, table, keyColumns.get(0));
        if (!shard.isAll() && !striped
                && !metaData.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) {
            throw EnvelopeException.config("--shard on " + table.identity() + ": its primary key starts with "
                    + keyColumns.get(0) + ", which is not an integer column; sharding such a key hashes it, which"
                    + " needs PostgreSQL");
        }
    }

    /** How this worker's rows are chosen, for the output. */
    String sliceDescription() {
        if (shard.isAll()) {
            return "every row";
        }
        return striped
                ? "shard " + shard + ": stripes of " + String.format("%,d", stripeWidth) + " values of "
                        + keyColumns.get(0) + " numbered " + shard.index() + " mod " + shard.count()
                : "shard " + shard + ": rows whose hashtext(" + keyColumns.get(0) + ") mod " + shard.count() + " is "
                        + shard.index();
    }

    /** The primary key of the row being rewritten, for messages (key columns are never encrypted). */
    String currentKey() {
        if (currentRow == null) {
            return "?";
        }
        return keyColumns.size() == 1 ? String.valueOf(currentRow[0])
                : java.util.Arrays.toString(java.util.Arrays.copyOf(currentRow, keyColumns.size()));
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
            List<Object[]> page = new ArrayList<>();
            ColumnStorage[] storages = new ColumnStorage[columns.size()];
            try (PreparedStatement select = connection.prepareStatement(after == null ? firstSql : nextSql)) {
                int at = 1;
                if (low != null) {
                    select.setLong(at++, low);
                    select.setLong(at++, high);
                }
                if (after != null) {
                    for (Object key : after) {
                        select.setObject(at++, key);
                    }
                }
                try (ResultSet rs = select.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int c = 0; c < columns.size(); c++) {
                        storages[c] = ColumnStorage.ofSqlType(md.getColumnType(keyColumns.size() + c + 1));
                    }
                    while (rs.next()) {
                        Object[] row = new Object[keyColumns.size() + columns.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        page.add(row);
                    }
                }
            }
            if (page.isEmpty()) {
                connection.commit();
                return;
            }
            long[] outcome = rewritePage(columns, storages, page, rewrite);
            connection.commit();
            tally[0] += page.size();
            tally[1] += outcome[0];
            tally[2] += outcome[1];
            shown.rowsDone(tally[0]);
            if (page.size() < batchSize) {
                return;
            }
            Object[] last = page.get(page.size() - 1);
            after = new ArrayList<>(java.util.Arrays.asList(last).subList(0, keyColumns.size()));
        }
    }

    /**
     * This worker's next stripe that may hold rows: from the lowest key at or above {@code from} (the table's lowest
     * when null), the first stripe numbered {@code index mod n}; null when no key is left.
     */
    private Long nextStripe(Long from) throws SQLException {
        String first = SqlText.quote(keyColumns.get(0));
        String sql = "SELECT min(" + first + ") FROM " + SqlText.qualified(table)
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

    /** Rewrites one page; returns {cells rewritten, cells skipped because the application changed them}. */
    private long[] rewritePage(List<EncryptedColumn> columns, ColumnStorage[] storages, List<Object[]> page,
                               CellRewrite rewrite) throws SQLException {
        long rewritten = 0;
        long changed = 0;
        for (int c = 0; c < columns.size(); c++) {
            EncryptedColumn column = columns.get(c);
            int at = keyColumns.size() + c;
            try (PreparedStatement update = connection.prepareStatement(updateSql(column))) {
                int queued = 0;
                for (Object[] row : page) {
                    currentRow = row;
                    Object old = row[at];
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
                    byte[] replacement = rewrite.rewrite(column, stored, text);
                    if (replacement == null) {
                        continue;
                    }
                    if (storages[c] == ColumnStorage.BINARY) {
                        update.setBytes(1, replacement);
                    } else {
                        update.setString(1, BASE64.encodeToString(replacement));
                    }
                    for (int k = 0; k < keyColumns.size(); k++) {
                        update.setObject(k + 2, row[k]);
                    }
                    update.setObject(keyColumns.size() + 2, old);
                    update.addBatch();
                    queued++;
                }
                if (queued > 0) {
                    for (int count : update.executeBatch()) {
                        if (count == 0) {
                            changed++;
                        } else {
                            rewritten++;
                        }
                    }
                }
            }
        }
        return new long[] {rewritten, changed};
    }

    private String pageSql(List<EncryptedColumn> columns, boolean after, boolean inStripe) {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> names = new ArrayList<>();
        keyColumns.forEach(k -> names.add(SqlText.quote(k)));
        columns.forEach(c -> names.add(SqlText.quote(c.name())));
        sql.append(String.join(", ", names)).append(" FROM ").append(SqlText.qualified(table));
        String keys = String.join(", ", keyColumns.stream().map(SqlText::quote).toList());
        List<String> where = new ArrayList<>();
        String first = SqlText.quote(keyColumns.get(0));
        if (inStripe) {
            where.add(first + " >= ? AND " + first + " < ?");
        }
        if (after) {
            where.add("(" + keys + ") > (" + String.join(", ", keyColumns.stream().map(k -> "?").toList()) + ")");
        }
        if (!shard.isAll() && !striped) {
            where.add(hashPredicate());
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        return sql.append(" ORDER BY ").append(keys).append(" LIMIT ").append(batchSize).toString();
    }

    /** This worker's rows of a hashed shard (the cast to bigint keeps abs() clear of int's one-sided range). */
    private String hashPredicate() {
        return "mod(abs(CAST(hashtext(CAST(" + SqlText.quote(keyColumns.get(0)) + " AS text)) AS bigint)), "
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
        String first = SqlText.quote(keyColumns.get(0));
        String stripe = "floor(" + first + " / " + stripeWidth + ".0)";
        return "mod(mod(" + stripe + ", " + shard.count() + ") + " + shard.count() + ", " + shard.count() + ") = "
                + shard.index();
    }

    private String updateSql(EncryptedColumn column) {
        StringBuilder sql = new StringBuilder("UPDATE ").append(SqlText.qualified(table)).append(" SET ")
                .append(SqlText.quote(column.name())).append(" = ? WHERE ");
        for (String key : keyColumns) {
            sql.append(SqlText.quote(key)).append(" = ? AND ");
        }
        return sql.append(SqlText.quote(column.name())).append(" = ?").toString();
    }

    private long count() throws SQLException {
        String predicate = slicePredicate();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SqlText.qualified(table)
                     + (predicate == null ? "" : " WHERE " + predicate))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean isInteger(DatabaseMetaData metaData, EncryptedTable table, String column)
            throws SQLException {
        try (ResultSet rs = metaData.getColumns(null, table.schema(), table.name(), column)) {
            while (rs.next()) {
                if (column.equals(rs.getString("COLUMN_NAME"))) {
                    int type = rs.getInt("DATA_TYPE");
                    return type == Types.SMALLINT || type == Types.INTEGER || type == Types.BIGINT
                            || type == Types.TINYINT;
                }
            }
        }
        return false;
    }

    /** The table's primary key columns in key order: the rewriter needs a stable, unencrypted row identity. */
    private static List<String> primaryKey(DatabaseMetaData metaData, EncryptedTable table) throws SQLException {
        Map<Short, String> columns = new TreeMap<>();
        try (ResultSet rs = metaData.getPrimaryKeys(null, table.schema(), table.name())) {
            while (rs.next()) {
                columns.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        if (columns.isEmpty()) {
            throw EnvelopeException.config("table " + table.identity() + " has no primary key; rewriting values in"
                    + " place, beside live traffic, needs one to address each row");
        }
        for (String column : columns.values()) {
            if (table.column(column) != null) {
                throw EnvelopeException.config("the primary key of " + table.identity() + " includes encrypted"
                        + " column " + column + "; rewriting in place needs an unencrypted row identity");
            }
        }
        return List.copyOf(columns.values());
    }
}
