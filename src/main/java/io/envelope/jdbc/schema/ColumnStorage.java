package io.envelope.jdbc.schema;

import java.sql.Types;
import java.util.Locale;

/** The physical type of an encrypted column in the database (see docs/format.md). */
public enum ColumnStorage {
    /** bytea / varbinary / blob: the stored value's raw bytes. */
    BINARY,
    /** text / varchar / char / clob: the same bytes as unpadded base64. */
    BASE64_TEXT;

    /** The storage for a {@link Types} code from driver metadata, or null when it can hold no ciphertext. */
    public static ColumnStorage ofSqlType(int sqlType) {
        return switch (sqlType) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB,
                    Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.NCLOB -> BASE64_TEXT;
            default -> null;
        };
    }

    /**
     * The storage of a MySQL or MariaDB column, by its type's name (their drivers' type codes lump types
     * together): {@code VARBINARY} and the {@code BLOB} types keep raw bytes, {@code VARCHAR}, {@code CHAR} and
     * the {@code TEXT} types keep base64. Null for any other, {@code BINARY(n)} included: it pads a shorter value
     * with zero bytes that would be read back as part of it.
     */
    public static ColumnStorage ofMySqlType(String typeName) {
        String type = typeName == null ? "" : typeName.trim().toUpperCase(Locale.ROOT);
        int paren = type.indexOf('(');
        if (paren >= 0) {
            type = type.substring(0, paren).trim();
        }
        return switch (type) {
            case "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> BINARY;
            case "VARCHAR", "CHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT" -> BASE64_TEXT;
            default -> null;
        };
    }
}
