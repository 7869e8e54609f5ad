package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The outcome of analysing one SQL string, cached by that string: which parameters to encrypt, which result
 * columns to decrypt, which literals to replace by ciphertext, and how each lookup value can be widened to
 * several candidates. Immutable and shared between connections (a plan with literals is never cached).
 */
public final class StatementPlan {

    /**
     * What the driver supplies to {@link #render}: how many candidates a lookup on a column has (every
     * non-retired key version, plus the plaintext form under {@code accept-plaintext}), and the SQL literal texts
     * of an encrypted literal (one for a stored value, one per candidate for a lookup).
     */
    public interface Candidates {
        int width(EncryptedColumn column) throws SQLException;

        List<String> literals(EncryptedLiteral literal) throws SQLException;

        /**
         * An array of {@code width} placeholders for a widened lookup, in the dialect's syntax, typed as the
         * column's stored values so the server can type its parameters before they are bound (a describe, e.g.
         * {@code getParameterMetaData()}): {@code ARRAY[?, ?]::bytea[]} on PostgreSQL. Null where the database has
         * no arrays: the lookup is then widened to {@code IN (…)}.
         */
        default String storedArray(EncryptedColumn column, int width) throws SQLException {
            return "ARRAY[" + String.join(", ", Collections.nCopies(width, "?")) + "]";
        }
    }

    /**
     * The SQL actually prepared for a plan, and where each JDBC parameter of the application's SQL went in it:
     * parameter {@code i} binds target parameters {@code first(i) … first(i) + width(i) - 1}.
     */
    public static final class Rendered {
        private final String sql;
        private final int[] first;  // null: identity
        private final int[] width;
        private final int shift;    // how many parameters the rendering added in total
        /** Literals rendered as parameters (see {@link #renderForPrepare}): where each one's placeholders are. */
        private final List<LiteralSlot> literalSlots;

        Rendered(String sql, int[] first, int[] width) {
            this(sql, first, width, List.of());
        }

        Rendered(String sql, int[] first, int[] width, List<LiteralSlot> literalSlots) {
            this.sql = sql;
            this.first = first;
            this.width = width;
            this.literalSlots = literalSlots;
            int added = 0;
            if (width != null) {
                for (int w : width) {
                    added += w - 1;
                }
            }
            for (LiteralSlot slot : literalSlots) {
                added += slot.width();
            }
            this.shift = added;
        }

        /**
         * The encrypted literals of the application's SQL that became target parameters, in text order: the
         * driver binds a fresh ciphertext to each at every execution.
         */
        public List<LiteralSlot> literalSlots() {
            return literalSlots;
        }

        public String sql() {
            return sql;
        }

        /** The target statement's index of the application's parameter {@code index} (its first, if widened). */
        public int first(int index) {
            if (first == null) {
                return index;
            }
            return index >= 1 && index <= first.length ? first[index - 1] : index + shift;
        }

        /** How many target parameters the application's parameter {@code index} became (1 unless widened). */
        public int width(int index) {
            return width == null || index < 1 || index > width.length ? 1 : width[index - 1];
        }

        /** True when the SQL and the parameter numbering are the application's own. */
        public boolean isIdentity() {
            return first == null;
        }
    }

    /**
     * An encrypted literal rendered as {@code width} placeholders from target parameter {@code first} (one for a
     * stored value; one per candidate for a lookup).
     */
    public record LiteralSlot(EncryptedLiteral literal, int first, int width) {
    }

    /**
     * A column list written into a positional INSERT's text (see {@link #render}).
     *
     * @param at   where it goes: before the INSERT's VALUES or query
     * @param text {@code ("a", "b") }, the table's columns the analysis mapped the values to
     */
    public record ColumnList(int at, String text) {
    }

    private final String sql;
    private final int[] placeholders;
    private final boolean passThrough;
    private final ColumnList columnList;
    private final ParameterTarget[] parameters;
    private final MatchShape[] shapes;
    private final List<EncryptedLiteral> literals;
    private final ResultShape results;
    private final EncryptedTable writeTarget;
    private final boolean errorsIgnored;
    /**
     * Per parameter of {@link MatchShape#EQUALS} or {@link MatchShape#NOT_EQUALS} shape, the offset of the
     * {@code =} or {@code <>} right before it (a database without arrays widens {@code c = ?} to
     * {@code c IN (?, ?)}); -1 elsewhere. Null: none known.
     */
    private final int[] operators;

