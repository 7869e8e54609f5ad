package io.envelope.jdbc.driver;

import io.envelope.jdbc.sql.ResultShape;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;

/**
 * The target's metadata, handing out the wrapper connection and wrapped result sets. Encrypted columns are
 * described as they physically are (bytea/text), which is what schema validators such as Hibernate's compare.
 */
final class EnvelopeDatabaseMetaData extends DelegatingDatabaseMetaData {

    private final EnvelopeConnection connection;

    EnvelopeDatabaseMetaData(EnvelopeConnection connection, DatabaseMetaData delegate) {
        super(delegate);
        this.connection = connection;
    }

    @Override
    protected ResultSet wrapMetaDataResult(ResultSet result) {
        // JDBC: a metadata result set has no Statement (getStatement() returns null); it has no encrypted
        // columns, so it needs no column values either
        return result == null ? null : new EnvelopeResultSet(null, result, ResultShape.NONE, null);
    }

    @Override
    public Connection getConnection() {
        return connection;
    }
}
