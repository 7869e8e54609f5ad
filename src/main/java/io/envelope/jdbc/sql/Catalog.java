package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptionSchema;

import java.sql.SQLException;
import java.util.List;

/**
 * What SQL analysis needs to know about the database beyond the SQL text. Implemented by the driver on top of
 * {@link java.sql.DatabaseMetaData}, cached per process, so an analysis costs at most one metadata round trip
 * per table per process (and none once cached).
 */
public interface Catalog {

    /** The configured tables, resolved for this connection's database and current schema. */
    EncryptionSchema schema();

    /**
     * The column names (normalised, in physical order) of any table, configured or not; used to expand
     * {@code *} and to resolve INSERT without a column list. Empty when the table is not known to the database.
     *
     * @param schema normalised schema, or null for the current schema
     * @param table  normalised table name
     */
    List<String> columnNames(String schema, String table) throws SQLException;
}
