package io.envelope.jdbc.schema;

import io.envelope.jdbc.crypto.CiphertextWidths;

/**
 * One column as the database's catalog describes it.
 *
 * @param sqlType  its {@link java.sql.Types} code
 * @param typeName the database's name of its type
 * @param size     its declared length: characters for a character type, bytes for a binary one; 0 or less
 *                 when the driver reports none, {@link Integer#MAX_VALUE} or more for an unbounded type
 * @param storage  how it holds ciphertext, or null when it cannot (see {@link ColumnStorage})
 */
public record PhysicalColumn(int sqlType, String typeName, long size, ColumnStorage storage) {

    /** Whether the type has a length limit (varchar(n), varbinary(n), MySQL's blob and text types). */
    public boolean bounded() {
        return size > 0 && size < Integer.MAX_VALUE;
    }

    /** The type as a person would write it: {@code varchar(40)}, {@code bytea}. */
    public String describe() {
        return bounded() && !typeName.contains("(") ? typeName + "(" + size + ")" : typeName;
    }

    /**
     * The longest stored value (in bytes, before base64 for a character column) the column holds whole;
     * {@link Long#MAX_VALUE} when it is unbounded.
     */
    public long capacityBytes() {
        if (!bounded()) {
            return Long.MAX_VALUE;
        }
        return storage == ColumnStorage.BASE64_TEXT ? CiphertextWidths.bytesInBase64Chars(size) : size;
    }
}
