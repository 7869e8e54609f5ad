package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a write may store into a column — INSERT VALUES, UPDATE SET, INSERT ... SET, ON CONFLICT DO UPDATE SET — and
 * the RETURNING list of a write: shared by {@link InsertAnalysis} and {@link UpdateDeleteAnalysis}.
 */
final class AssignmentRules {

    private final AnalysisContext ctx;
    private final ExpressionRules rules;

    AssignmentRules(AnalysisContext ctx, ExpressionRules rules) {
        this.ctx = ctx;
        this.rules = rules;
    }

    /**
     * A value stored into a column (INSERT VALUES, UPDATE SET): for an encrypted column only a ? parameter
     * (encrypted as STORE), NULL, DEFAULT, a literal (encrypted in place), the column itself, ON CONFLICT's
     * EXCLUDED copy of it, or — in MySQL's ON DUPLICATE KEY UPDATE — {@code VALUES(column)}, the value the
     * statement was inserting into that same column.
     *
     * @param newRow the table whose new row {@code VALUES(c)} reads (MySQL's ON DUPLICATE KEY UPDATE), or null
     *               where {@code VALUES(c)} is not analysed (it is then an expression like any other)
     */
    void store(Expression value, EncryptedColumn column, String operation, FromScope scope,
                       FromScope.Entry newRow) throws SQLException {
        Expression x = ExpressionRules.unwrap(value);
        if (column == null) {
            if (x instanceof Column c && isDefault(c)) {
                ctx.examined(c);
                return;
            }
            rules.value(value, scope, operation);
            return;
        }
        if (x instanceof JdbcParameter p) {
            ctx.target(p, column, ParameterTarget.Use.STORE);
        } else if (x instanceof NullValue) {
            return;
        } else if (x instanceof Column c && isDefault(c)) {
            ctx.examined(c);
        } else if (newRow != null && newRowColumn(x, scope, newRow) != null) {
            Column c = newRowColumn(x, scope, newRow);
            ctx.examined(c);
            EncryptedColumn source = newRow.encrypted(ctx.normalize(c.getColumnName()));
            if (source != column) {
                if (source != null) {
                    throw Refusals.copyColumn(source, column, operation);
                }
                throw Refusals.store(column, operation);
            }
            // VALUES(email) into email: the ciphertext this statement is inserting there, already encrypted for it.
        } else if (newRow != null && choice(x) != null) {
            // Hibernate's versioned upsert on MySQL: email = IF(customers.version = ?, VALUES(email), customers.email).
            // Either branch is checked as a value stored into the column itself, the condition as a predicate: the
            // result is one of the two, so it is the column's ciphertext (or a parameter encrypted for it).
            Function f = choice(x);
            rules.predicate(f.getParameters().get(0), scope, operation);
            store(f.getParameters().get(1), column, operation, scope, newRow);
            store(f.getParameters().get(2), column, operation, scope, newRow);
        } else if (x instanceof Column c) {
            EncryptedColumn source = scope.resolve(c);
            if (source != column) {
                if (source != null) {
                    throw Refusals.copyColumn(source, column, operation);
                }
                throw Refusals.store(column, operation);
            }
            // SET email = email, or = EXCLUDED.email: the same ciphertext under the same key, nothing to encrypt.
        } else if (!ctx.literal(x, column, ParameterTarget.Use.STORE, null)) {
            rules.refuseValue(x, column, operation);
        }
    }

    /** MySQL's built-in {@code IF(condition, a, b)}, plainly written; else null. */
    private static Function choice(Expression x) {
        return x instanceof Function f && plainCall(f, "if") && f.getParameters().size() == 3 ? f : null;
    }

    /** A call of the unqualified built-in {@code name} with plain positional arguments and no modifiers. */
    private static boolean plainCall(Function f, String name) {
        return f.getMultipartName() != null && f.getMultipartName().size() == 1 && name.equalsIgnoreCase(f.getName())
                && !f.isDistinct() && !f.isUnique() && !f.isAllColumns() && f.getAttribute() == null
                && f.getKeep() == null && f.getNamedParameters() == null && f.getOrderByElements() == null
                && f.getLimit() == null && f.getHavingClause() == null && f.getNullHandling() == null
                && !f.isEscaped() && f.getExtraKeyword() == null && f.getParameters() != null;
    }

    /**
     * The column of {@code VALUES(c)} (MariaDB also spells it {@code VALUE(c)}): an unqualified built-in call with
     * one bare column argument, unqualified or qualified with the inserted table (jOOQ writes
     * {@code values(`t`.`c`)}). Null for anything else, which is then refused or checked as an expression.
     */
    private static Column newRowColumn(Expression x, FromScope scope, FromScope.Entry newRow) {
        if (!(x instanceof Function f) || !(plainCall(f, "values") || plainCall(f, "value"))
                || f.getParameters().size() != 1) {
            return null;
        }
        Expression argument = ExpressionRules.unwrap(f.getParameters().get(0));
        if (!(argument instanceof Column c)) {
            return null;
        }
        return c.getTable() == null || c.getTable().getName() == null || scope.entryFor(c.getTable()) == newRow
                ? c : null;
    }

    private static boolean isDefault(Column c) {
        return (c.getTable() == null || c.getTable().getName() == null)
                && "default".equalsIgnoreCase(c.getColumnName());
    }

    /** The encrypted column (or null) a SET target names. */
    interface SetTarget {
        EncryptedColumn of(Column column) throws SQLException;
    }

    /** SET lists whose targets all name columns of {@code target}, whatever their qualifier. */
    void updateSets(List<UpdateSet> sets, FromScope.Entry target, FromScope scope,
                            FromScope.Entry newRow, String operation) throws SQLException {
        updateSets(sets, c -> {
            ctx.examined(c); // SET targets always name the target table's columns
            return target.encrypted(ctx.normalize(c.getColumnName()));
        }, scope, newRow, operation);
    }

    /** SET lists whose targets {@code targets} resolves (MySQL's multi-table UPDATE: any table of the join). */
    void updateSets(List<UpdateSet> sets, SetTarget targets, FromScope scope, FromScope.Entry newRow,
                    String operation) throws SQLException {
        for (UpdateSet set : sets) {
            List<EncryptedColumn> columns = new ArrayList<>();
            for (Column c : set.getColumns()) {
                columns.add(targets.of(c));
            }
            ExpressionList<?> values = set.getValues();
            List<Expression> list = new ArrayList<>(values);
            if (list.size() == 1 && columns.size() > 1
                    && ExpressionRules.unwrap(list.get(0)) instanceof ParenthesedExpressionList<?> row) {
                list = new ArrayList<>(row);
            }
            if (list.size() != columns.size()) {
                for (EncryptedColumn c : columns) {
                    if (c != null) {
                        throw Refusals.notYet("a multi-column SET from one expression", c);
                    }
                }
                for (Expression e : list) {
                    rules.value(e, scope, operation);
                }
                continue;
            }
            for (int i = 0; i < columns.size(); i++) {
                store(list.get(i), columns.get(i), operation, scope, newRow);
            }
        }
    }

    SelectList.Result returning(List<net.sf.jsqlparser.statement.select.SelectItem<?>> items,
                                        FromScope scope) throws SQLException {
        if (items == null || items.isEmpty()) {
            return SelectList.EMPTY;
        }
        return SelectList.analyse(items, scope, rules, ctx, "RETURNING");
    }
}
