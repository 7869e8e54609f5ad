package io.envelope.jdbc.schema;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/** How a database folds unquoted identifiers: PostgreSQL to lower case, H2 and Oracle to upper case. */
public enum IdentifierCase {
    LOWER,
    UPPER,
    /** Stored as written (MySQL/MariaDB on case-sensitive file systems); compared as written. */
    AS_WRITTEN;

    /** Reads the folding rule from driver metadata (no round trip in pgJDBC or H2). */
    public static IdentifierCase of(DatabaseMetaData metaData) throws SQLException {
        if (metaData.storesLowerCaseIdentifiers()) {
            return LOWER;
        }
        if (metaData.storesUpperCaseIdentifiers()) {
            return UPPER;
        }
        return AS_WRITTEN;
    }

    /** Folds an unquoted identifier the database's way. */
    public String fold(String unquoted) {
        return switch (this) {
            case LOWER -> unquoted.toLowerCase(Locale.ROOT);
            case UPPER -> unquoted.toUpperCase(Locale.ROOT);
            case AS_WRITTEN -> unquoted;
        };
    }

    /**
     * Normalises one identifier as written in SQL or in the config file: a double-quoted identifier keeps its
     * exact spelling (with {@code ""} unescaped), an unquoted one is folded.
     */
    public String normalize(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return fold(identifier);
    }
}
