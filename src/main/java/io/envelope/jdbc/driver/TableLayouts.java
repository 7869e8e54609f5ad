package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.ConfigurationCheck;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.PhysicalColumn;
import io.envelope.jdbc.schema.TableLayout;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime's cache of table layouts ({@link TableLayout}: one metadata round trip per table), and of how each
 * encrypted column stores its values (raw bytes or base64 text, see docs/format.md).
 *
 * <p>A layout can go stale when another process changes the table, so it is never trusted blindly: every result
 * is compared with what its plan expected (see {@link ResultCheck}), and DDL seen through the wrapper empties the
 * cache ({@link #invalidate()}). Each time the layout of a configured table (or of one of its partitions) is read,
 * the configuration is checked against it: a configured column the table lacks is an error, never an
 * unencrypted column.
 */
final class TableLayouts {

    private final Map<String, TableLayout> layouts = new ConcurrentHashMap<>();
    private final Map<EncryptedColumn, PhysicalColumn> physical = new ConcurrentHashMap<>();

    /**
     * The layout of {@code schema.table}; {@link TableLayout#MISSING} when the table does not exist (not cached).
     *
     * @param configured the configured table this relation is (itself, or as a partition or child), or null
     * @throws SQLException an {@code envelope-jdbc:} configuration error when a configured column is missing
     */
    TableLayout layout(DatabaseMetaData metaData, String schema, String table, EncryptedTable configured)
            throws SQLException {
        String key = schema + "." + table;
        TableLayout cached = layouts.get(key);
        if (cached != null) {
            return cached;
        }
        TableLayout loaded = TableLayout.read(metaData, schema, table);
        if (!loaded.exists()) {
            return loaded;
        }
        if (configured != null) {
            failOnErrors(ConfigurationCheck.check(configured, loaded), key);
        }
        layouts.put(key, loaded);
        return loaded;
    }

    /** How an encrypted column stores its values; an {@code envelope-jdbc:} error when it cannot hold ciphertext. */
    ColumnStorage storage(DatabaseMetaData metaData, EncryptedColumn column) throws SQLException {
        return physical(metaData, column).storage();
    }

    /**
     * An encrypted column's type as the catalog reports it, with a storage (an {@code envelope-jdbc:} error when
     * it has none, or when the column is not there).
     */
    PhysicalColumn physical(DatabaseMetaData metaData, EncryptedColumn column) throws SQLException {
        PhysicalColumn cached = physical.get(column);
        if (cached != null) {
            return cached;
        }
        EncryptedTable table = column.table();
        TableLayout layout = layout(metaData, table.schema(), table.name(), table);
        PhysicalColumn found = layout.column(column.name());
        if (found == null) {
            throw EnvelopeErrors.configInUse("encrypted column " + column.qualifiedName()
                    + " was not found in the database; check tables." + table.configName()
                    + ".columns in the configuration and the table's definition");
        }
        if (found.storage() == null) {
            // reported by the configuration check when the layout was read; kept for a layout read before
            throw EnvelopeErrors.configInUse("encrypted column " + column.qualifiedName() + " has type "
                    + found.describe() + ", which cannot hold ciphertext; declare it as bytea/varbinary/blob"
                    + " (raw bytes) or text/varchar (base64)");
        }
        physical.put(column, found);
        return found;
    }

    /** Forgets everything (after DDL the wrapper saw, or when a result no longer matches its plan). */
    void invalidate() {
        layouts.clear();
        physical.clear();
    }

    private static void failOnErrors(List<ConfigurationCheck.Problem> problems, String relation)
            throws SQLException {
        List<String> errors = problems.stream().filter(ConfigurationCheck.Problem::isError)
                .map(ConfigurationCheck.Problem::message).toList();
        if (!errors.isEmpty()) {
            throw EnvelopeErrors.config("table " + relation + " does not match the configuration: "
                    + String.join("; ", errors));
        }
    }
}
