package io.envelope.jdbc.sql;

import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.SqlLexer;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.insert.ConflictActionType;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertConflictAction;
import net.sf.jsqlparser.statement.insert.InsertConflictTarget;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of INSERT: VALUES rows, INSERT ... SELECT (a copy of the same encrypted column, or constants encrypted in
 * place), INSERT ... SET, ON CONFLICT, RETURNING. A positional INSERT takes its columns from the table's layout.
 */
final class InsertAnalysis {

    private final AnalysisContext ctx;
    private final ExpressionRules rules;
    private final QueryAnalysis queries;
    private final AssignmentRules assignments;
    private final LexedSql lexed;
    private final SqlLexer lexer;
    private final String firstTable;

    InsertAnalysis(AnalysisContext ctx, ExpressionRules rules, QueryAnalysis queries, AssignmentRules assignments,
                   LexedSql lexed, SqlLexer lexer, String firstTable) {
        this.ctx = ctx;
        this.rules = rules;
        this.queries = queries;
        this.assignments = assignments;
        this.lexed = lexed;
        this.lexer = lexer;
        this.firstTable = firstTable;
    }

    private String first() {
        return firstTable;
    }

    SelectList.Result insert(Insert insert, FromScope scope) throws SQLException {
        FromScope.Entry target = scope.add(insert.getTable());
        EncryptedTable table = target.configured;
        List<String> columns = new ArrayList<>();
        boolean explicitColumns = insert.getColumns() != null && !insert.getColumns().isEmpty();
        if (explicitColumns) {
            for (Column c : insert.getColumns()) {
                ctx.examined(c);
                columns.add(ctx.normalize(c.getColumnName()));
            }
        } else {
            columns.addAll(target.columns);
            if (table != null && columns.isEmpty()) {
                throw Refusals.insertColumns(table.identity());
            }
            if (table != null && insert.getSelect() != null && !ctx.columnList(insert.getSelect(), columns)) {
                throw Refusals.insertColumns(table.identity());
            }
        }
        Select source = insert.getSelect();
        FromScope valuesScope = new FromScope(ctx, null, scope.ctes()); // VALUES cannot see the target's columns
        if (source instanceof Values values) {
            for (List<Expression> row : QueryAnalysis.rows(values)) {
                if (table != null && row.size() != columns.size()) {
                    throw Refusals.insertColumns(table.identity());
                }
                for (int i = 0; i < row.size(); i++) {
                    EncryptedColumn column = table == null ? null : table.column(columns.get(i));
                    assignments.store(row.get(i), column, "INSERT", valuesScope, null);
                }
            }
        } else if (source != null) {
            boolean encryptedTarget = table != null && columns.stream().anyMatch(n -> table.column(n) != null);
            if (encryptedTarget || queries.namesConfiguredTable(source)) {
                insertSelect(source, table, columns, scope.ctes());
            } else {
                queries.query(source, null, scope.ctes());
            }
        }
        if (insert.getSetUpdateSets() != null) {
            assignments.updateSets(insert.getSetUpdateSets(), target, scope, null, "INSERT ... SET");
        }
        InsertConflictTarget conflict = insert.getConflictTarget();
        if (conflict != null) {
            rules.value(conflict.getIndexExpression(), scope, "ON CONFLICT");
            rules.predicate(conflict.getWhereExpression(), scope, "ON CONFLICT WHERE");
        }
        InsertConflictAction action = insert.getConflictAction();
        if (action != null && action.getConflictActionType() == ConflictActionType.DO_UPDATE) {
            scope.addAlias(target, ctx.normalize("excluded"));
            // EXCLUDED.c is resolved through the scope; VALUES(c) means nothing here (null: no new-row function).
            assignments.updateSets(action.getUpdateSets(), target, scope, null, "ON CONFLICT DO UPDATE SET");
            rules.predicate(action.getWhereExpression(), scope, "ON CONFLICT DO UPDATE WHERE");
        }
        if (ctx.rowAlias() != null) {
            rowAlias(ctx.rowAlias(), insert, target, columns, scope);
        }
        if (insert.getDuplicateUpdateSets() != null) {
            if (ctx.mySqlFamily() && source != null && !(source instanceof Values)
                    && queries.namesConfiguredTable(source)) {
                // MySQL lets these assignments name the SELECT's columns too, which this scope does not hold.
                throw Refusals.notYet("INSERT ... SELECT with ON DUPLICATE KEY UPDATE (whose assignments may read "
                        + "the SELECT's tables)", table != null ? table.identity() : first());
            }
            // On MySQL and MariaDB, VALUES(c) is the value this statement was inserting into c. Elsewhere (H2's
            // MySQL mode) it stays an expression, refused for an encrypted column as before.
            assignments.updateSets(insert.getDuplicateUpdateSets(), target, scope,
                    ctx.mySqlFamily() ? target : null, "ON DUPLICATE KEY UPDATE");
        }
        // RETURNING sees the inserted row only (not EXCLUDED), so * expands over the target alone.
        FromScope returningScope = new FromScope(ctx, null, scope.ctes());
        returningScope.add(insert.getTable());
        return assignments.returning(insert.getReturningClause(), returningScope);
    }

