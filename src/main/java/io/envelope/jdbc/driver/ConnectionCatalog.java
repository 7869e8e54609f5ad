package io.envelope.jdbc.driver;

import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.sql.Catalog;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;

/** The {@link Catalog} of one connection: its resolved schema, and table layouts through the runtime's cache. */
final class ConnectionCatalog implements Catalog {

    private final EncryptionSchema schema;
    private final TableLayouts layouts;
    private final DatabaseMetaData metaData;

    ConnectionCatalog(EncryptionSchema schema, TableLayouts layouts, DatabaseMetaData metaData) {
        this.schema = schema;
        this.layouts = layouts;
        this.metaData = metaData;
    }

    @Override
    public EncryptionSchema schema() {
        return schema;
    }

    @Override
    public List<String> columnNames(String schemaName, String table) throws SQLException {
        String resolved = schemaName == null ? schema.currentSchema() : schemaName;
        return layouts.layout(metaData, resolved, table).columnNames();
    }

    /** How an encrypted column stores its values (bytes or base64 text), read once per runtime. */
    ColumnStorage storage(EncryptedColumn column) throws SQLException {
        return layouts.storage(metaData, column);
    }
}
