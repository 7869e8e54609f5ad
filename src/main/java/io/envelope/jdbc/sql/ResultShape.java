package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which columns of a statement's result hold encrypted values, by 1-based position, as SQL analysis found
 * them, and what the analysis expects of the real result: its width, and the labels of the columns that came
 * from a table's layout ({@code *}, {@code t.*}). The driver compares these with the result's metadata at every
 * execution, so a table altered since the analysis is noticed (and the statement analysed again) instead of
 * decrypting the wrong column or handing out ciphertext as data.
 */
public final class ResultShape {

    /** A result with no encrypted column (or a statement with no result). */
    public static final ResultShape NONE = new ResultShape(new EncryptedColumn[0], -1);

    private final EncryptedColumn[] columns;
    private final int columnCount;
    private final boolean hasEncrypted;
    private final String[] labels;
    /** Each encrypted column's name (as the catalog spells it), to the first position's column of that name. */
    private final Map<String, EncryptedColumn> encryptedByName;

    /**
     * @param columns     index 0 is result column 1; null entries are plaintext columns
     * @param columnCount the expected number of result columns, or -1 when not known
     */
    public ResultShape(EncryptedColumn[] columns, int columnCount) {
        this(columns, columnCount, null);
    }

    /**
     * @param labels index 0 is result column 1: the column name the database will label it with when the
     *               analysis knows it for certain (a column of a table's layout), else null; null for none
     */
    public ResultShape(EncryptedColumn[] columns, int columnCount, String[] labels) {
        this.columns = columns.clone();
        this.columnCount = columnCount;
        this.hasEncrypted = Arrays.stream(columns).anyMatch(c -> c != null);
        this.labels = labels == null || Arrays.stream(labels).allMatch(l -> l == null) ? null : labels.clone();
        Map<String, EncryptedColumn> byName = new HashMap<>();
        for (EncryptedColumn c : columns) {
            if (c != null) {
                byName.putIfAbsent(c.name(), c);
            }
        }
        this.encryptedByName = Map.copyOf(byName);
    }

    /** The label the database must give result column {@code position}, or null when analysis cannot know it. */
    public String label(int position) {
        return labels != null && position >= 1 && position <= labels.length ? labels[position - 1] : null;
    }

    /** True when there is anything to compare with a result's metadata. */
    public boolean hasExpectations() {
        return hasEncrypted || labels != null || columnCount >= 0;
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

    /**
     * The encrypted column of this result named {@code label} (the one at the lowest position when several are),
     * or null: checked against every plaintext column's label at every execution, so looked up, not searched.
     */
    public EncryptedColumn encryptedNamed(String label) {
        return label == null ? null : encryptedByName.get(label);
    }
}
