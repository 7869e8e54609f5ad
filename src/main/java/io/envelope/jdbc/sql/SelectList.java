package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The result columns of a select list or RETURNING list: which positions hold an encrypted column (to be
 * decrypted), how wide the result is, and the output names ORDER BY / GROUP BY may refer to.
 */
final class SelectList {

    /**
     * The analysed list. {@code positions.get(i)} is result column i+1, null when plaintext. {@code layoutLabels},
     * when not null, holds for each position the name of the table column a {@code *} put there (exactly what
     * the database will label it), null elsewhere.
     */
    record Result(List<EncryptedColumn> positions, boolean widthKnown, Map<String, Integer> outputNames,
                  List<String> names, List<String> layoutLabels) {

        Result(List<EncryptedColumn> positions, boolean widthKnown, Map<String, Integer> outputNames) {
            this(positions, widthKnown, outputNames, List.of());
        }

        Result(List<EncryptedColumn> positions, boolean widthKnown, Map<String, Integer> outputNames,
               List<String> names) {
            this(positions, widthKnown, outputNames, names, null);
        }

        ResultShape shape() {
            String[] labels = layoutLabels == null || layoutLabels.size() != positions.size() ? null
                    : layoutLabels.toArray(new String[0]);
            return new ResultShape(positions.toArray(new EncryptedColumn[0]), widthKnown ? positions.size() : -1,
                    labels);
        }

        boolean hasEncrypted() {
            return positions.stream().anyMatch(c -> c != null);
        }

        /** The encrypted column at a 1-based position, or null (also when out of range). */
        EncryptedColumn at(int position) {
            return position >= 1 && position <= positions.size() ? positions.get(position - 1) : null;
        }
    }

    static final Result EMPTY = new Result(List.of(), true, Map.of(), List.of());

    /** PostgreSQL's name for an output column without alias that is no column reference. */
    static final String UNNAMED = "?column?";

    private SelectList() {
    }

    static Result analyse(List<SelectItem<?>> items, FromScope scope, ExpressionRules rules, AnalysisContext ctx,
                          String clause) throws SQLException {
        List<EncryptedColumn> positions = new ArrayList<>();
        List<String> columnNames = new ArrayList<>();
        List<String> layoutLabels = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        boolean widthKnown = true;
        boolean afterUnknownWidth = false;
        for (SelectItem<?> item : items) {
            Expression e = item.getExpression();
            if (e instanceof AllTableColumns star) {
                FromScope.Entry entry = scope.entryFor(star.getTable());
                if (entry == null) {
                    // t.* naming nothing in FROM: the database will reject it; refuse if it spells a configured table.
                    var direct = ctx.schema().table(
                            star.getTable().getSchemaName() == null ? null
                                    : ctx.normalize(star.getTable().getSchemaName()),
                            ctx.normalize(star.getTable().getName()));
                    if (direct != null) {
                        throw Refusals.starUnknown(direct.identity());
                    }
                    widthKnown = false;
                    afterUnknownWidth = true;
                    continue;
                }
                if (!expand(entry, positions, columnNames, layoutLabels, afterUnknownWidth)) {
                    widthKnown = false;
                    afterUnknownWidth = true;
                }
            } else if (e instanceof AllColumns star) {
                boolean hasExcept = star.getExceptColumns() != null && !star.getExceptColumns().isEmpty();
                boolean hasReplace = star.getReplaceExpressions() != null && !star.getReplaceExpressions().isEmpty();
                for (FromScope.Entry entry : scope.entries()) {
                    if (entry.configured != null && (hasExcept || hasReplace)) {
                        throw Refusals.starUnknown(entry.configured.identity());
                    }
                    if (!expand(entry, positions, columnNames, layoutLabels, afterUnknownWidth)) {
                        widthKnown = false;
                        afterUnknownWidth = true;
                    }
                }
            } else {
                EncryptedColumn column = rules.encryptedColumn(e, scope);
                if (column == null) {
                    rules.value(e, scope, clause);
                }
                if (afterUnknownWidth && column != null) {
                    throw Refusals.starUnknown(column.table().identity());
                }
                positions.add(column);
                layoutLabels.add(null);
                String name = item.getAlias() != null ? item.getAlias().getName()
                        : ExpressionRules.unwrap(e) instanceof Column c ? c.getColumnName() : null;
                columnNames.add(name != null ? ctx.normalize(name)
                        : ExpressionRules.unwrap(e) instanceof net.sf.jsqlparser.expression.Function f
                        && f.getName() != null ? ctx.normalize(f.getName()) : UNNAMED);
                if (name != null && !afterUnknownWidth) {
                    names.putIfAbsent(ctx.normalize(name), positions.size());
                }
            }
        }
        return new Result(positions, widthKnown, names, columnNames, layoutLabels);
    }

    /** Appends a FROM item's columns; false when its width is unknown (nothing appended). */
    private static boolean expand(FromScope.Entry entry, List<EncryptedColumn> positions, List<String> names,
                                  List<String> layoutLabels, boolean afterUnknownWidth) throws SQLException {
        boolean fromLayout = entry.derived == null && entry.name != null; // a table's columns, as the catalog spells them
        if (!entry.columnsKnown()) {
            if (entry.configured != null) {
                throw Refusals.starUnknown(entry.configured.identity());
            }
            return false;
        }
        if (afterUnknownWidth && entry.configured != null && !entry.configured.columns().isEmpty()) {
            throw Refusals.starUnknown(entry.configured.identity());
        }
        for (int i = 0; i < entry.columns.size(); i++) {
            EncryptedColumn c = entry.at(i);
            if (afterUnknownWidth && c != null) {
                throw Refusals.starUnknown(c.table().identity());
            }
            positions.add(c);
            names.add(entry.columns.get(i));
            layoutLabels.add(fromLayout ? entry.columns.get(i) : null);
        }
        return true;
    }
}
