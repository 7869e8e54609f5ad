package io.envelope.jdbc.keys;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a connection of its own to the target database for key-table work, so that creating a data key
 * commits independently of the application's transaction (contract §4). The caller closes it.
 */
@FunctionalInterface
public interface ConnectionSource {
    Connection open() throws SQLException;
}
