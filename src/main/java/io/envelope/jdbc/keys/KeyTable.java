package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The key metadata table's SQL: reads, inserts if absent, and rewrites one table's key-row state in a transaction,
 * each on the connection it is given, with a query timeout. Where the table is and which layout it has comes from
 * {@link KeyTableLocation}, resolved once.
 */
final class KeyTable {

    /** A creation time as MariaDB and MySQL read a DATETIME(6) from text. */
    private static final DateTimeFormatter CREATED_AT_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    /** Query timeout of every key-table statement. */
    static final int QUERY_TIMEOUT_SECONDS = 10;

    private final KeyTableLocation location;

    KeyTable(KeyTableLocation location) {
        this.location = location;
    }

    /** The key table's name as configured. */
    String name() {
        return location.name();
    }

    KeyTableLocation location() {
        return location;
    }

    /** The rows of one table identity, lowest version first. */
    List<KeyRow> rowsOf(Connection c, String tableIdentity) throws SQLException {
        return run("reading the keys of table " + tableIdentity, () -> {
            if (!location.present(c)) {
                return absentRows(); // not created yet: no table has a key
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns() + " FROM " + sqlName()
                    + " WHERE table_name = ? ORDER BY key_version")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, tableIdentity);
                return read(ps);
            }
        });
    }

    /** The rows of a key table that does not exist: none, if it may still be created; else its error. */
    private List<KeyRow> absentRows() throws SQLException {
        SQLException missing = location.missing();
        if (missing != null) {
            throw missing;
        }
        return List.of();
    }

    /** Every row, by table identity and version. */
    List<KeyRow> allRows(Connection c) throws SQLException {
        return run("listing the keys", () -> {
            if (!location.present(c)) {
                return absentRows();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns() + " FROM " + sqlName()
                    + " ORDER BY table_name, key_version")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                return read(ps);
            }
        });
    }

    /**
     * Inserts the row unless its (table_name, key_version) is taken, on a connection in autocommit mode.
     *
     * @return whether this call inserted it (false: another writer's row is there)
     */
    boolean insertIfAbsent(Connection c, KeyRow row) throws SQLException {
        return run("storing key version " + row.keyVersion() + " of table " + row.tableName(), () -> {
            location.ensurePresent(c);
            KeyTableDialect d = location.dialect();
            try (PreparedStatement ps = c.prepareStatement(d.insertSql(sqlName(), authenticated()))) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                bindRow(ps, row);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if (d.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * Replaces one table's rows {@code before} (as read) by {@code after}, in one transaction on a connection of its
     * own: rows gone are deleted, new ones inserted, the others updated; each statement must find the row exactly as
     * it was read (status, wrapped key and, when authenticated, sequence number), so two changes at once cannot
     * overwrite each other. Fails, changing nothing, when one does not.
     */
    void replaceState(Connection c, String tableIdentity, List<KeyRow> before, List<KeyRow> after, String what)
            throws SQLException {
        run(what + " (table " + tableIdentity + ")", () -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            boolean done = false;
            try {
                for (KeyRow old : before) {
                    KeyRow now = find(after, old.keyVersion());
                    int changed = now == null ? delete(c, old) : update(c, old, now);
                    if (changed != 1) {
                        throw EnvelopeErrors.key("key table " + name() + ": key version " + old.keyVersion()
                                + " of table " + tableIdentity + " changed while " + what + " (another command at the"
                                + " same time?); nothing was changed, run the command again");
                    }
                }
                for (KeyRow now : after) {
                    if (find(before, now.keyVersion()) == null) {
                        KeyTableDialect d = location.dialect();
                        try (PreparedStatement ps = c.prepareStatement(KeyTableDialect.plainInsert(sqlName(),
                                authenticated()))) {
                            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                            bindRow(ps, now);
                            ps.executeUpdate();
                        } catch (SQLException e) {
                            if (d.isDuplicateKey(e)) {
                                throw EnvelopeErrors.key("key table " + name() + ": key version "
                                        + now.keyVersion() + " of table " + tableIdentity + " was created at the same"
                                        + " moment by another process; nothing was changed", e);
                            }
                            throw e;
                        }
                    }
                }
                c.commit();
                done = true;
            } finally {
                if (!done) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the original failure is what matters
                    }
                }
                c.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    private int update(Connection c, KeyRow old, KeyRow now) throws SQLException {
        boolean auth = authenticated();
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + sqlName() + " SET kms_key_id = ?, encrypted_key = ?,"
                + " status = ?" + (auth ? ", state_seq = ?, state_mac = ?" : "")
                + " WHERE table_name = ? AND key_version = ? AND status = ? AND encrypted_key = ?"
                + (auth ? (old.stateSeq() == null ? " AND state_seq IS NULL" : " AND state_seq = ?") : ""))) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            int i = 1;
            ps.setString(i++, now.kmsKeyId());
            ps.setBytes(i++, now.encryptedKey());
            ps.setString(i++, now.status().dbValue());
            if (auth) {
                setSeq(ps, i++, now.stateSeq());
                ps.setBytes(i++, now.stateMac());
            }
            ps.setString(i++, old.tableName());
            ps.setInt(i++, old.keyVersion());
            ps.setString(i++, old.status().dbValue());
            ps.setBytes(i++, old.encryptedKey());
            if (auth && old.stateSeq() != null) {
                ps.setLong(i, old.stateSeq());
            }
            return ps.executeUpdate();
        }
    }

    private int delete(Connection c, KeyRow old) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + sqlName()
                + " WHERE table_name = ? AND key_version = ? AND status = ? AND encrypted_key = ?")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, old.tableName());
            ps.setInt(2, old.keyVersion());
            ps.setString(3, old.status().dbValue());
            ps.setBytes(4, old.encryptedKey());
            return ps.executeUpdate();
        }
    }

    /** Adds the state columns to a key table of the 0.1.0 layout (on a connection of its own). */
    void addStateColumns(Connection c) throws SQLException {
        run("adding the state columns", () -> {
            for (String sql : location.dialect().addStateColumnsSql(sqlName())) {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    s.execute(sql);
                }
            }
            return null;
        });
        location.upgraded();
    }

    private void bindRow(PreparedStatement ps, KeyRow row) throws SQLException {
        ps.setString(1, row.tableName());
        ps.setInt(2, row.keyVersion());
        ps.setString(3, row.kmsProvider());
        ps.setString(4, row.kmsKeyId());
        ps.setBytes(5, row.encryptedKey());
        ps.setString(6, row.status().dbValue());
        LocalDateTime created = Objects.requireNonNull(KeyRow.storedTime(row.createdAt()));
        if (location.dialect() == KeyTableDialect.MARIADB) {
            // As text, which the server reads with its microseconds: MySQL Connector/J takes a MariaDB server
            // (version "5.5.5-10…") for MySQL 5.5, which had no fractional seconds, and drops them from a bound
            // Timestamp, so the row would no longer match its MAC.
            ps.setString(7, CREATED_AT_TEXT.format(created));
        } else {
            ps.setTimestamp(7, Timestamp.valueOf(created));
        }
        if (authenticated()) {
            setSeq(ps, 8, row.stateSeq());
            ps.setBytes(9, row.stateMac());
        }
    }

    private static void setSeq(PreparedStatement ps, int index, Long seq) throws SQLException {
        if (seq == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, seq);
        }
    }

    private boolean authenticated() {
        return location.authenticated();
    }

    private String sqlName() throws SQLException {
        return location.sqlName();
    }

    private String columns() {
        return KeyTableDialect.COLUMNS + (authenticated() ? ", " + KeyTableDialect.STATE_COLUMNS : "");
    }

    private List<KeyRow> read(PreparedStatement ps) throws SQLException {
        List<KeyRow> rows = new ArrayList<>();
        boolean auth = authenticated();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String table = rs.getString(1);
                int version = rs.getInt(2);
                String statusText = rs.getString(6);
                KeyStatus status = KeyStatus.fromDbValue(statusText == null ? null : statusText.trim());
                if (status == null) {
                    KeyAudit.rowsRefused(name(), table, "key version " + version + " has status '" + statusText + "'");
                    throw EnvelopeErrors.key("key table " + name() + ": table " + table + " key version " + version
                            + " has status '" + statusText + "', not one of active, retiring, retired");
                }
                Timestamp created = rs.getTimestamp(7);
                LocalDateTime createdAt = created == null ? null : created.toLocalDateTime();
                Long seq = null;
                byte[] mac = null;
                if (auth) {
                    long s = rs.getLong(8);
                    seq = rs.wasNull() ? null : s;
                    mac = rs.getBytes(9);
                }
                rows.add(new KeyRow(table, version, rs.getString(3), rs.getString(4), rs.getBytes(5), status,
                        createdAt, seq, mac));
            }
        }
        return rows;
    }

    static KeyRow find(List<KeyRow> rows, int version) {
        for (KeyRow row : rows) {
            if (row.keyVersion() == version) {
                return row;
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs key-table SQL; a database error becomes an {@code envelope-jdbc:} error naming the operation. */
    private <T> T run(String operation, Work<T> work) throws SQLException {
        try {
            return work.run();
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(EnvelopeErrors.PREFIX)) {
                throw e;
            }
            throw EnvelopeErrors.key("key table " + name() + ": " + operation + " failed: " + e.getMessage(), e);
        }
    }
}
