package io.envelope.jdbc.keys;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Whether a transaction is open on a connection. JDBC's autocommit flag is not the whole answer: a raw
 * {@code BEGIN} sent through a Statement opens a transaction on the server while {@code getAutoCommit()} still
 * says true. pgJDBC tracks the server's own report (every ReadyForQuery message carries it) as
 * {@code BaseConnection.getTransactionState()}: IDLE, OPEN or FAILED; it is read here by reflection, so pgJDBC stays
 * an optional dependency. For other target drivers only the autocommit flag is known.
 */
final class TransactionState {

    private static final String PG_BASE_CONNECTION = "org.postgresql.core.BaseConnection";

    private TransactionState() {
    }

    /** True if autocommit is off, or the target is pgJDBC and the session is inside a transaction (or unsure). */
    static boolean open(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            return true;
        }
        Class<?> base = pgBaseConnection(connection);
        if (base == null || !connection.isWrapperFor(base)) {
            return false;
        }
        try {
            Object pg = connection.unwrap(base);
            Method state = base.getMethod("getTransactionState");
            Object value = state.invoke(pg);
            return value == null || !"IDLE".equals(value.toString());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return true;    // pgJDBC, but its state cannot be read: assume the worst
        }
    }

    private static Class<?> pgBaseConnection(Connection connection) {
        ClassLoader[] loaders = {connection.getClass().getClassLoader(),
                Thread.currentThread().getContextClassLoader(), TransactionState.class.getClassLoader()};
        for (ClassLoader loader : loaders) {
            try {
                return Class.forName(PG_BASE_CONNECTION, false, loader);
            } catch (ClassNotFoundException | LinkageError notHere) {
                // try the next loader
            }
        }
        return null;
    }
}
