package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.sql.SqlDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What one connection's SQL is read by and resolves against: the dialect and the current schema (the database, on
 * MySQL and MariaDB). On PostgreSQL and H2 these change only through JDBC calls. A MySQL or MariaDB session's change
 * through SQL too ({@code SET sql_mode}, {@code SET NAMES}, {@code USE}, …): SQL that may change them marks the state
 * stale as it is sent, and the connection reads it again ({@link #readAgain}) before it analyses the next statement.
 *
 * <p>MySQL Connector/J keeps a record of its own of the current database, which a {@code USE} run as SQL leaves
 * behind, and runs each statement in the database recorded when the statement was created: that record is followed
 * here too ({@link #creationDatabase}).
 */
final class SessionState {

    private final Connection target;
    private volatile SqlDialect dialect;
    /** Where unqualified SQL names resolve now. */
    private volatile String currentSchema;
    /** SQL was sent that may have changed what the dialect or the current schema were read from. */
    private volatile boolean stale;
    /** MySQL Connector/J's record of the current database ({@link #creationDatabase}); null for other drivers. */
    private volatile String driverDatabase;

    /**
     * Reads the state of a connection that opens now.
     *
     * @throws SQLException an {@code envelope-jdbc:} error for a database or session the analysis does not model
     */
    SessionState(Connection target) throws SQLException {
        this.target = target;
        this.dialect = SqlDialect.of(target);
        this.currentSchema = readCurrentSchema();
        this.driverDatabase = dialect.cachesCurrentDatabase() ? target.getCatalog() : null;
    }

    SqlDialect dialect() {
        return dialect;
    }

    /** The schema unqualified names resolve to now. */
    String currentSchema() {
        return currentSchema;
    }

    /** Whether the session must be read again before the next statement is analysed. */
    boolean isStale() {
        return stale;
    }

    /** A statement is about to run in another database than the session's: read the session again after it. */
    void markStale() {
        stale = true;
    }

    /**
     * Reads a MySQL or MariaDB session's facts again.
     *
     * @throws SQLException an {@code envelope-jdbc:} error when the session is now one the analysis cannot model
     *                      (an unknown sql_mode, a multi-byte client character set); the state stays stale
     */
    void readAgain() throws SQLException {
        dialect = SqlDialect.readMySqlSession(target);
        currentSchema = readCurrentSchema();
        followUse();
        stale = false;
    }

    /**
     * Called as SQL is sent (and again after it ran): on MySQL and MariaDB, SQL that may change the session's
     * {@code sql_mode}, character set or database, even SQL that then fails, makes the state stale.
     */
    void sending(String sql) {
        if (dialect.isMySqlFamily() && SqlDialect.mayChangeSession(sql)) {
            stale = true;
        }
    }

    /**
     * Refuses, in a batch of SQL strings, one that may change the session the batch's other strings were analysed
     * for: each string is analysed when it is added, before any of them runs.
     */
    void checkBatchable(String sql) throws SQLException {
        if (dialect.isMySqlFamily() && SqlDialect.mayChangeSession(sql)) {
            throw EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED, "a statement that may change the session's "
                    + "sql_mode, character set or database (SET, USE, EXECUTE, CALL) cannot be added to a batch: "
                    + "the batch's other statements were analysed for the session as it is now. Run it on its own");
        }
    }

    /** After {@code setSchema} or {@code setCatalog} on the target connection. */
    void schemaSet() throws SQLException {
        currentSchema = readCurrentSchema();
        driverDatabase = dialect.cachesCurrentDatabase() ? target.getCatalog() : null;
    }

    /**
     * After a {@code USE} run as SQL, which MySQL Connector/J does not notice: its record of the current database is
     * set to the session's, before it creates another statement, so that statements created from now on run there
     * (see {@link #creationDatabase}). Those created before run in the database they were created in, as after a
     * {@code setCatalog}.
     */
    void followUse() throws SQLException {
        if (!stale || !dialect.cachesCurrentDatabase()) {
            return;
        }
        String database = readCurrentSchema();
        if (!database.equals(target.getCatalog())) {
            target.setCatalog(database);
        }
        driverDatabase = target.getCatalog();
    }

    /**
     * The target driver's record of the current database, for a driver that runs each statement in the database
     * it recorded when the statement was created (MySQL Connector/J: a statement made before
     * {@code setCatalog("b")} still runs in the old database); null for any other driver.
     */
    String creationDatabase() {
        return driverDatabase;
    }

    /**
     * The schema unqualified names resolve to: the connection's current schema (or catalog, where no schemas). MySQL
     * Connector/J answers {@code getCatalog} from what it last set itself, so after a {@code USE} run as SQL it
     * names the old database: its session is asked instead.
     */
    private String readCurrentSchema() throws SQLException {
        if (dialect.cachesCurrentDatabase()) {
            try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
                String database = rs.next() ? rs.getString(1) : null;
                if (database == null) {
                    throw EnvelopeErrors.config("the session has no current database; name one in the URL and "
                            + "qualify every table name in the configuration");
                }
                return database;
            }
        }
        String schema = target.getSchema();
        if (schema == null) {
            schema = target.getCatalog();
        }
        if (schema == null) {
            throw EnvelopeErrors.config(
                    "the target connection reports no current schema; qualify every table name in the configuration");
        }
        return schema;
    }
}
