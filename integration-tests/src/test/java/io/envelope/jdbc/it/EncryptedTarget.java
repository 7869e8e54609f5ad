package io.envelope.jdbc.it;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A test's own encrypted corner of a real database, whichever it is ({@link EncryptedDatabase} on PostgreSQL,
 * {@code EncryptedMariaDb} on MariaDB): for tests that run the same statements on each.
 */
public interface EncryptedTarget {

    /** A connection through envelope-jdbc. */
    Connection connect() throws SQLException;

    /** A plain connection to the same place: what the database really holds. */
    Connection plain() throws SQLException;

    /** Runs statements on a plain connection (DDL, tampering). */
    void executePlain(String... sql) throws SQLException;
}