    private StatementPlan(String sql, int[] placeholders, boolean passThrough, ParameterTarget[] parameters,
                          MatchShape[] shapes, List<EncryptedLiteral> literals, ResultShape results,
                          EncryptedTable writeTarget, ColumnList columnList) {
        this(sql, placeholders, passThrough, parameters, shapes, literals, results, writeTarget, columnList, false,
                null);
    }

    private StatementPlan(String sql, int[] placeholders, boolean passThrough, ParameterTarget[] parameters,
                          MatchShape[] shapes, List<EncryptedLiteral> literals, ResultShape results,
                          EncryptedTable writeTarget, ColumnList columnList, boolean errorsIgnored,
                          int[] operators) {
        this.errorsIgnored = errorsIgnored;
        this.operators = operators;
        this.columnList = columnList;
        this.sql = sql;
        this.placeholders = placeholders;
        this.passThrough = passThrough;
        this.parameters = parameters;
        this.shapes = shapes;
        this.literals = literals;
        this.results = results;
        this.writeTarget = writeTarget;
    }

    /** A statement that touches no encrypted column: sent as it is, results returned as they are. */
    public static StatementPlan passThrough(String sql) {
        return new StatementPlan(sql, new int[0], true, new ParameterTarget[0], new MatchShape[0], List.of(),
                ResultShape.NONE, null, null);
    }

    /**
     * @param sql          the SQL as the application wrote it
     * @param placeholders the character offset of each {@code ?} placeholder, as the dialect's lexer found them
     * @param parameters   index 0 is JDBC parameter 1; null entries are parameters sent as they are
     * @param results      the encrypted columns of the result (for SELECT and RETURNING)
     * @param writeTarget  the configured table an INSERT/UPDATE writes, for {@code getGeneratedKeys()}; or null
     */
    static StatementPlan encrypted(String sql, int[] placeholders, ParameterTarget[] parameters, MatchShape[] shapes,
                                   List<EncryptedLiteral> literals, ResultShape results, EncryptedTable writeTarget) {
        List<EncryptedLiteral> sorted = new ArrayList<>(literals);
        sorted.sort(Comparator.comparingInt(EncryptedLiteral::start));
        return new StatementPlan(sql, placeholders.clone(), false, parameters.clone(), shapes.clone(),
                List.copyOf(sorted), results, writeTarget, null);
    }

    /**
     * This plan with a column list to write into its positional INSERT (null: none), so the database maps the
     * values by name as the analysis did, whatever happened to the table's column order since.
     */
    StatementPlan withColumnList(ColumnList list) {
        return list == null ? this : new StatementPlan(sql, placeholders, passThrough, parameters, shapes, literals,
                results, writeTarget, list, errorsIgnored, operators);
    }

    /**
     * This plan marked as a MySQL write with the IGNORE modifier ({@code INSERT IGNORE}, {@code UPDATE IGNORE}),
     * see {@link #errorsIgnored()}.
     */
    StatementPlan withErrorsIgnored(boolean ignored) {
        return ignored == errorsIgnored ? this : new StatementPlan(sql, placeholders, passThrough, parameters, shapes,
                literals, results, writeTarget, columnList, ignored, operators);
    }

    /** This plan knowing where the comparison operator of each parameter is (see {@link #operators}). */
    StatementPlan withOperators(int[] offsets) {
        return new StatementPlan(sql, placeholders, passThrough, parameters, shapes, literals, results, writeTarget,
                columnList, errorsIgnored, offsets.clone());
    }

    /**
     * True for a MySQL or MariaDB write with the IGNORE modifier: the server turns its errors into warnings, a
     * value too long for its column included, which it then truncates even under a strict {@code sql_mode}. A
     * ciphertext stored by such a statement is not protected by the session's strictness
     * ({@link SqlDialect#failsOverlongValues()}): its width has to be checked before it is sent.
     */
    public boolean errorsIgnored() {
        return errorsIgnored;
    }

