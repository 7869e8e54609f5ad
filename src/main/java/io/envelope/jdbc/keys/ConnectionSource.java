package io.envelope.jdbc.keys;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a connection to the target database: the application's (the connector), or one of the driver's own for
 * key work that must commit independently of the application's transaction. The caller closes it.
 */
@FunctionalInterface
public interface ConnectionSource {

    Connection open() throws SQLException;

    /**
     * Whether connections come from the application's own pool (wrapped-pool mode), which its requests may have
     * exhausted: key work then waits only briefly for one (see {@link KeyConnections}).
     */
    default boolean pooled() {
        return false;
    }

    /** A source whose connections come from the application's pool. */
    static ConnectionSource ofPool(ConnectionSource pool) {
        return new ConnectionSource() {
            @Override
            public Connection open() throws SQLException {
                return pool.open();
            }

            @Override
            public boolean pooled() {
                return true;
            }
        };
    }
}
