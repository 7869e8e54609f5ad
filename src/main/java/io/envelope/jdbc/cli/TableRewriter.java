package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rewrites the stored values of a table's encrypted columns in place, beside live traffic, for {@code migrate}
 * and {@code reencrypt}: it walks the table in primary-key order, one batch per transaction, and updates a cell
 * only if it still holds the value that was read ({@code WHERE pk = ? AND col = old}), so a concurrent
 * application write is never overwritten. A rewrite that finds nothing to do for a cell leaves it alone, so a
 * stopped run simply runs again from the start: no row is lost or rewritten twice.
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

    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

    private final Connection connection;
    private final EncryptedTable table;
    private final int batchSize;
    private final PrintStream progress;
    private final List<String> keyColumns;

    TableRewriter(Connection connection, EncryptedTable table, int batchSize, PrintStream progress)
            throws SQLException {
        this.connection = connection;
        this.table = table;
        this.batchSize = batchSize;
        this.progress = progress;
        this.keyColumns = primaryKey(connection.getMetaData(), table);
    }

    /** One pass over the whole table with {@code rewrite} applied to the given columns. */
    Pass run(List<EncryptedColumn> columns, CellRewrite rewrite) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            long total = count();
            long rows = 0;
            long rewritten = 0;
            long changed = 0;
            long started = System.nanoTime();
            List<Object> after = null;
            while (true) {
                List<Object[]> page = new ArrayList<>();
                ColumnStorage[] storages = new ColumnStorage[columns.size()];
                try (PreparedStatement select = connection.prepareStatement(pageSql(columns, after != null))) {
                    if (after != null) {
                        for (int i = 0; i < after.size(); i++) {
                            select.setObject(i + 1, after.get(i));
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
                    break;
                }
                long[] outcome = rewritePage(columns, storages, page, rewrite);
                connection.commit();
                rewritten += outcome[0];
                changed += outcome[1];
                rows += page.size();
                Object[] last = page.get(page.size() - 1);
                after = new ArrayList<>(java.util.Arrays.asList(last).subList(0, keyColumns.size()));
                report(rows, total, started);
            }
            return new Pass(rows, rewritten, changed);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
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

    private String pageSql(List<EncryptedColumn> columns, boolean after) {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> names = new ArrayList<>();
        keyColumns.forEach(k -> names.add(SqlText.quote(k)));
        columns.forEach(c -> names.add(SqlText.quote(c.name())));
        sql.append(String.join(", ", names)).append(" FROM ").append(SqlText.qualified(table));
        String keys = String.join(", ", keyColumns.stream().map(SqlText::quote).toList());
        if (after) {
            sql.append(" WHERE (").append(keys).append(") > (")
                    .append(String.join(", ", keyColumns.stream().map(k -> "?").toList())).append(")");
        }
        return sql.append(" ORDER BY ").append(keys).append(" LIMIT ").append(batchSize).toString();
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
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SqlText.qualified(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void report(long rows, long total, long started) {
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
        double rate = rows / seconds;
        long left = Math.max(total - rows, 0);
        progress.printf("  %,d / %,d rows (%,.0f rows/s, about %,.0f s left)%n", rows, total, rate,
                rate > 0 ? left / rate : 0.0);
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
