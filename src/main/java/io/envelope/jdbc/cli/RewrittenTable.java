package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.schema.PhysicalColumn;
import io.envelope.jdbc.schema.TableLayout;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link TableRewriter} reads of its table from the catalog before it starts: the primary key (its row
 * identity), whether the key's first column is an integer (striped shards) and how each encrypted column holds
 * ciphertext.
 *
 * @param keyColumns      the primary key's columns in key order, as the catalog spells them
 * @param integerFirstKey whether the first of them is an integer column
 * @param storages        how each encrypted column holds ciphertext, by its configured name
 */
record RewrittenTable(List<String> keyColumns, boolean integerFirstKey, Map<String, ColumnStorage> storages) {

    /**
     * @param mySql whether the database is MySQL or MariaDB, whose schemas are JDBC catalogs
     */
    static RewrittenTable read(DatabaseMetaData metaData, boolean mySql, EncryptedTable table) throws SQLException {
        List<String> keys = primaryKey(metaData, mySql, table);
        TableLayout layout = TableLayout.read(metaData, table.schema(), table.name());
        PhysicalColumn first = layout.column(keys.get(0));
        boolean integer = first != null && (first.sqlType() == Types.SMALLINT || first.sqlType() == Types.INTEGER
                || first.sqlType() == Types.BIGINT || first.sqlType() == Types.TINYINT);
        return new RewrittenTable(keys, integer, storages(IdentifierCase.of(metaData), layout, table));
    }

    /** The catalog and schema arguments of a metadata call: in MySQL and MariaDB a schema is a catalog. */
    private static String[] place(boolean mySql, EncryptedTable table) {
        return mySql ? new String[] {table.schema(), null} : new String[] {null, table.schema()};
    }

    /**
     * How each encrypted column holds ciphertext, from the catalog ({@link TableLayout}, as the driver reads it):
     * MySQL's drivers report a text and a blob column alike in a result's metadata, their type names tell them apart.
     */
    private static Map<String, ColumnStorage> storages(IdentifierCase folding, TableLayout layout,
                                                       EncryptedTable table) {
        Map<String, ColumnStorage> storages = new HashMap<>();
        layout.columns().forEach((name, physical) -> {
            EncryptedColumn column = table.column(folding.exact(name));
            if (column != null && physical.storage() != null) {
                storages.put(column.name(), physical.storage());
            }
        });
        return storages;
    }

    /** The table's primary key columns in key order: the rewriter needs a stable, unencrypted row identity. */
    private static List<String> primaryKey(DatabaseMetaData metaData, boolean mySql, EncryptedTable table)
            throws SQLException {
        Map<Short, String> columns = new TreeMap<>();
        String[] place = place(mySql, table);
        try (ResultSet rs = metaData.getPrimaryKeys(place[0], place[1], table.name())) {
            while (rs.next()) {
                columns.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        if (columns.isEmpty()) {
            throw EnvelopeErrors.config("table " + table.identity() + " has no primary key; rewriting values in"
                    + " place, beside live traffic, needs one to address each row");
        }
        IdentifierCase folding = IdentifierCase.of(metaData);
        for (String column : columns.values()) {
            if (table.column(folding.exact(column)) != null) {
                throw EnvelopeErrors.config("the primary key of " + table.identity() + " includes encrypted"
                        + " column " + column + "; rewriting in place needs an unencrypted row identity");
            }
        }
        return List.copyOf(columns.values());
    }
}
