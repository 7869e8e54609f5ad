package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;

import java.util.Arrays;

/**
 * Which columns of a statement's result hold encrypted values, by 1-based position, as SQL analysis found
 * them. The wrapper's ResultSet decrypts those and checks that the real result has the expected width, so a
 * table altered since the analysis fails closed instead of decrypting the wrong column.
 */
public final class ResultShape {

    /** A result with no encrypted column (or a statement with no result). */
    public static final ResultShape NONE = new ResultShape(new EncryptedColumn[0], -1);

    private final EncryptedColumn[] columns;
    private final int columnCount;
    private final boolean hasEncrypted;

    /**
     * @param columns     index 0 is result column 1; null entries are plaintext columns
     * @param columnCount the expected number of result columns, or -1 when not known
     */
    public ResultShape(EncryptedColumn[] columns, int columnCount) {
        this.columns = columns.clone();
        this.columnCount = columnCount;
        this.hasEncrypted = Arrays.stream(columns).anyMatch(c -> c != null);
    }

    /** The encrypted column at this 1-based result position, or null. */
    public EncryptedColumn column(int position) {
        return position >= 1 && position <= columns.length ? columns[position - 1] : null;
    }

    /** The expected number of result columns, or -1 when analysis could not know it. */
    public int columnCount() {
        return columnCount;
    }

    public boolean hasEncryptedColumns() {
        return hasEncrypted;
    }
}
