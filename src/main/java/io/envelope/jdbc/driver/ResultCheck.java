package io.envelope.jdbc.driver;

import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.sql.ResultShape;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Base64;

/**
 * Compares a result's metadata with what its plan expected — the width, the labels of columns a {@code *} took
 * from a table's layout, and that each encrypted position has a type that stores ciphertext the way that column
 * does — using only what the target driver already received with the result (no round trip). A difference
 * means a table changed since its layout was read: the positions the plan marks encrypted may now hold other
 * columns, and an encrypted column may sit where the plan expects plaintext.
 */
final class ResultCheck {

    /** The shortest stored value (a randomized empty string, 51 bytes) as unpadded base64. */
    private static final int MIN_BASE64_VALUE = 68;

    private ResultCheck() {
    }

    /**
     * The positions that the plan marks plaintext although the database labels them with the name of an encrypted
     * column the plan decrypts elsewhere, in a type that can hold ciphertext (index 0 is result column 1; null when
     * there are none). Usually an alias that borrows the name; after a table change that the metadata could not
     * show (a {@code *} over a derived table), the encrypted column itself — so the values at these positions are
     * looked at before they are handed out ({@link #holdsEnvelopeValue}).
     */
    static EncryptedColumn[] lookalikes(ResultSetMetaData metaData, ResultShape shape) throws SQLException {
        int count = metaData.getColumnCount();
        EncryptedColumn[] found = null;
        for (int position = 1; position <= count; position++) {
            if (shape.column(position) != null) {
                continue;
            }
            // the label first: asking a column's type costs the target driver a lookup, and most labels match nothing
            EncryptedColumn named = shape.encryptedNamed(metaData.getColumnLabel(position));
            if (named != null && ColumnStorage.ofSqlType(metaData.getColumnType(position)) != null) {
                if (found == null) {
                    found = new EncryptedColumn[count];
                }
                found[position - 1] = named;
            }
        }
        return found;
    }

    /**
     * True when the value at {@code position} is in envelope format (raw bytes, or base64 text): ciphertext that
     * must not be handed out as data. Says nothing about authenticity; a plaintext value matches by chance only
     * if it happens to carry a valid header and length.
     */
    static boolean holdsEnvelopeValue(ResultSet result, int position, EncryptedColumn like) throws SQLException {
        if (ColumnStorage.ofSqlType(result.getMetaData().getColumnType(position)) == ColumnStorage.BINARY) {
            byte[] bytes = result.getBytes(position);
            return bytes != null && like.cipher().isEnvelopeFormat(bytes);
        }
        String text = result.getString(position);
        if (text == null || text.length() < MIN_BASE64_VALUE) {
            return false;
        }
        try {
            return like.cipher().isEnvelopeFormat(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** A description of the first difference (column names only, never values), or null when they agree. */
    static String mismatch(ResultSetMetaData metaData, ResultShape shape, ConnectionCatalog catalog)
            throws SQLException {
        int actual = metaData.getColumnCount();
        int expected = shape.columnCount();
        if (expected >= 0 && actual != expected) {
            return "the result has " + actual + " columns where " + expected + " were expected";
        }
        for (int position = 1; position <= actual; position++) {
            String label = shape.label(position);
            if (label != null && !label.equals(metaData.getColumnLabel(position))) {
                return "result column " + position + " is " + metaData.getColumnLabel(position) + " where "
                        + label + " was expected";
            }
            EncryptedColumn column = shape.column(position);
            if (column != null
                    && ColumnStorage.ofSqlType(metaData.getColumnType(position)) != catalog.storage(column)) {
                return "result column " + position + " (" + metaData.getColumnLabel(position) + ") has type "
                        + metaData.getColumnTypeName(position) + ", which is not how encrypted column "
                        + column.qualifiedName() + " is stored";
            }
        }
        return null;
    }
}
