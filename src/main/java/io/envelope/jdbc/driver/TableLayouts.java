package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical columns of tables, read once per table per runtime from {@link DatabaseMetaData#getColumns}
 * (one round trip per table per process): their order, for {@code *} and INSERT without a column list, and their
 * SQL types, to know whether an encrypted column stores raw bytes or base64 text (contract §5).
 */
final class TableLayouts {

    /** One table's columns in physical order with their {@link java.sql.Types} codes. */
    record Layout(List<String> columnNames, Map<String, Integer> sqlTypes) {
    }

    private static final Layout UNKNOWN = new Layout(List.of(), Map.of());

    private final Map<String, Layout> layouts = new ConcurrentHashMap<>();
    private final Map<EncryptedColumn, ColumnStorage> storages = new ConcurrentHashMap<>();

    /** The layout of {@code schema.table}; an empty layout when the table does not exist (not cached). */
    Layout layout(DatabaseMetaData metaData, String schema, String table) throws SQLException {
        String key = schema + "." + table;
        Layout cached = layouts.get(key);
        if (cached != null) {
            return cached;
        }
        Layout loaded = load(metaData, schema, table);
        if (loaded == UNKNOWN) {
            return loaded;
        }
        layouts.put(key, loaded);
        return loaded;
    }

    /** How an encrypted column stores its values; an {@code envelope-jdbc:} error when it cannot hold ciphertext. */
    ColumnStorage storage(DatabaseMetaData metaData, EncryptedColumn column) throws SQLException {
        ColumnStorage cached = storages.get(column);
        if (cached != null) {
            return cached;
        }
        Layout layout = layout(metaData, column.table().schema(), column.table().name());
        Integer sqlType = layout.sqlTypes().get(column.name());
        if (sqlType == null) {
            throw EnvelopeException.configInUse("encrypted column " + column.qualifiedName()
                    + " was not found in the database; check tables." + column.table().name()
                    + ".columns in the configuration and the table's definition");
        }
        ColumnStorage storage = ColumnStorage.ofSqlType(sqlType);
        if (storage == null) {
            throw EnvelopeException.configInUse("encrypted column " + column.qualifiedName() + " has SQL type "
                    + sqlType + " (java.sql.Types), which cannot hold ciphertext; declare it as bytea/varbinary/blob"
                    + " (raw bytes) or text/varchar (base64)");
        }
        storages.put(column, storage);
        return storage;
    }

    /** Forgets everything (after DDL the wrapper saw, or when a result's width no longer matches). */
    void invalidate() {
        layouts.clear();
        storages.clear();
    }

    private static Layout load(DatabaseMetaData metaData, String schema, String table) throws SQLException {
        String escape = metaData.getSearchStringEscape();
        List<String> names = new ArrayList<>();
        Map<String, Integer> types = new HashMap<>();
        try (ResultSet columns = metaData.getColumns(null, escapePattern(schema, escape),
                escapePattern(table, escape), "%")) {
            while (columns.next()) {
                String name = columns.getString("COLUMN_NAME");
                names.add(name);
                types.put(name, columns.getInt("DATA_TYPE"));
            }
        }
        if (names.isEmpty()) {
            return UNKNOWN;
        }
        return new Layout(Collections.unmodifiableList(names), Collections.unmodifiableMap(types));
    }

    private static String escapePattern(String name, String escape) {
        if (name == null || escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
