package io.envelope.jdbc.driver;

import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.sql.ResultShape;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Compares a result's metadata with what its plan expected — the width, the labels of columns a {@code *} took
 * from a table's layout, and that each encrypted position has a type that stores ciphertext the way that column
 * does — using only what the target driver already received with the result (no round trip). A difference
 * means a table changed since its layout was read: the positions the plan marks encrypted may now hold other
 * columns, and an encrypted column may sit where the plan expects plaintext.
 */
final class ResultCheck {

    private ResultCheck() {
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
