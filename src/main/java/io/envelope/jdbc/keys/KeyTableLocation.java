package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the key table is, resolved once, when the first connection of a runtime opens: a configured name without a
 * schema means the connection's current schema at that moment, and from then on every statement names the table
 * schema-qualified (so a table of the same name that someone creates in an earlier {@code search_path} schema is
 * never used). Checks on PostgreSQL that its owner is the connecting role or a role it is a member of (or the
 * configured {@code key-table-owner}), and finds its layout: 0.1.0 (no state columns, key rows not authenticated) or
 * authenticated. A missing table is created when the first key is stored (and that is allowed), not when the
 * connection opens: an application's connect must not change its schema (Flyway, for one, refuses to migrate a
 * schema that holds tables but no history).
 */
final class KeyTableLocation {

    /** One to three dot-separated parts, each an unquoted identifier or a double-quoted one. */
    private static final Pattern TABLE_NAME = Pattern.compile(
            "(?:[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\")(?:\\.(?:[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\")){0,2}");

    private final String name;
    private final boolean create;
    private final String expectedOwner;
    private volatile String sqlName;
    private volatile KeyTableDialect dialect;
    private volatile boolean authenticated;
    /** Whether the table is known to exist (false until a missing one is created, here or by another process). */
    private volatile boolean present;
    /** The table's owning role as the catalog reported it at the owner check (PostgreSQL), else null. */
    private volatile String owner;
    private String schema;
    private String table;

    KeyTableLocation(String name, boolean create, String expectedOwner) {
        this.name = name;
        this.create = create;
        this.expectedOwner = expectedOwner;
    }

    /** The key table's name as configured. */
    String name() {
        return name;
    }

    boolean resolved() {
        return sqlName != null;
    }

    /** The schema-qualified name every statement uses (after {@link #resolve}). */
    String sqlName() throws SQLException {
        String n = sqlName;
        if (n == null) {
            throw EnvelopeErrors.key("key table " + name + " is not resolved yet");
        }
        return n;
    }

    KeyTableDialect dialect() {
        return dialect;
    }

    /** The owning role found by the owner check (PostgreSQL, once the table exists), or null. */
    String owner() {
        return owner;
    }

    /** Whether the table is known to exist (without looking again). */
    boolean knownPresent() {
        return present;
    }

    /** Whether the table has the state columns (key rows are authenticated). */
    boolean authenticated() {
        return authenticated;
    }

    void upgraded() {
        authenticated = true;
    }

    /**
     * Resolves the table's name on {@code connection} (read-only: catalog queries that cannot fail on a healthy
     * connection) and, when it exists, checks it. A missing table is left for {@link #ensurePresent} (or, with
     * create-key-table false, is a configuration error now). Once; later calls return at once.
     */
    synchronized void resolve(Connection connection) throws SQLException {
        if (sqlName != null) {
            return;
        }
        if (name == null || !TABLE_NAME.matcher(name).matches()) {
            throw EnvelopeErrors.config("key-table: '" + name + "' is not a table name ([schema.]table)");
        }
        DatabaseMetaData meta = connection.getMetaData();
        KeyTableDialect d = KeyTableDialect.detect(meta, name);
        List<String> parts = split(name);
        String table = fold(meta, parts.get(parts.size() - 1));
        String schema;
        String qualified;
        if (parts.size() == 1) {
            schema = connection.getSchema() != null && d != KeyTableDialect.MARIADB ? connection.getSchema()
                    : connection.getCatalog();
            if (schema == null) {
                throw EnvelopeErrors.config("key-table: '" + name + "' has no schema and the connection reports no"
                        + " current schema: qualify it (schema.table)");
            }
            String quote = meta.getIdentifierQuoteString();
            quote = quote == null || quote.isBlank() ? "\"" : quote.trim();
            qualified = quote + schema.replace(quote, quote + quote) + quote + "."
                    + (d == KeyTableDialect.MARIADB ? backticked(parts) : name);
        } else {
            schema = fold(meta, parts.get(parts.size() - 2));
            qualified = d == KeyTableDialect.MARIADB ? backticked(parts) : name;
        }
        boolean mariaDb = d == KeyTableDialect.MARIADB;
        this.schema = schema;
        this.table = table;
        this.dialect = d;
        if (exists(meta, mariaDb, schema, table)) {
            checkExisting(connection, qualified);
        } else {
            // created with the state columns when the first key is stored (or, create-key-table false, refused then)
            this.authenticated = create;
        }
        this.sqlName = qualified;
    }

    /**
     * The error for a key table that does not exist when the keys are needed and may not be created
     * (create-key-table: false); null when it may be created.
     */
    SQLException missing() throws SQLException {
        return create ? null : EnvelopeErrors.config("key table " + sqlName() + " does not exist and"
                + " create-key-table is false: create it (see the key table DDL in the docs) or set create-key-table:"
                + " true");
    }

    /** Whether the table is known to exist; a missing one is looked for again on {@code connection}. */
    boolean present(Connection connection) throws SQLException {
        if (present) {
            return true;
        }
        synchronized (this) {
            if (!present && exists(connection.getMetaData(), dialect == KeyTableDialect.MARIADB, schema, table)) {
                checkExisting(connection, sqlName());
            }
            return present;
        }
    }

