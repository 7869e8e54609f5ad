package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;

/**
 * A literal for an encrypted column found in SQL text: where it is (a character range of the plan's SQL), the
 * column it is stored into or compared with, and its plaintext text. The driver replaces the range with the
 * encrypted form before the SQL is sent. Holds a plaintext: never printed, and plans carrying one are never
 * cached.
 */
public final class EncryptedLiteral {

    private final int start;
    private final int end;
    private final EncryptedColumn column;
    private final ParameterTarget.Use use;
    private final MatchShape shape;
    private final String value;
    private final int operatorAt;

    EncryptedLiteral(int start, int end, EncryptedColumn column, ParameterTarget.Use use, MatchShape shape,
                     String value) {
        this(start, end, column, use, shape, value, -1);
    }

    private EncryptedLiteral(int start, int end, EncryptedColumn column, ParameterTarget.Use use, MatchShape shape,
                             String value, int operatorAt) {
        this.start = start;
        this.end = end;
        this.column = column;
        this.use = use;
        this.shape = shape;
        this.value = value;
        this.operatorAt = operatorAt;
    }

    /** This literal, knowing where the comparison operator before it starts (see {@link #operatorAt()}). */
    EncryptedLiteral withOperatorAt(int offset) {
        return new EncryptedLiteral(start, end, column, use, shape, value, offset);
    }

    /**
     * For a lookup of {@link MatchShape#EQUALS} or {@link MatchShape#NOT_EQUALS} shape, the offset of the
     * {@code =} or {@code <>} right before the literal, which a database without arrays widens to
     * {@code IN (…)}; else -1.
     */
    int operatorAt() {
        return operatorAt;
    }

    /** First character of the literal (including any cast written around it). */
    public int start() {
        return start;
    }

    /** One past the last character. */
    public int end() {
        return end;
    }

    public EncryptedColumn column() {
        return column;
    }

    public ParameterTarget.Use use() {
        return use;
    }

    public MatchShape shape() {
        return shape;
    }

    /** The plaintext as text, to be canonicalised to the column's plaintext type by its cipher. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "EncryptedLiteral[" + column.qualifiedName() + ", " + use + "]"; // never the value
    }
}
