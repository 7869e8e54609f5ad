package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * What differs between databases for the key table: column types in the DDL, how to insert a row only when its
 * primary key is free, and how each database reports a duplicate key, an existing table and a missing table.
 * Detected from {@link DatabaseMetaData#getDatabaseProductName()}.
 */
enum KeyTableDialect {

    /** The key table's DDL as docs/configuration.md (The key table) gives it; {@code INSERT ... ON CONFLICT DO NOTHING}. */
    POSTGRESQL("varchar(255)", "bytea", "timestamp") {
        @Override
        String insertSql(String table, boolean authenticated) {
            return plainInsert(table, authenticated) + " ON CONFLICT (table_name, key_version) DO NOTHING";
        }

        @Override
        boolean isDuplicateKey(SQLException e) {
            return "23505".equals(e.getSQLState());
        }

        @Override
        boolean isDuplicateTable(SQLException e) {
            // CREATE TABLE IF NOT EXISTS still fails when two sessions create the table at the same moment:
            // 42P07 (duplicate_table), 42710 (duplicate_object: 'type ... already exists', the table's row type)
            // or 23505 (unique violation on pg_type's name index).
            String state = e.getSQLState();
            return "42P07".equals(state) || "42710".equals(state) || "23505".equals(state);
        }

        @Override
        boolean isMissingTable(SQLException e) {
            return "42P01".equals(e.getSQLState());
        }
    },

    /** H2 2.x: plain insert, a duplicate primary key (23505) means another writer won. */
    H2("varchar(255)", "varbinary(8192)", "timestamp") {
        @Override
        boolean isDuplicateKey(SQLException e) {
            return "23505".equals(e.getSQLState()) || e.getErrorCode() == 23505;
        }

        @Override
        boolean isDuplicateTable(SQLException e) {
            return "42S01".equals(e.getSQLState()) || e.getErrorCode() == 42101;
        }

        @Override
        boolean isMissingTable(SQLException e) {
            // 42102/42104: no such table; 90079: no such schema (so no such table either).
            return "42S02".equals(e.getSQLState()) || e.getErrorCode() == 42102 || e.getErrorCode() == 42104
                    || e.getErrorCode() == 90079;
        }
    },

    /**
     * MariaDB and MySQL. {@code datetime(6)}, not {@code timestamp}: MySQL may give the first timestamp column an
     * {@code ON UPDATE CURRENT_TIMESTAMP}, which would rewrite created_at on every status change. Plain insert with
     * the duplicate-key error (1062) caught rather than {@code INSERT IGNORE}, which would also turn truncation
     * and other errors into warnings. The table identity is compared with its case ({@code utf8mb4_bin}), as on
     * PostgreSQL: under the server's default collation {@code db.Customers} and {@code db.customers} (distinct
     * tables where {@code lower_case_table_names} is 0) would share one key row. That collation still ignores
     * trailing spaces, which no MySQL table name can end with; a key row read under such a name fails its
     * authentication (it is bound to the name it was written for) rather than being used.
     */
    MARIADB("varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "blob", "datetime(6)") {
        @Override
        boolean isDuplicateKey(SQLException e) {
            return e.getErrorCode() == 1062;
        }

        @Override
        boolean isDuplicateTable(SQLException e) {
            return e.getErrorCode() == 1050 || "42S01".equals(e.getSQLState());
        }

        @Override
        boolean isMissingTable(SQLException e) {
            return e.getErrorCode() == 1146 || "42S02".equals(e.getSQLState());
        }
    };

    /** The columns of the 0.1.0 layout, which external tools may create themselves. */
    static final String COLUMNS = "table_name, key_version, kms_provider, kms_key_id, encrypted_key, status, created_at";
    /** The columns that authenticate the key rows (docs/format.md, "Key rows"); nullable, added by {@code keys upgrade}. */
    static final String STATE_COLUMNS = "state_seq, state_mac";

    private final String identityType;
    private final String binaryType;
    private final String timestampType;

    KeyTableDialect(String identityType, String binaryType, String timestampType) {
        this.identityType = identityType;
        this.binaryType = binaryType;
        this.timestampType = timestampType;
    }

    /** The dialect of the database behind this metadata, or an error naming the unsupported product. */
    static KeyTableDialect detect(DatabaseMetaData metaData, String keyTable) throws SQLException {
        String product = metaData.getDatabaseProductName();
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (lower.equals("h2") || lower.startsWith("h2 ")) {
            return H2;
        }
        if (lower.contains("mariadb") || lower.contains("mysql")) {
            return MARIADB;
        }
        throw EnvelopeErrors.key("key table " + keyTable + ": database '" + product
                + "' is not supported for the key table (PostgreSQL, H2, MariaDB or MySQL)");
    }

    /** {@code CREATE TABLE IF NOT EXISTS} with the documented columns and primary key and the state columns. */
    String createTableSql(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "table_name " + identityType + " NOT NULL, "
                + "key_version integer NOT NULL, "
                + "kms_provider varchar(32) NOT NULL, "
                + "kms_key_id varchar(2048) NOT NULL, "
                + "encrypted_key " + binaryType + " NOT NULL, "
                + "status varchar(16) NOT NULL, "
                + "created_at " + timestampType + " NOT NULL, "
                + "state_seq bigint, "
                + "state_mac " + binaryType + ", "
                + "PRIMARY KEY (table_name, key_version))";
    }

    /** The statements that add the state columns to a key table of the 0.1.0 layout. */
    List<String> addStateColumnsSql(String table) {
        return List.of("ALTER TABLE " + table + " ADD COLUMN state_seq bigint",
                "ALTER TABLE " + table + " ADD COLUMN state_mac " + binaryType);
    }

    /**
     * An insert of one row ({@link #COLUMNS} order, then {@link #STATE_COLUMNS} when {@code authenticated}) that
     * either inserts it or, for a taken key, does nothing or fails with {@link #isDuplicateKey}.
     */
    String insertSql(String table, boolean authenticated) {
        return plainInsert(table, authenticated);
    }

    static String plainInsert(String table, boolean authenticated) {
        return "INSERT INTO " + table + " (" + COLUMNS + (authenticated ? ", " + STATE_COLUMNS : "")
                + ") VALUES (?, ?, ?, ?, ?, ?, ?" + (authenticated ? ", ?, ?" : "") + ")";
    }

    /** The error an insert raises when the primary key is taken. */
    abstract boolean isDuplicateKey(SQLException e);

    /** The error a concurrent {@code CREATE TABLE IF NOT EXISTS} can raise because the table was just created. */
    abstract boolean isDuplicateTable(SQLException e);

    /** The error a query raises when the table does not exist. */
    abstract boolean isMissingTable(SQLException e);
}
