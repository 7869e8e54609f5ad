package io.envelope.jdbc.cli;

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
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writes of a {@link TableRewriter} page: each row's new stored values, written only where the row still holds
 * what was read ({@code WHERE pk = ? AND col = old}), so a concurrent application write is never overwritten. On
 * PostgreSQL a page is one joined statement; elsewhere one JDBC batch (MySQL and MariaDB have no
 * {@code UPDATE ... RETURNING} to tell which rows of a joined update still held what was read).
 */
final class RowUpdates {

    /** One row's new values: per column, the stored form to write, or null to leave the cell alone. */
    record Change(Object[] row, Object[] replacement, BitSet columns) {
    }

    /** Bind parameters of one joined update, under PostgreSQL's 65,535 (and pgJDBC's 32,767). */
    private static final int MAX_PARAMETERS = 30_000;

    private final Connection connection;
    private final SqlText sqlText;
    private final EncryptedTable table;
    private final List<String> keyColumns;
    /** PostgreSQL: every column's declared type, for the casts of a page's joined update; else null. */
    private final Map<String, String> sqlTypes;

    RowUpdates(Connection connection, SqlText sqlText, EncryptedTable table, List<String> keyColumns)
            throws SQLException {
        this.connection = connection;
        this.sqlText = sqlText;
        this.table = table;
        this.keyColumns = keyColumns;
        this.sqlTypes = sqlText.postgres() ? postgresTypes(connection, sqlText, table) : null;
    }

    /**
     * Updates the given columns of each row if they still hold what was read; per row, 1 if it did, else 0.
     *
     * @param storages how each of {@code columns} holds ciphertext
     */
    int[] apply(List<EncryptedColumn> columns, ColumnStorage[] storages, BitSet which, List<Change> changes)
            throws SQLException {
        if (sqlTypes != null && changes.size() > 1) {
            int perRow = keyColumns.size() + 2 * which.cardinality();
            int rowsPerStatement = Math.max(1, MAX_PARAMETERS / perRow);
            int[] counts = new int[changes.size()];
            for (int from = 0; from < changes.size(); from += rowsPerStatement) {
                int to = Math.min(changes.size(), from + rowsPerStatement);
                int[] part = updateJoined(columns, which, changes.subList(from, to));
                System.arraycopy(part, 0, counts, from, part.length);
            }
            return counts;
        }
        return updateBatch(columns, storages, which, changes);
    }

