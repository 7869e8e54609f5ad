package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The key metadata table (contract §4): creates it when missing (if allowed), reads, inserts if absent, updates
 * the status of and deletes key rows. Every call runs on a connection of its own from the
 * {@link ConnectionSource}, in autocommit mode (so it commits independently of any application transaction),
 * with a query timeout, and closes it.
 */
final class KeyTable {

    /** Query timeout of every key-table statement. */
    static final int QUERY_TIMEOUT_SECONDS = 10;

    /** One to three dot-separated parts, each an unquoted identifier or a double-quoted one. */
    private static final Pattern TABLE_NAME = Pattern.compile(
            "(?:[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\")(?:\\.(?:[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\")){0,2}");

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection, KeyTableDialect dialect) throws SQLException;
    }

    private final String name;
    private final boolean create;
    private final ConnectionSource connections;
    private final Object setupLock = new Object();
    private volatile KeyTableDialect dialect;
    private volatile boolean ready;

    KeyTable(String name, boolean create, ConnectionSource connections) {
        this.name = name;
        this.create = create;
        this.connections = connections;
    }

    /** The key table's name as configured. */
    String name() {
        return name;
    }

    /** The rows of one table identity, lowest version first. */
    List<KeyRow> rowsOf(String tableIdentity) throws SQLException {
        return withConnection("reading the keys of table " + tableIdentity, (c, d) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KeyTableDialect.COLUMNS + " FROM " + name
                    + " WHERE table_name = ? ORDER BY key_version")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, tableIdentity);
                return read(ps);
            }
        });
    }

    /** Every row, by table identity and version. */
    List<KeyRow> allRows() throws SQLException {
        return withConnection("listing the keys", (c, d) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KeyTableDialect.COLUMNS + " FROM " + name
                    + " ORDER BY table_name, key_version")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                return read(ps);
            }
        });
    }

    /**
     * Inserts the row unless its (table_name, key_version) is taken.
     *
     * @return whether this call inserted it (false: another writer's row is there)
     */
    boolean insertIfAbsent(KeyRow row) throws SQLException {
        return withConnection("storing key version " + row.keyVersion() + " of table " + row.tableName(), (c, d) -> {
            try (PreparedStatement ps = c.prepareStatement(d.insertSql(name))) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, row.tableName());
                ps.setInt(2, row.keyVersion());
                ps.setString(3, row.kmsProvider());
                ps.setString(4, row.kmsKeyId());
                ps.setBytes(5, row.encryptedKey());
                ps.setString(6, row.status().dbValue());
                ps.setTimestamp(7, Timestamp.valueOf(row.createdAt()));
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (d.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Sets the status of one version; returns the number of rows changed (0: no such version). */
    int updateStatus(String tableIdentity, int version, KeyStatus status) throws SQLException {
        return withConnection("setting key version " + version + " of table " + tableIdentity + " to "
                + status.dbValue(), (c, d) -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + name
                    + " SET status = ? WHERE table_name = ? AND key_version = ?")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, status.dbValue());
                ps.setString(2, tableIdentity);
                ps.setInt(3, version);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Replaces a row's wrapped key and master key id, only if the row still holds the wrapped key it was read
     * with (so two rewraps at once cannot overwrite each other's work); returns the number of rows changed.
     */
    int updateWrapping(KeyRow row, String newKmsKeyId, byte[] newWrapped) throws SQLException {
        return withConnection("re-wrapping key version " + row.keyVersion() + " of table " + row.tableName(),
                (c, d) -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE " + name
                            + " SET kms_key_id = ?, encrypted_key = ? WHERE table_name = ? AND key_version = ?"
                            + " AND kms_key_id = ? AND encrypted_key = ?")) {
                        ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                        ps.setString(1, newKmsKeyId);
                        ps.setBytes(2, newWrapped);
                        ps.setString(3, row.tableName());
                        ps.setInt(4, row.keyVersion());
                        ps.setString(5, row.kmsKeyId());
                        ps.setBytes(6, row.encryptedKey());
                        return ps.executeUpdate();
                    }
                });
    }

    /** Deletes one version if it is retiring or retired; returns the number of rows deleted. */
    int deleteUnlessActive(String tableIdentity, int version) throws SQLException {
        return withConnection("destroying key version " + version + " of table " + tableIdentity, (c, d) -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + name
                    + " WHERE table_name = ? AND key_version = ? AND status IN (?, ?)")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, tableIdentity);
                ps.setInt(2, version);
                ps.setString(3, KeyStatus.RETIRING.dbValue());
                ps.setString(4, KeyStatus.RETIRED.dbValue());
                return ps.executeUpdate();
            }
        });
    }

    private List<KeyRow> read(PreparedStatement ps) throws SQLException {
        List<KeyRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String table = rs.getString(1);
                int version = rs.getInt(2);
                String statusText = rs.getString(6);
                KeyStatus status = KeyStatus.fromDbValue(statusText == null ? null : statusText.trim());
                if (status == null) {
                    throw EnvelopeException.key("key table " + name + ": table " + table + " key version " + version
                            + " has status '" + statusText + "', not one of active, retiring, retired");
                }
                Timestamp created = rs.getTimestamp(7);
                LocalDateTime createdAt = created == null ? null : created.toLocalDateTime();
                rows.add(new KeyRow(table, version, rs.getString(3), rs.getString(4), rs.getBytes(5), status,
                        createdAt));
            }
        }
        return rows;
    }

    private <T> T withConnection(String operation, Work<T> work) throws SQLException {
        Connection connection;
        try {
            connection = connections.open();
        } catch (SQLException | RuntimeException e) {
            throw EnvelopeException.key("key table " + name + ": cannot open a connection for " + operation + ": "
                    + e.getMessage(), e);
        }
        if (connection == null) {
            throw EnvelopeException.key("key table " + name + ": the connection source gave no connection for "
                    + operation);
        }
        try (connection) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            KeyTableDialect d = dialect(connection);
            ensureReady(connection, d);
            return work.run(connection, d);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(EnvelopeException.PREFIX)) {
                throw e;
            }
            throw EnvelopeException.key("key table " + name + ": " + operation + " failed: " + e.getMessage(), e);
        }
    }

    private KeyTableDialect dialect(Connection connection) throws SQLException {
        KeyTableDialect d = dialect;
        if (d == null) {
            d = KeyTableDialect.detect(connection.getMetaData(), name);
            dialect = d;
        }
        return d;
    }

    /** Once per instance: checks the table exists, creating it when missing if allowed. */
    private void ensureReady(Connection connection, KeyTableDialect d) throws SQLException {
        if (ready) {
            return;
        }
        synchronized (setupLock) {
            if (ready) {
                return;
            }
            if (name == null || !TABLE_NAME.matcher(name).matches()) {
                throw EnvelopeException.config("key-table: '" + name + "' is not a table name ([schema.]table)");
            }
            if (!exists(connection, d)) {
                if (!create) {
                    throw EnvelopeException.key("key table " + name + " does not exist and create-key-table is "
                            + "false: create it (see the key table DDL in the docs) or set create-key-table: true");
                }
                boolean createdHere = true;
                try (Statement s = connection.createStatement()) {
                    s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    s.execute(d.createTableSql(name));
                } catch (SQLException e) {
                    createdHere = false;
                    if (!d.isDuplicateTable(e)) {
                        throw EnvelopeException.key("key table " + name + ": creating it failed: " + e.getMessage(),
                                e);
                    }
                    // Another process created it at the same moment: fine.
                }
                if (!exists(connection, d)) {
                    throw EnvelopeException.key("key table " + name + " was created but cannot be read");
                }
                if (createdHere) {
                    KeyAudit.keyTableCreated(name);
                }
            }
            ready = true;
        }
    }

    private boolean exists(Connection connection, KeyTableDialect d) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet ignored = s.executeQuery("SELECT " + KeyTableDialect.COLUMNS + " FROM " + name
                    + " WHERE 1 = 0")) {
                return true;
            }
        } catch (SQLException e) {
            if (d.isMissingTable(e)) {
                return false;
            }
            throw e;
        }
    }
}
