package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.conversion.SessionZone;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.ResultShape;
import io.envelope.jdbc.sql.SqlDialect;
import io.envelope.jdbc.sql.StatementPlan;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The application's connection: the target driver's connection, with every statement it makes analysed and
 * wrapped. Everything else (transactions, savepoints, settings, warnings) is the target's own behaviour.
 */
public final class EnvelopeConnection extends DelegatingConnection {

    /** At most one result-triggered re-read of the table definitions per runtime in this time. */
    private static final long MISMATCH_RETRY_NANOS = 1_000_000_000L;

    private final EnvelopeRuntime runtime;
    /** The dialect and current schema this connection's SQL is read by and resolves against, now. */
    private final SessionState session;
    /** The key ring's view of this connection: key rows are read on it, never on a second pooled connection. */
    private final KeyRing keys;
    /** The session's time zone as the server reports it (date/time conversions of encrypted values use it). */
    private final SessionZone sessionZone;
    /** The current schema when the connection opened: it fixed the identities of unqualified configured names. */
    private final String openingSchema;
    private final ConnectionCatalog catalog;
    private final ColumnValues values;
    private final AtomicBoolean released = new AtomicBoolean();
    /**
     * This connection changed a configured table (or its partitions, parents, views) in a transaction that has not
     * ended: until it does, only this connection sees the change, so it reads the catalog itself at each statement.
     */
    private volatile boolean uncommittedSchemaChange;

    EnvelopeConnection(Connection target, EnvelopeRuntime runtime) throws SQLException {
        super(target);
        this.runtime = runtime;
        DatabaseMetaData metaData = target.getMetaData();
        this.session = new SessionState(target);
        this.keys = runtime.keyRing().on(target);
        this.sessionZone = SessionZone.of(target);
        this.openingSchema = session.currentSchema();
        runtime.schemas().open(openingSchema, IdentifierCase.of(metaData), target);
        this.catalog = new ConnectionCatalog(runtime.layouts(), metaData);
        this.values = new ColumnValues(keys, catalog, sessionZone, session.dialect());
    }

    /** See {@link SessionState#creationDatabase()}. */
    String creationDatabase() {
        return session.creationDatabase();
    }

    /**
     * Checks, now, what this connection's configuration depends on: the KMS and the key table (see
     * {@link io.envelope.jdbc.EnvelopeHealth}). Uses a connection of the key ring's own, not this one.
     */
    public io.envelope.jdbc.EnvelopeHealth health() {
        return RuntimeHealth.check(runtime);
    }

    /** The configured tables as this connection sees them now (catalog facts re-read when due). */
    private EncryptionSchema schema() throws SQLException {
        if (uncommittedSchemaChange) {
            return runtime.schemas().readNow(openingSchema, session.currentSchema(), delegate);
        }
        return runtime.schemas().current(openingSchema, session.currentSchema(), delegate);
    }

    /**
     * The analysis of one SQL string on this connection (cached per runtime). SQL that may change the definition
     * of a configured table (or of its partitions, parents or views) makes the runtime forget what it read of
     * them, here and again once it has run ({@link #executed}).
     */
    StatementPlan plan(String sql) throws SQLException {
        return plan(sql, null);
    }

    /**
     * As {@link #plan(String)}, for a statement created when the target driver's record of the current database
     * was {@code creationDatabase} ({@link #creationDatabase}; null for any other driver).
     */
    StatementPlan plan(String sql, String creationDatabase) throws SQLException {
        EncryptionSchema schema = schema();
        if (session.isStale()) {
            if (!readSessionAgain(sql, schema)) {
                return StatementPlan.passThrough(sql);
            }
            schema = schema(); // the current database may have changed
        }
        if (changesConfiguredTables(sql, schema)) {
            runtime.schemaChanged();
            schema = schema();
        }
        if (creationDatabase != null && !creationDatabase.equals(delegate.getCatalog())) {
            // MySQL Connector/J runs the SQL in the database current when the statement was created, then
            // switches back to its own record: the SQL's unqualified names resolve there, and the session is
            // read again afterwards.
            session.markStale();
            schema = uncommittedSchemaChange ? runtime.schemas().readNow(openingSchema, creationDatabase, delegate)
                    : runtime.schemas().current(openingSchema, creationDatabase, delegate);
        }
        return runtime.analyzer().plan(sql, catalog.at(schema), session.dialect());
    }

    /**
     * Reads a MySQL or MariaDB session's facts again ({@link SessionState#readAgain}). When the session is now one
     * the analysis cannot model (an unknown sql_mode, a multi-byte client character set), every statement is refused
     * except one that does not name a configured table and may change the session back, which passes through
     * (false).
     */
    private boolean readSessionAgain(String sql, EncryptionSchema schema) throws SQLException {
        try {
            session.readAgain();
            return true;
        } catch (SQLException unsupported) {
            if (SqlDialect.mayChangeSession(sql) && !runtime.analyzer().mayNameConfiguredTable(sql, schema)) {
                return false;
            }
            throw unsupported;
        }
    }

    /** See {@link SessionState#sending}. */
    void sending(String sql) {
        session.sending(sql);
    }

    /** See {@link SessionState#checkBatchable}. */
    void checkBatchable(String sql) throws SQLException {
        session.checkBatchable(sql);
    }

    /** Called after SQL ran (or, prepared, as it runs): DDL on configured tables leaves nothing stale behind. */
    void executed(String sql) throws SQLException {
        if (changesConfiguredTables(sql)) {
            schemaChanged();
        }
    }

