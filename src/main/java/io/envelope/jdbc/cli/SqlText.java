package io.envelope.jdbc.cli;

import io.envelope.jdbc.schema.EncryptedTable;

import java.util.Base64;

/** The small pieces of SQL text and stored-value decoding the table commands share. */
final class SqlText {

    private SqlText() {
    }

    /** {@code "schema"."table"}: the names exactly as the catalog spells them. */
    static String qualified(EncryptedTable table) {
        return quote(table.schema()) + "." + quote(table.name());
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
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
