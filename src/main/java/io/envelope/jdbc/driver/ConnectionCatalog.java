package io.envelope.jdbc.driver;

import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.PhysicalColumn;
import io.envelope.jdbc.sql.Catalog;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * One connection's view of the database for SQL analysis and value storage: table layouts through the runtime's
 * cache, read with this connection's metadata. The schema it resolves names against changes over the
 * connection's life (setSchema, fresher catalog facts), so analysis gets a {@link #at snapshot} bound to one
 * schema instance.
 */
final class ConnectionCatalog {

    private final TableLayouts layouts;
    private final DatabaseMetaData metaData;

    ConnectionCatalog(TableLayouts layouts, DatabaseMetaData metaData) {
        this.layouts = layouts;
        this.metaData = metaData;
    }

    /** How an encrypted column stores its values (bytes or base64 text), read once per runtime. */
    ColumnStorage storage(EncryptedColumn column) throws SQLException {
        return layouts.storage(metaData, column);
    }

    /** An encrypted column's type and width as the catalog reports it, read once per runtime. */
    PhysicalColumn physical(EncryptedColumn column) throws SQLException {
        return layouts.physical(metaData, column);
    }

    /** The catalog one analysis sees: names resolved against {@code schema} from start to end. */
    Catalog at(EncryptionSchema schema) {
        return new Catalog() {
            @Override
            public EncryptionSchema schema() {
                return schema;
            }

            @Override
            public List<String> columnNames(String schemaName, String table) throws SQLException {
                String resolved = schemaName == null ? schema.currentSchema() : schemaName;
                return layouts.layout(metaData, resolved, table, schema.table(resolved, table)).columnNames();
            }
        };
    }
}
