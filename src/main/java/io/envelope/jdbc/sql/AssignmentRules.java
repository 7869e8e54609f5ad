package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import net.sf.jsqlparser.expression.Expression;
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
     * (encrypted as STORE), NULL, DEFAULT, the column itself or ON CONFLICT's EXCLUDED copy of it.
     */
    void store(Expression value, EncryptedColumn column, String operation, FromScope scope,
                       FromScope.Entry excluded) throws SQLException {
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

    private static boolean isDefault(Column c) {
        return (c.getTable() == null || c.getTable().getName() == null)
                && "default".equalsIgnoreCase(c.getColumnName());
    }

    void updateSets(List<UpdateSet> sets, FromScope.Entry target, FromScope scope,
                            FromScope.Entry excluded, String operation) throws SQLException {
        for (UpdateSet set : sets) {
            List<EncryptedColumn> columns = new ArrayList<>();
            for (Column c : set.getColumns()) {
                ctx.examined(c); // SET targets always name the target table's columns
                columns.add(target.encrypted(ctx.normalize(c.getColumnName())));
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
                store(list.get(i), columns.get(i), operation, scope, excluded);
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
