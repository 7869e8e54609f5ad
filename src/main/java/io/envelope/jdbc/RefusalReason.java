package io.envelope.jdbc;

import java.util.Locale;

/**
 * Why envelope-jdbc refused a statement or a value before sending it: the label under which
 * {@link EnvelopeMetrics} counts refusals (Micrometer tag {@code reason}). A fixed list, so a metrics system sees a
 * bounded set of values; the groups follow the README's "Limits, honestly".
 */
public enum RefusalReason {
    /** SQL naming a configured table that the parser cannot read. */
    UNPARSABLE,
    /** Several {@code ;}-separated statements in one string. */
    MULTIPLE_STATEMENTS,
    /** {@code ORDER BY} an encrypted column. */
    ORDER_BY,
    /** {@code <}, {@code >}, {@code BETWEEN} on an encrypted column. */
    RANGE_COMPARISON,
    /** {@code LIKE}, {@code SIMILAR TO}, regular expressions on an encrypted column. */
    PATTERN_MATCH,
    /** Equality on a randomized column. */
    RANDOMIZED_COMPARISON,
    /** {@code GROUP BY}, {@code DISTINCT} or a set operation that compares values of a randomized column. */
    RANDOMIZED_GROUPING,
    /** A function, cast, arithmetic or {@code CASE} over an encrypted column. */
    EXPRESSION,
    /** A literal for an encrypted column that cannot be encrypted in place (or sits in DDL). */
    LITERAL,
    /** A value for an encrypted column that is not a bare {@code ?} parameter, {@code NULL} or plain literal. */
    NOT_A_PARAMETER,
    /** Two different encrypted columns, or an encrypted and a plaintext one, compared, copied or combined. */
    DIFFERENT_COLUMNS,
    /** A column reference (or {@code *}) that cannot be resolved safely. */
    UNRESOLVED_COLUMN,
    /** A whole-row reference to a table with encrypted columns. */
    WHOLE_ROW,
    /** Named or numbered parameters instead of {@code ?}. */
    PARAMETER_STYLE,
    /** A lookup that cannot match every key version (or plaintext form) of its column. */
    KEY_VERSIONS,
    /** SQL naming a view that reads encrypted columns, or a table above a configured one in an inheritance tree. */
    VIEW,
    /** Text the database and the analysis could read differently (strings, comments, names, statement count). */
    LEXICAL,
    /** Renaming a configured table or an encrypted column, or moving the table to another schema. */
    RENAME,
    /** DDL that would put a value into an encrypted column or create a configured table from a query. */
    DDL_VALUE,
    /** A Java value bound to an encrypted column that is not of the column's plaintext type. */
    VALUE_TYPE,
    /** The table's definition changed since the statement was analysed. */
    SCHEMA_CHANGED,
    /** A construct envelope-jdbc does not analyse (yet). */
    NOT_SUPPORTED,
    /** Anything not given a reason of its own. */
    OTHER;

    /** The label as metrics show it: the name in lower case with dashes ({@code order-by}). */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