    /** The SQL as the application wrote it (send {@link #render}'s SQL: it may differ). */
    public String sql() {
        return sql;
    }

    /** True when nothing in the statement is encrypted: no parameter, literal or result column. */
    public boolean isPassThrough() {
        return passThrough;
    }

    /** What JDBC parameter {@code index} (1-based) binds to, or null when it is sent as it is. */
    public ParameterTarget parameter(int index) {
        return index >= 1 && index <= parameters.length ? parameters[index - 1] : null;
    }

    /** Where a MATCH parameter sits, which says how it can be widened; null for other parameters. */
    public MatchShape shape(int index) {
        return index >= 1 && index <= shapes.length ? shapes[index - 1] : null;
    }

    /** The number of parameters analysis saw (the highest {@code ?} position). */
    public int parameterCount() {
        return parameters.length;
    }

    /** The literals for encrypted columns in the SQL text, in text order (never printed). */
    public List<EncryptedLiteral> literals() {
        return literals;
    }

    public ResultShape results() {
        return results;
    }

    /** The configured table an INSERT or UPDATE writes, or null. */
    public EncryptedTable writeTarget() {
        return writeTarget;
    }

    /** True when the SQL may have to change before it is sent (literals, or lookups that may be widened). */
    public boolean mayRewrite() {
        if (!literals.isEmpty() || columnList != null) {
            return true;
        }
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] != null && parameters[i].use() == ParameterTarget.Use.MATCH) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SQL to send: each encrypted literal replaced by its ciphertext literal(s), and each lookup parameter
     * widened to as many placeholders as its column has candidates. With one candidate everywhere and no
     * literal, the application's SQL is returned unchanged (the common case costs nothing).
     *
     * @throws SQLException a refusal when a lookup has several candidates where the SQL cannot be widened
     */
    public Rendered render(Candidates candidates) throws SQLException {
        return render(candidates, false);
    }

    /**
     * As {@link #render}, for a prepared statement: each encrypted literal becomes placeholders (listed in
     * {@link Rendered#literalSlots()}) instead of a ciphertext, so the driver encrypts it afresh at every
     * execution, under the write key of that moment, like a bound value (a randomized ciphertext is never
     * stored twice).
     */
    public Rendered renderForPrepare(Candidates candidates) throws SQLException {
        return render(candidates, true);
    }

    private Rendered render(Candidates candidates, boolean literalsAsParameters) throws SQLException {
        if (!mayRewrite()) {
            return new Rendered(sql, null, null);
        }
        int count = parameters.length;
        int[] widths = new int[count];
        boolean widened = false;
        for (int i = 0; i < count; i++) {
            widths[i] = 1;
            ParameterTarget t = parameters[i];
            if (t != null && t.use() == ParameterTarget.Use.MATCH) {
                int w = Math.max(1, candidates.width(t.column()));
                if (w > 1 && shapes[i] == MatchShape.FIXED) {
                    throw Refusals.notWidenable(t.column(), w);
                }
                widths[i] = w;
                widened |= w > 1;
            }
        }
        if (!widened && literals.isEmpty() && columnList == null) {
            return new Rendered(sql, null, null);
        }
        int[] positions = placeholders;
        if (positions.length != count) {
            throw Refusals.parameterNumbering(parameters.length == 0 ? null : firstColumn());
        }
        // Edits in text order: literals and widened placeholders never overlap (a literal holds no ?).
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int[] first = new int[count];
        int copied = 0;
        int li = 0;
        int next = 1;
        List<LiteralSlot> slots = literalsAsParameters ? new ArrayList<>(literals.size()) : List.of();
        boolean listWritten = columnList == null;
        for (int p = 0; p <= count; p++) {
            int until = p < count ? positions[p] : sql.length();
            // the literals and the column list that come before this placeholder, in text order
            while (true) {
                int literalAt = li < literals.size() ? literals.get(li).start() : Integer.MAX_VALUE;
                if (!listWritten && columnList.at() <= until && columnList.at() <= literalAt) {
                    out.append(sql, copied, columnList.at()).append(columnList.text());
                    copied = columnList.at();
                    listWritten = true;
                } else if (literalAt < until) {
                    EncryptedLiteral l = literals.get(li++);
                    if (literalsAsParameters) {
                        int w = l.use() == ParameterTarget.Use.STORE ? 1
                                : Math.max(1, candidates.width(l.column()));
                        if (w > 1 && l.shape() == MatchShape.FIXED) {
                            throw Refusals.notWidenable(l.column(), w);
                        }
                        slots.add(new LiteralSlot(l, next, w));
                        next += w;
                        if (w > 1) {
                            appendWidened(out, copied, l.start(), l.operatorAt(), l.shape(), l.column(),
                                    Collections.nCopies(w, "?"), true, candidates);
                        } else {
                            append(out, copied, l.start(), "?");
                        }
                    } else {
                        List<String> texts = candidates.literals(l);
                        if (texts.size() > 1 && l.use() == ParameterTarget.Use.MATCH) {
                            appendWidened(out, copied, l.start(), l.operatorAt(), l.shape(), l.column(), texts, false,
                                    candidates);
                        } else {
                            append(out, copied, l.start(), single(texts));
                        }
                    }
                    copied = l.end();
                } else {
                    break;
                }
            }
            if (p == count) {
                break;
            }
            first[p] = next;
            next += widths[p];
            if (widths[p] > 1) {
                appendWidened(out, copied, positions[p], operators == null ? -1 : operators[p], shapes[p],
                        parameters[p].column(), Collections.nCopies(widths[p], "?"), true, candidates);
            } else {
                append(out, copied, positions[p], "?");
            }
            copied = positions[p] + 1;
        }
        out.append(sql, copied, sql.length());
        return new Rendered(out.toString(), first, widths, literalsAsParameters ? List.copyOf(slots) : List.of());
    }

    private EncryptedColumn firstColumn() {
        for (ParameterTarget t : parameters) {
            if (t != null) {
                return t.column();
            }
        }
        return null;
    }

    /** The one ciphertext literal of a stored value, or of a lookup with one candidate. */
    private static String single(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalStateException("no ciphertext for a literal");
        }
        return texts.get(0);
    }

    /** Appends the SQL from {@code copied} to {@code at}, then {@code text}. */
    private void append(StringBuilder out, int copied, int at, String text) {
        out.append(sql, copied, at).append(text);
    }

    /**
     * Appends the SQL from {@code copied} up to a lookup value at {@code at}, then the value widened to the
     * {@code items} (placeholders or ciphertext literals) in the lookup's shape: {@code = ANY (array)},
     * {@code <> ALL (array)} or more list items; where the database has no arrays, {@code c = ?} becomes
     * {@code c IN (…)} from the operator at {@code operatorAt} on.
     *
     * @throws SQLException a refusal where the value sits in no shape that can be widened
     */
    private void appendWidened(StringBuilder out, int copied, int at, int operatorAt, MatchShape shape,
                               EncryptedColumn column, List<String> items, boolean placeholders,
                               Candidates candidates) throws SQLException {
        String list = String.join(", ", items);
        switch (shape) {
            case LIST_ITEM -> append(out, copied, at, list);
            case EQUALS, NOT_EQUALS -> {
                String typed = candidates.storedArray(column, items.size());
                if (typed != null) {
                    // placeholders get the column's stored type; a literal carries its own
                    String array = placeholders ? typed : "ARRAY[" + list + "]";
                    append(out, copied, at, (shape == MatchShape.EQUALS ? "ANY (" : "ALL (") + array + ")");
                } else if (operatorAt >= copied && operatorAt < at) {
                    append(out, copied, operatorAt, (shape == MatchShape.EQUALS ? " IN (" : " NOT IN (") + list + ")");
                } else {
                    throw Refusals.notWidenable(column, items.size());
                }
            }
            default -> throw Refusals.notWidenable(column, items.size());
        }
    }

    @Override
    public String toString() {
        return "StatementPlan[" + (passThrough ? "pass-through" : parameters.length + " parameters, "
                + literals.size() + " literals") + "]"; // never the SQL: it may carry a literal
    }
}