    /**
     * The database rejected a statement the analysis planned because a column or table it used is gone (another
     * process changed the table): the next attempt reads the tables again instead of failing the same way.
     */
    void failed(StatementPlan plan, SQLException e) {
        String state = e.getSQLState();
        if (plan != null && !plan.isPassThrough() && ("42703".equals(state) || "42P01".equals(state))
                && runtime.mayRereadForResult(MISMATCH_RETRY_NANOS)) {
            runtime.schemaChanged();
        }
    }

    /** A result held ciphertext where its plan expected plaintext: the tables are read again (rate-limited). */
    void staleResultSeen() {
        if (runtime.mayRereadForResult(MISMATCH_RETRY_NANOS)) {
            runtime.schemaChanged();
        }
    }

    /**
     * This connection changed the tables' definitions: layouts, catalog facts and plans are read again, and until
     * its transaction ends it reads the catalog itself (see {@link #uncommittedSchemaChange}).
     */
    void schemaChanged() throws SQLException {
        runtime.schemaChanged();
        if (!delegate.getAutoCommit()) {
            uncommittedSchemaChange = true;
        }
    }

    /** The transaction ended: what this connection changed is now every connection's to read (or undone). */
    private void transactionEnded() {
        if (uncommittedSchemaChange) {
            uncommittedSchemaChange = false;
            runtime.schemaChanged();
        }
    }

    @Override
    public void commit() throws SQLException {
        delegate.commit();
        transactionEnded();
    }

    @Override
    public void rollback() throws SQLException {
        delegate.rollback();
        transactionEnded();
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        if (autoCommit) {
            transactionEnded(); // switching autocommit on commits
        }
    }

    /** True for DDL (or server-side code) whose text names a configured table, partition, parent or view. */
    boolean changesConfiguredTables(String sql) throws SQLException {
        return changesConfiguredTables(sql, null);
    }

    private boolean changesConfiguredTables(String sql, EncryptionSchema schema) throws SQLException {
        return SchemaChanges.mayChangeSchema(sql)
                && runtime.analyzer().mayNameConfiguredTable(sql, schema != null ? schema : schema());
    }

    /**
     * The result shape to decrypt a result with: the plan's, when the result's metadata matches it; otherwise
     * the shape of the same SQL analysed again after the tables' definitions were read again (a table changed
     * since its layout was read). Fails closed, closing the result, when even that does not match.
     */
    ResultShape checkedShape(ResultSet result, StatementPlan executed, ResultShape shape) throws SQLException {
        ResultSetMetaData metaData = result.getMetaData();
        String mismatch = ResultCheck.mismatch(metaData, shape, catalog);
        if (mismatch == null) {
            return shape;
        }
        try {
            ResultShape current = plan(executed.sql()).results(); // another connection may have re-read already
            if (current != shape && ResultCheck.mismatch(metaData, current, catalog) == null) {
                return current;
            }
            if (runtime.mayRereadForResult(MISMATCH_RETRY_NANOS)) {
                runtime.schemaChanged();
                current = plan(executed.sql()).results();
                mismatch = ResultCheck.mismatch(metaData, current, catalog);
                if (mismatch == null) {
                    return current;
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(result, e);
            throw e;
        }
        SQLException refused = EnvelopeErrors.refused(RefusalReason.SCHEMA_CHANGED, "the result of this statement does not match the table "
                + "definitions envelope-jdbc read (" + mismatch + "), so none of it is returned: a table changed "
                + "while the statement ran, or since it was prepared. Run it again");
        closeQuietly(result, refused);
        throw refused;
    }

    private static void closeQuietly(ResultSet result, Exception failure) {
        try {
            result.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** The values of a statement that starts now (with key-cache.ttl 0s, its keys are read and unwrapped afresh). */
    ColumnValues values() {
        keys.statementStarts();
        values.statementStarts();
        return values;
    }

    /**
     * The SQL to send for a plan on this connection: literals encrypted in place, lookups widened to the
     * candidates their tables have now (see {@link StatementPlan#render}). The application's SQL when nothing
     * needs to change.
     */
    StatementPlan.Rendered render(StatementPlan plan) throws SQLException {
        return plan.render(values());
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
        session.followUse();
        return new EnvelopeStatement(this, delegate.createStatement());
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        session.followUse();
        return new EnvelopeStatement(this, delegate.createStatement(resultSetType, resultSetConcurrency));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        session.followUse();
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
            throw EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED,
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

    /**
     * JDBC's way to change the current schema: unqualified SQL names resolve against the new one from now on,
     * while the configured tables keep the identities they were given when the connection opened
     * ({@code INSERT INTO a.customers} stays encrypted after {@code setSchema("b")}).
     */
    @Override
    public void setSchema(String schema) throws SQLException {
        delegate.setSchema(schema);
        session.schemaSet();
    }

    /** In MySQL and MariaDB the catalog is the database unqualified names resolve in: as {@link #setSchema}. */
    @Override
    public void setCatalog(String catalog) throws SQLException {
        delegate.setCatalog(catalog);
        session.schemaSet();
    }

    /**
     * Closes the target connection; the runtime is released once, however often this is called, and the keys this
     * connection's last statement held are wiped (key-cache.ttl 0s).
     */
    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
            transactionEnded(); // an open transaction was rolled back
        } finally {
            try {
                keys.close();
            } finally {
                release();
            }
        }
    }

    /** Aborts the target connection (JDBC 4.1); the keys and the runtime are released as by {@link #close()}. */
    @Override
    public void abort(Executor executor) throws SQLException {
        try {
            delegate.abort(executor);
            transactionEnded();
        } finally {
            try {
                keys.close();
            } finally {
                release();
            }
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            EnvelopeRuntimes.release(runtime);
        }
    }

    @Override
    public String toString() {
        return "EnvelopeConnection[" + delegate + "]";
    }
}