    /**
     * Makes sure the table exists before a key row is stored in it: created on {@code connection} (a connection of
     * the driver's own, autocommit) when missing — racing processes both succeed — then checked as at resolution.
     */
    synchronized void ensurePresent(Connection connection) throws SQLException {
        if (present(connection)) {
            return;
        }
        String qualified = sqlName();
        SQLException refused = missing();
        if (refused != null) {
            throw refused;
        }
        createTable(connection, dialect, qualified);
        if (!exists(connection.getMetaData(), dialect == KeyTableDialect.MARIADB, schema, table)) {
            throw EnvelopeErrors.config("key table " + qualified + " was created but cannot be found");
        }
        checkExisting(connection, qualified);
    }

    private void checkExisting(Connection connection, String qualified) throws SQLException {
        if (dialect == KeyTableDialect.POSTGRESQL) {
            checkOwner(connection, schema, table, qualified);
        }
        this.authenticated = hasStateColumns(connection.getMetaData(), dialect == KeyTableDialect.MARIADB, schema,
                table);
        this.present = true;
    }

    private static void createTable(Connection connection, KeyTableDialect d, String qualified) throws SQLException {
        boolean createdHere = true;
        try (Statement s = connection.createStatement()) {
            s.setQueryTimeout(KeyTable.QUERY_TIMEOUT_SECONDS);
            s.execute(d.createTableSql(qualified));
        } catch (SQLException e) {
            createdHere = false;
            if (!d.isDuplicateTable(e)) {
                throw EnvelopeErrors.key("key table " + qualified + ": creating it failed: " + e.getMessage(), e);
            }
            // Another process created it at the same moment: fine.
        }
        if (createdHere) {
            KeyAudit.keyTableCreated(qualified);
        }
    }

    /**
     * On PostgreSQL: the table's owner must be the configured {@code key-table-owner}, or, when none is configured,
     * the connecting role or a role it is a member of. A key table owned by someone else could feed the
     * application data keys of their choosing.
     */
    private void checkOwner(Connection connection, String schema, String table, String qualified)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.pg_get_userbyid(c.relowner),"
                + " pg_catalog.pg_has_role(current_user, c.relowner, 'MEMBER'), current_user"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setQueryTimeout(KeyTable.QUERY_TIMEOUT_SECONDS);
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw EnvelopeErrors.config("key table " + qualified + " was found by the driver's metadata"
                            + " but not in pg_class");
                }
                String owner = rs.getString(1);
                this.owner = owner;
                boolean member = rs.getBoolean(2);
                String user = rs.getString(3);
                boolean ok = expectedOwner != null ? expectedOwner.equals(owner) : member;
                if (!ok) {
                    KeyAudit.keyTableRefused(qualified, owner, user);
                    throw EnvelopeErrors.config("key table " + qualified + " is owned by role " + owner + ", which is "
                            + (expectedOwner != null ? "not the configured key-table-owner '" + expectedOwner + "'"
                            : "neither the connecting role " + user + " nor a role it is a member of")
                            + ": a key table someone else controls could hand this application keys of their choosing"
                            + " (or shadow the real one through search_path), so it is not used. Point key-table at"
                            + " your deployment's key table (schema.table)"
                            + (expectedOwner != null ? "" : ", or, if " + owner + " is right, set key-table-owner: "
                            + owner));
                }
            }
        }
    }

    private static boolean exists(DatabaseMetaData meta, boolean mariaDb, String schema, String table)
            throws SQLException {
        try (ResultSet rs = mariaDb ? meta.getTables(schema, null, table, null)
                : meta.getTables(null, schema, table, null)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))
                        && schema.equals(mariaDb ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasStateColumns(DatabaseMetaData meta, boolean mariaDb, String schema, String table)
            throws SQLException {
        int found = 0;
        try (ResultSet rs = mariaDb ? meta.getColumns(schema, null, table, null)
                : meta.getColumns(null, schema, table, null)) {
            while (rs.next()) {
                if (!table.equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                if (column.equals("state_seq") || column.equals("state_mac")) {
                    found++;
                }
            }
        }
        return found == 2;
    }

    /** An identifier as the catalog spells it: quoted ones as written, unquoted ones folded the database's way. */
    private static String fold(DatabaseMetaData meta, String part) throws SQLException {
        if (part.startsWith("\"")) {
            return part.substring(1, part.length() - 1).replace("\"\"", "\"");
        }
        if (meta.storesUpperCaseIdentifiers()) {
            return part.toUpperCase(Locale.ROOT);
        }
        if (meta.storesLowerCaseIdentifiers()) {
            return part.toLowerCase(Locale.ROOT);
        }
        return part;
    }

    /**
     * The configured name in MySQL's quoting: a double-quoted part becomes a backtick-quoted one (double quotes are
     * strings to MySQL unless the session has ANSI_QUOTES), unquoted parts stay as written.
     */
    private static String backticked(List<String> parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            out.append(out.length() == 0 ? "" : ".");
            if (part.startsWith("\"")) {
                String exact = part.substring(1, part.length() - 1).replace("\"\"", "\"");
                out.append('`').append(exact.replace("`", "``")).append('`');
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    private static List<String> split(String qualified) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < qualified.length(); i++) {
            char ch = qualified.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            }
            if (ch == '.' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
