package io.envelope.jdbc.cli;

import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.sql.SqlDialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;

/**
 * The small pieces of SQL text and stored-value decoding the table commands share, written for the connection's
 * database: PostgreSQL and H2 quote names with {@code "…"}; MySQL and MariaDB with backticks, which name an identifier
 * whatever the session's sql_mode (with ANSI_QUOTES {@code "…"} would do too, without it {@code "…"} is a string).
 */
final class SqlText {

    private final SqlDialect dialect;

    private SqlText(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The SQL text for the database behind {@code connection} (its dialect as the driver reads it). */
    static SqlText of(Connection connection) throws SQLException {
        return new SqlText(SqlDialect.of(connection));
    }

    /** MySQL or MariaDB. */
    boolean mySqlFamily() {
        return dialect.isMySqlFamily();
    }

    /** PostgreSQL (the joined page updates and the hashed shards use its SQL). */
    boolean postgres() {
        return dialect.equals(SqlDialect.POSTGRESQL);
    }

    /** {@code "schema"."table"}: the names exactly as the catalog spells them (a MySQL schema is a database). */
    String qualified(EncryptedTable table) {
        return quote(table.schema()) + "." + quote(table.name());
    }

    String quote(String identifier) {
        String q = dialect.isMySqlFamily() ? "`" : "\"";
        return q + identifier.replace(q, q + q) + q;
    }

    /**
     * An expression whose value is the stored column's bytes, for comparisons that must be exact. A MySQL or
     * MariaDB character column compares under its collation, by default without case and, for PAD SPACE collations,
     * without trailing spaces ({@code 'AQ' = 'aq'}), so its text is compared as bytes there; elsewhere text compares
     * exactly as it is.
     */
    String exactly(String quotedColumn, ColumnStorage storage) {
        return storage == ColumnStorage.BASE64_TEXT && dialect.isMySqlFamily()
                ? "CAST(" + quotedColumn + " AS BINARY)" : quotedColumn;
    }

    /**
     * {@code column = ?} that holds only for exactly the bound text. On MySQL and MariaDB a character column is
     * compared under a binary collation that keeps trailing spaces (MariaDB's {@code utf8mb4_nopad_bin}; MySQL's
     * {@code utf8mb4_bin} pads, so there a value differing only in trailing spaces still matches), after the
     * parameter is converted to utf8mb4, to which any column's character set converts without loss.
     */
    String equalsParameter(String quotedColumn, ColumnStorage storage) {
        if (storage != ColumnStorage.BASE64_TEXT || !dialect.isMySqlFamily()) {
            return quotedColumn + " = ?";
        }
        String collation = dialect.productName().equals("MariaDB") ? "utf8mb4_nopad_bin" : "utf8mb4_bin";
        return quotedColumn + " = CONVERT(? USING utf8mb4) COLLATE " + collation;
    }

    /** The bytes of a character column's base64 text, or null when it is not base64 (so not a stored value). */
    static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