    /**
     * MySQL 8's row alias ({@code VALUES (…) AS new [(a, b)]}, see {@link RowAlias}) joins the scope of ON DUPLICATE
     * KEY UPDATE as the inserted row: {@code new.c} is the value inserted into {@code c}, so it resolves to
     * {@code c}'s encrypted column; with a column list, its names stand for the inserted columns in order.
     */
    private void rowAlias(RowAlias alias, Insert insert, FromScope.Entry target, List<String> columns,
                          FromScope scope) throws SQLException {
        EncryptedTable table = target.configured;
        String name = ctx.normalize(alias.name());
        if (insert.getDuplicateUpdateSets() == null
                || !(insert.getSelect() instanceof Values) && insert.getSetUpdateSets() == null) {
            throw Refusals.notYet("a row alias without VALUES or SET and ON DUPLICATE KEY UPDATE",
                    table != null ? table.identity() : first());
        }
        if (alias.columns().isEmpty()) {
            scope.addAlias(target, name);
            return;
        }
        List<String> inserted = new ArrayList<>();
        if (insert.getSetUpdateSets() != null) {
            for (var set : insert.getSetUpdateSets()) {
                for (Column c : set.getColumns()) {
                    inserted.add(ctx.normalize(c.getColumnName()));
                }
            }
        } else {
            inserted.addAll(columns);
        }
        if (inserted.size() != alias.columns().size()) {
            throw Refusals.aliasColumns(name);
        }
        List<String> names = new ArrayList<>();
        List<EncryptedColumn> positions = new ArrayList<>();
        for (int i = 0; i < inserted.size(); i++) {
            names.add(ctx.normalize(alias.columns().get(i)));
            positions.add(table == null ? null : table.column(inserted.get(i)));
        }
        scope.addDerived(name, names, positions);
    }

    /**
     * INSERT ... SELECT that involves encrypted columns: each encrypted target column receives the same table's
     * same column (same key, same AAD place: the ciphertext stays valid), or a constant of the select list — a
     * literal or a {@code ?} parameter, encrypted in place as in VALUES ({@code INSERT INTO t (a, b) SELECT 'x',
     * ? WHERE NOT EXISTS (…)}, the idempotent seed scripts write). No encrypted column flows into a plaintext one.
     * The SELECT is analysed with the normal rules.
     */
    private void insertSelect(Select source, EncryptedTable table, List<String> columns, FromScope.Ctes ctes)
            throws SQLException {
        SelectList.Result result = queries.query(source, null, ctes);
        if (!result.widthKnown() || result.positions().size() != columns.size()) {
            throw Refusals.insertColumns(table != null ? table.identity() : first());
        }
        for (int i = 0; i < columns.size(); i++) {
            EncryptedColumn target = table == null ? null : table.column(columns.get(i));
            EncryptedColumn from = result.positions().get(i);
            if (target == from) {
                continue; // a copy of the same column (or plaintext into plaintext)
            }
            if (target != null && from == null && constantInto(source, i, target)) {
                continue;
            }
            String into = target != null ? "encrypted column " + target.qualifiedName()
                    : "unencrypted column " + (table != null ? table.identity() + "." : "") + columns.get(i);
            throw Refusals.copy(from != null ? "encrypted column " + from.qualifiedName() : "a value", into);
        }
    }

    /**
     * Item {@code i} of a plain SELECT's list feeding encrypted column {@code target}: NULL, a {@code ?} (encrypted
     * at execute) or a literal (encrypted in place). A constant computed by an expression is refused with its own
     * message; anything else is left to the copy rule (false).
     */
    private boolean constantInto(Select source, int i, EncryptedColumn target) throws SQLException {
        if (!(source instanceof PlainSelect plain) || plain.getSelectItems().size() <= i
                || plain.getSelectItems().stream().anyMatch(item -> item.getExpression() instanceof AllColumns)) {
            return false;
        }
        Expression x = ExpressionRules.unwrap(plain.getSelectItems().get(i).getExpression());
        if (x instanceof NullValue) {
            return true;
        }
        boolean constant = x instanceof JdbcParameter || new Literals(lexed, lexer).find(x) != null;
        if (!constant) {
            if (mentionsColumn(x)) {
                return false;
            }
            throw Refusals.literalKind(target, "INSERT ... SELECT");
        }
        if (target.mode() != EncryptionMode.DETERMINISTIC && plain.getFromItem() != null) {
            // One ciphertext would be repeated in every row the SELECT yields: equal values would show.
            throw Refusals.constantPerRow(target);
        }
        if (x instanceof JdbcParameter p) {
            ctx.target(p, target, ParameterTarget.Use.STORE);
            return true;
        }
        return ctx.literal(x, target, ParameterTarget.Use.STORE, null);
    }

    private static boolean mentionsColumn(Expression x) throws SQLException {
        boolean[] found = {false};
        AstWalker.walk(x, (node, ancestors) -> {
            found[0] |= node instanceof Column;
            return !found[0];
        });
        return found[0];
    }
}