    /**
     * PostgreSQL: a page's updates as one statement, {@code UPDATE t SET c = v.new FROM (VALUES ...) v WHERE t.pk =
     * v.pk AND t.c = v.old RETURNING pk}. The database's work per row is the same as one UPDATE per row, but a
     * thousand statements' round trips, binds and executor start-ups become one (the command's time went there, not
     * into the row updates themselves); the returned keys tell which rows still held what was read.
     */
    private int[] updateJoined(List<EncryptedColumn> columns, BitSet which, List<Change> changes)
            throws SQLException {
        int keys = keyColumns.size();
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            names.add("k" + k);
            types.add(sqlTypes.get(keyColumns.get(k)));
        }
        which.stream().forEach(c -> {
            names.add("n" + c);
            types.add(sqlTypes.get(columns.get(c).name()));
        });
        which.stream().forEach(c -> {
            names.add("o" + c);
            types.add(sqlTypes.get(columns.get(c).name()));
        });
        StringBuilder row = new StringBuilder("(");
        for (int i = 0; i < types.size(); i++) {
            row.append(i == 0 ? "" : ", ").append("CAST(? AS ").append(types.get(i)).append(')');
        }
        row.append(')');
        StringBuilder sql = new StringBuilder("UPDATE ").append(sqlText.qualified(table)).append(" AS envelope_t SET ");
        List<String> sets = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            conditions.add("envelope_t." + sqlText.quote(keyColumns.get(k)) + " = envelope_v.k" + k);
        }
        which.stream().forEach(c -> {
            String name = sqlText.quote(columns.get(c).name());
            sets.add(name + " = envelope_v.n" + c);
            conditions.add("envelope_t." + name + " = envelope_v.o" + c);
        });
        sql.append(String.join(", ", sets)).append(" FROM (VALUES ");
        for (int i = 0; i < changes.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        sql.append(") AS envelope_v(").append(String.join(", ", names)).append(") WHERE ")
                .append(String.join(" AND ", conditions)).append(" RETURNING ")
                .append(String.join(", ", keyColumns.stream().map(k -> "envelope_t." + sqlText.quote(k)).toList()));
        Set<List<Object>> updated = new HashSet<>();
        try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
            int at = 1;
            for (Change change : changes) {
                for (int k = 0; k < keys; k++) {
                    update.setObject(at++, change.row()[k]);
                }
                for (int c = which.nextSetBit(0); c >= 0; c = which.nextSetBit(c + 1)) {
                    update.setObject(at++, change.replacement()[c]);
                }
                for (int c = which.nextSetBit(0); c >= 0; c = which.nextSetBit(c + 1)) {
                    update.setObject(at++, change.row()[keys + c]);
                }
            }
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    Object[] key = new Object[keys];
                    for (int k = 0; k < keys; k++) {
                        key[k] = rs.getObject(k + 1);
                    }
                    updated.add(Arrays.asList(key));
                }
            }
        }
        int[] counts = new int[changes.size()];
        for (int i = 0; i < counts.length; i++) {
            Object[] key = Arrays.copyOf(changes.get(i).row(), keys);
            counts[i] = updated.contains(Arrays.asList(key)) ? 1 : 0;
        }
        return counts;
    }

    /**
     * One JDBC batch: {@code UPDATE t SET c = new ... WHERE pk = ? AND c = old ...} for each row. The old value of a
     * character column is compared exactly ({@link SqlText#equalsParameter}): under MySQL's default collations a
     * value the application changed only in case or trailing spaces would still match, and be overwritten.
     */
    private int[] updateBatch(List<EncryptedColumn> columns, ColumnStorage[] storages, BitSet which,
                              List<Change> changes) throws SQLException {
        int keys = keyColumns.size();
        StringBuilder sql = new StringBuilder("UPDATE ").append(sqlText.qualified(table)).append(" SET ");
        List<String> sets = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        keyColumns.forEach(k -> conditions.add(sqlText.quote(k) + " = ?"));
        which.stream().forEach(c -> {
            String name = sqlText.quote(columns.get(c).name());
            sets.add(name + " = ?");
            conditions.add(sqlText.equalsParameter(name, storages[c]));
        });
        sql.append(String.join(", ", sets)).append(" WHERE ").append(String.join(" AND ", conditions));
        int[] counts;
        try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
            for (Change change : changes) {
                int at = 1;
                for (int c = which.nextSetBit(0); c >= 0; c = which.nextSetBit(c + 1)) {
                    update.setObject(at++, change.replacement()[c]);
                }
                for (int k = 0; k < keys; k++) {
                    update.setObject(at++, change.row()[k]);
                }
                for (int c = which.nextSetBit(0); c >= 0; c = which.nextSetBit(c + 1)) {
                    update.setObject(at++, change.row()[keys + c]);
                }
                update.addBatch();
            }
            counts = update.executeBatch();
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == Statement.SUCCESS_NO_INFO) {
                counts[i] = holdsReplacement(columns, storages, which, changes.get(i)) ? 1 : 0;
            }
        }
        return counts;
    }

    /**
     * Whether the row now holds the change's new values: how an update's outcome is told when the driver ran the
     * batch without per-row counts (MariaDB Connector/J with {@code useBulkStmts=true} reports SUCCESS_NO_INFO).
     * Read in the page's transaction: a row this batch updated shows its new values, one the application changed
     * shows what the transaction's snapshot or the application holds, never values this run just made.
     */
    private boolean holdsReplacement(List<EncryptedColumn> columns, ColumnStorage[] storages, BitSet which,
                                     Change change) throws SQLException {
        List<String> conditions = new ArrayList<>();
        keyColumns.forEach(k -> conditions.add(sqlText.quote(k) + " = ?"));
        which.stream().forEach(c -> conditions.add(sqlText.equalsParameter(sqlText.quote(columns.get(c).name()),
                storages[c])));
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM " + sqlText.qualified(table)
                + " WHERE " + String.join(" AND ", conditions))) {
            int at = 1;
            for (int k = 0; k < keyColumns.size(); k++) {
                ps.setObject(at++, change.row()[k]);
            }
            for (int c = which.nextSetBit(0); c >= 0; c = which.nextSetBit(c + 1)) {
                ps.setObject(at++, change.replacement()[c]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Map<String, String> postgresTypes(Connection connection, SqlText sqlText, EncryptedTable table)
            throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT attname, format_type(atttypid, atttypmod)"
                + " FROM pg_attribute WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, sqlText.qualified(table));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return types;
    }
}
