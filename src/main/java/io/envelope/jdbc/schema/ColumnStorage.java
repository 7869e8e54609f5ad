package io.envelope.jdbc.schema;

import java.sql.Types;

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
}
