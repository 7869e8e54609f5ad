package io.envelope.jdbc.driver;

import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.SqlDialect;
import io.envelope.jdbc.sql.StatementPlan;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The application's connection: the target driver's connection, with every statement it makes analysed and
 * wrapped. Everything else (transactions, savepoints, settings, warnings) is the target's own behaviour.
 */
public final class EnvelopeConnection extends DelegatingConnection {

    private final EnvelopeRuntime runtime;
    private final IdentifierCase folding;
    /** The target database's SQL dialect, decided once when the connection opens (refused if unsupported). */
    private final SqlDialect dialect;
    private volatile ConnectionCatalog catalog;
    private volatile ColumnValues values;
    /** The key ring's view of this connection: key rows are read on it, never on a second pooled connection. */
    private final KeyRing keys;
    /** The session's time zone as the server reports it (date/time conversions of encrypted values use it). */
    private final SessionZone sessionZone;

    EnvelopeConnection(Connection target, EnvelopeRuntime runtime) throws SQLException {
        super(target);
        this.runtime = runtime;
        DatabaseMetaData metaData = target.getMetaData();
        this.dialect = SqlDialect.of(metaData);
        this.folding = IdentifierCase.of(metaData);
        this.keys = runtime.keyRing().on(target);
        this.sessionZone = SessionZone.of(target);
        resolveSchema(currentSchema(target));
    }

    private void resolveSchema(String currentSchema) throws SQLException {
        EncryptionSchema schema = runtime.schema(currentSchema, folding, delegate);
        this.catalog = new ConnectionCatalog(schema, runtime.layouts(), delegate.getMetaData());
        this.values = new ColumnValues(keys, catalog, sessionZone, dialect);
    }

    /** The schema unqualified names resolve to: the connection's current schema (or catalog, where no schemas). */
    private String currentSchema(Connection target) throws SQLException {
        String schema = target.getSchema();
        if (schema == null) {
            schema = target.getCatalog();
        }
        if (schema == null) {
            throw io.envelope.jdbc.EnvelopeException.config(
                    "the target connection reports no current schema; qualify every table name in the configuration");
        }
        return schema;
    }

    /**
     * Checks, now, what this connection's configuration depends on: the KMS and the key table (see
     * {@link io.envelope.jdbc.EnvelopeHealth}). Uses a connection of the key ring's own, not this one.
     */
    public io.envelope.jdbc.EnvelopeHealth health() {
        return RuntimeHealth.check(runtime);
    }

    /** The analysis of one SQL string on this connection (cached per runtime). */
    StatementPlan plan(String sql) throws SQLException {
        return runtime.analyzer().plan(sql, catalog, dialect);
    }

    /** The values of a statement that starts now (with key-cache.ttl 0s, its keys are read and unwrapped afresh). */
    ColumnValues values() {
        keys.statementStarts();
        return values;
    }

    /**
     * The SQL to send for a plan on this connection: literals encrypted in place, lookups widened to the
     * candidates their tables have now (see {@link StatementPlan#render}). The application's SQL when nothing
     * needs to change.
     */
    StatementPlan.Rendered render(StatementPlan plan) throws SQLException {
        keys.statementStarts();
        return plan.render(values);
    }

    /**
     * The SQL to prepare for a plan on this connection: as {@link #render}, but with encrypted literals as
     * parameters, which the prepared statement encrypts afresh at every execution.
     */
    StatementPlan.Rendered renderForPrepare(StatementPlan plan) throws SQLException {
        return plan.renderForPrepare(values);
    }

    // ---- statements ---------------------------------------------------------------------------------------------

    @Override
    public Statement createStatement() throws SQLException {
        return new EnvelopeStatement(this, delegate.createStatement());
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return new EnvelopeStatement(this, delegate.createStatement(resultSetType, resultSetConcurrency));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return new EnvelopeStatement(this,
                delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    /**
     * A prepared statement for the application's SQL: analysed, rendered for the key versions of now, and
     * prepared on the target with {@code preparer} (which carries the options of the application's call, so the
     * statement can be prepared again with wider SQL when a key version is added).
     */
    private PreparedStatement prepare(String sql, EnvelopePreparedStatement.Preparer preparer) throws SQLException {
        return prepare(sql, preparer, null);
    }

    /** As {@link #prepare(String, EnvelopePreparedStatement.Preparer)}, asking for generated keys. */
    private PreparedStatement prepare(String sql, EnvelopePreparedStatement.Preparer preparer, String keysReturning)
            throws SQLException {
        StatementPlan plan = plan(sql);
        StatementPlan.Rendered rendered = renderForPrepare(plan);
        EnvelopePreparedStatement statement = new EnvelopePreparedStatement(this, preparer.prepare(rendered.sql()),
                plan, rendered, preparer);
        statement.keysRequested(keysReturning);
        return statement;
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepare(sql, delegate::prepareStatement);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepare(sql, rendered -> delegate.prepareStatement(rendered, autoGeneratedKeys),
                EnvelopeStatement.keysReturning(autoGeneratedKeys));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return prepare(sql, rendered -> delegate.prepareStatement(rendered, resultSetType, resultSetConcurrency));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        return prepare(sql, rendered -> delegate.prepareStatement(rendered, resultSetType, resultSetConcurrency,
                resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        int[] indexes = columnIndexes == null ? null : columnIndexes.clone();
        return prepare(sql, rendered -> delegate.prepareStatement(rendered, indexes));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        String[] names = columnNames == null ? null : columnNames.clone();
        return prepare(sql, rendered -> delegate.prepareStatement(rendered, names),
                EnvelopeStatement.keysReturning(names));
    }

    /** A CallableStatement's SQL is sent as written: one whose literals or lookups would need rewriting is refused. */
    private StatementPlan callablePlan(String sql) throws SQLException {
        StatementPlan plan = plan(sql);
        if (!render(plan).isIdentity()) {
            throw io.envelope.jdbc.EnvelopeException.refused(io.envelope.jdbc.RefusalReason.NOT_SUPPORTED,
                    "a CallableStatement whose SQL carries a literal for "
                    + "an encrypted column, or a lookup that must match several key versions, is refused: "
                    + "use a PreparedStatement for it");
        }
        return plan;
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        StatementPlan plan = callablePlan(sql);
        return new EnvelopeCallableStatement(this, delegate.prepareCall(plan.sql()), plan);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        StatementPlan plan = callablePlan(sql);
        return new EnvelopeCallableStatement(this,
                delegate.prepareCall(plan.sql(), resultSetType, resultSetConcurrency), plan);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        StatementPlan plan = callablePlan(sql);
        return new EnvelopeCallableStatement(this,
                delegate.prepareCall(plan.sql(), resultSetType, resultSetConcurrency, resultSetHoldability), plan);
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new EnvelopeDatabaseMetaData(this, delegate.getMetaData());
    }

    /** JDBC's way to change the current schema: unqualified names in the configuration follow it. */
    @Override
    public void setSchema(String schema) throws SQLException {
        delegate.setSchema(schema);
        resolveSchema(currentSchema(delegate));
    }

    /** Closes the target connection, and wipes the keys this connection's last statement held (ttl 0s). */
    @Override
    public void close() throws SQLException {
        try {
            super.close();
        } finally {
            keys.close();
        }
    }

    @Override
    public String toString() {
        return "EnvelopeConnection[" + delegate + "]";
    }
}
