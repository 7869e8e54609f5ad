package io.envelope.jdbc.sql;

import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.update.Update;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of UPDATE (SET, FROM and joins, WHERE, ORDER BY, RETURNING) and DELETE (USING and joins, WHERE,
 * RETURNING).
 */
final class UpdateDeleteAnalysis {

    private final AnalysisContext ctx;
    private final ExpressionRules rules;
    private final QueryAnalysis queries;
    private final AssignmentRules assignments;

    UpdateDeleteAnalysis(AnalysisContext ctx, ExpressionRules rules, QueryAnalysis queries,
                         AssignmentRules assignments) {
        this.ctx = ctx;
        this.rules = rules;
        this.queries = queries;
        this.assignments = assignments;
    }

    SelectList.Result update(Update update, FromScope scope) throws SQLException {
        FromScope.Entry target = scope.add(update.getTable());
        List<Join> joins = new ArrayList<>();
        if (update.getStartJoins() != null) {
            for (Join j : update.getStartJoins()) {
                queries.fromItem(j.getFromItem(), scope, joins);
                joins.add(j);
            }
        }
        queries.from(update.getFromItem(), update.getJoins(), scope, joins);
        queries.joinConditions(joins, scope);
        if (ctx.mySqlFamily()) {
            // MySQL's SET may name a column of any table of a multi-table UPDATE (a.x = ?, b.y = ?, or an
            // unqualified name only one table has): each target is resolved like a column reference, so an
            // encrypted column of a joined table is found, and an ambiguous one refused.
            assignments.updateSets(update.getUpdateSets(), scope::resolve, scope, null, "UPDATE SET");
        } else {
            // PostgreSQL and H2 update one table: a SET target qualified with another table of the statement
            // (MySQL's multi-table syntax, which they reject) must not be read as the updated table's column.
            assignments.updateSets(update.getUpdateSets(), c -> {
                ctx.examined(c);
                FromScope.Entry named = c.getTable() == null || c.getTable().getName() == null ? null
                        : scope.entryFor(c.getTable());
                if (named != null && named != target) {
                    throw Refusals.notYet("a SET target of another table than the one updated",
                            named.configured != null ? named.configured.identity() : firstTable(scope));
                }
                return target.encrypted(ctx.normalize(c.getColumnName()));
            }, scope, null, "UPDATE SET");
        }
        rules.predicate(update.getWhere(), scope, "WHERE");
        queries.orderBy(update.getOrderByElements(), SelectList.EMPTY, scope);
        return assignments.returning(update.getReturningClause(), scope);
    }

    /** A configured table of the statement, for a refusal that concerns the statement as a whole. */
    private static String firstTable(FromScope scope) {
        for (FromScope.Entry e : scope.entries()) {
            if (e.configured != null) {
                return e.configured.identity();
            }
        }
        return "(unknown)";
    }

    SelectList.Result delete(Delete delete, FromScope.Ctes ctes) throws SQLException {
        FromScope scope = new FromScope(ctx, null, ctes);
        scope.add(delete.getTable());
        List<Join> joins = new ArrayList<>();
        if (delete.getUsingList() != null) {
            for (Table t : delete.getUsingList()) {
                scope.addFromItem(t);
            }
        }
        if (delete.getJoins() != null) {
            for (Join j : delete.getJoins()) {
                queries.fromItem(j.getFromItem(), scope, joins);
                joins.add(j);
            }
        }
        queries.joinConditions(joins, scope);
        rules.predicate(delete.getWhere(), scope, "WHERE");
        queries.orderBy(delete.getOrderByElements(), SelectList.EMPTY, scope);
        return assignments.returning(delete.getReturningClause(), scope);
    }
}
