package io.envelope.jdbc.sql;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.SqlLexer;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.NumericBind;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.ConflictActionType;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertConflictAction;
import net.sf.jsqlparser.statement.insert.InsertConflictTarget;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Analyses one parsed statement into a plan: dispatches on the statement kind (SELECT, INSERT, UPDATE, DELETE,
 * DDL), applies the clause rules, then runs the safety net — every column reference anywhere in the statement
 * that the rules did not examine and that could name an encrypted column refuses the statement — and numbers
 * the {@code ?} parameters.
 */
final class StatementAnalysis {

    /** The outcome: the plan, and whether it may be cached. */
    record Outcome(StatementPlan plan, boolean cacheable) {
    }

    private final String sql;
    private final LexedSql lexed;
    private final SqlLexer lexer;
    private final Statement statement;
    private final AnalysisContext ctx;
    private final ExpressionRules rules;

    private final Set<EncryptedTable> configuredTables = new LinkedHashSet<>();
    private final List<Column> allColumns = new ArrayList<>();
    private final List<JdbcParameter> parameters = new ArrayList<>();
    private boolean namedParameters;

    StatementAnalysis(LexedSql lexed, SqlLexer lexer, Statement statement, AnalysisContext ctx) {
        this.sql = lexed.sql();
        this.lexed = lexed;
        this.lexer = lexer;
        this.statement = statement;
        this.ctx = ctx;
        this.rules = new ExpressionRules(ctx);
        this.rules.queries(this::query);
        ctx.lexed(lexed, lexer);
    }

    Outcome analyse() throws SQLException {
        inventory();
        if (configuredTables.isEmpty()) {
            // The gate matched a substring (customers_archive, a string literal, another schema): nothing to do.
            return new Outcome(StatementPlan.passThrough(sql), true);
        }
        if (isDdl(statement)) {
            // CREATE/ALTER TABLE, CREATE INDEX and views were decided by DdlRules before the parse; what reaches
            // here (CREATE TRIGGER, CREATE FUNCTION, ...) carries no value for an encrypted column.
            return new Outcome(StatementPlan.passThrough(sql), true);
        }
        SelectList.Result results;
        EncryptedTable writeTarget = null;
        if (statement instanceof Select select) {
            results = query(select, null);
        } else if (statement instanceof Insert insert) {
            FromScope scope = new FromScope(ctx, null, withItems(insert.getWithItemsList(), null, null));
            results = insert(insert, scope);
            writeTarget = scope.entries().get(0).configured;
        } else if (statement instanceof Update update) {
            FromScope scope = new FromScope(ctx, null, withItems(update.getWithItemsList(), null, null));
            results = update(update, scope);
            writeTarget = scope.entries().get(0).configured;
        } else if (statement instanceof Delete delete) {
            results = delete(delete, withItems(delete.getWithItemsList(), null, null));
        } else {
            throw Refusals.statementKind(statement.getClass().getSimpleName(), first());
        }
        safetyNet();
        ParameterTarget[] targets = numberParameters();
        boolean anyTarget = java.util.Arrays.stream(targets).anyMatch(t -> t != null);
        // Documented choice: a statement on configured tables with nothing to encrypt or decrypt and no
        // configured write target passes through; one with a write target keeps it for getGeneratedKeys().
        MatchShape[] shapes = new MatchShape[targets.length];
        for (Map.Entry<Integer, MatchShape> s : ctx.shapes().entrySet()) {
            if (s.getKey() >= 1 && s.getKey() <= shapes.length) {
                shapes[s.getKey() - 1] = s.getValue();
            }
        }
        StatementPlan plan = !anyTarget && !results.hasEncrypted() && writeTarget == null && ctx.literals().isEmpty()
                ? StatementPlan.passThrough(sql)
                : StatementPlan.encrypted(sql, lexed.placeholders(), targets, shapes, ctx.literals(),
                        results.positions().isEmpty() ? ResultShape.NONE : results.shape(), writeTarget)
                        .withColumnList(ctx.columnList());
        return new Outcome(plan, !ctx.carriesEncryptedLiteral());
    }

    private static boolean isDdl(Statement statement) {
        String pkg = statement.getClass().getPackageName();
        return pkg.startsWith("net.sf.jsqlparser.statement.create")
                || pkg.startsWith("net.sf.jsqlparser.statement.alter")
                || pkg.startsWith("net.sf.jsqlparser.statement.drop")
                || pkg.startsWith("net.sf.jsqlparser.statement.truncate")
                || pkg.startsWith("net.sf.jsqlparser.statement.comment");
    }

    private String first() {
        return configuredTables.iterator().next().identity();
    }

    /** Finds every table, column and parameter in the statement, whatever clause it sits in. */
    private void inventory() throws SQLException {
        AstWalker.walk(statement, (node, ancestors) -> {
            if (node instanceof Column c) {
                allColumns.add(c);
                return false; // its Table is a qualifier, not a table reference
            }
            if (node instanceof AllTableColumns) {
                return false;
            }
            if (node instanceof Table t && t.getName() != null) {
                String schemaName = t.getSchemaName() == null ? null : ctx.normalize(t.getSchemaName());
                // a view reading encrypted columns, a table above a configured one in an inheritance tree
                String refusal = ctx.schema().refusal(schemaName, ctx.normalize(t.getName()));
                if (refusal != null) {
                    throw EnvelopeException.refused(io.envelope.jdbc.RefusalReason.VIEW, refusal);
                }
                EncryptedTable configured = ctx.schema().table(schemaName, ctx.normalize(t.getName()));
                if (configured != null) {
                    configuredTables.add(configured);
                }
                return false;
            }
            if (node instanceof JdbcParameter p) {
                parameters.add(p);
            } else if (node instanceof JdbcNamedParameter || node instanceof NumericBind) {
                namedParameters = true;
            }
            return true;
        });
    }

    // ---------------------------------------------------------------- SELECT

    /** A query (SELECT, set operation, parenthesised query, VALUES) at any depth, analysed once per node. */
    SelectList.Result query(Select select, FromScope outer) throws SQLException {
        return query(select, outer, outer == null ? null : outer.ctes());
    }

    private SelectList.Result query(Select select, FromScope outer, FromScope.Ctes ctes) throws SQLException {
        SelectList.Result done = ctx.queries().get(select);
        if (done != null) {
            return done;
        }
        FromScope.Ctes local = withItems(select.getWithItemsList(), outer, ctes);
        SelectList.Result result;
        if (select instanceof PlainSelect plain) {
            result = plainSelect(plain, outer, local);
        } else if (select instanceof SetOperationList set) {
            result = setOperation(set, outer, local);
        } else if (select instanceof ParenthesedSelect parenthesed) {
            result = query(parenthesed.getSelect(), outer, local);
            orderBy(parenthesed.getOrderByElements(), result, new FromScope(ctx, null, local));
        } else if (select instanceof Values values) {
            result = values(values, new FromScope(ctx, outer, local));
        } else {
            throw Refusals.statementKind(select.getClass().getSimpleName(), first());
        }
        ctx.queries().put(select, result);
        return result;
    }

    /**
     * UNION [ALL] / INTERSECT / EXCEPT: every branch is analysed with the normal rules; result position i holds
     * encrypted column C only when every branch's position i is C (same table and column: same key). Set
     * operations other than UNION ALL compare values, so a randomized column is refused there.
     */
    private SelectList.Result setOperation(SetOperationList set, FromScope outer, FromScope.Ctes ctes)
            throws SQLException {
        List<SelectList.Result> branches = new ArrayList<>();
        for (Select branch : set.getSelects()) {
            branches.add(query(branch, outer, ctes));
        }
        String comparing = null;
        for (var op : set.getOperations()) {
            if (!(op instanceof net.sf.jsqlparser.statement.select.UnionOp u && u.isAll())) {
                comparing = op.toString().trim().toUpperCase(java.util.Locale.ROOT);
                break;
            }
        }
        String name = comparing != null ? comparing
                : set.getOperations().isEmpty() ? "UNION ALL" : set.getOperations().get(0).toString().trim()
                .toUpperCase(java.util.Locale.ROOT);
        SelectList.Result first = branches.get(0);
        boolean known = branches.stream().allMatch(SelectList.Result::widthKnown)
                && branches.stream().allMatch(b -> b.positions().size() == first.positions().size());
        if (!known) {
            for (SelectList.Result b : branches) {
                for (EncryptedColumn c : b.positions()) {
                    if (c != null) {
                        throw Refusals.setOperation(name, b.positions().indexOf(c) + 1, c,
                                "branches of unknown or different width");
                    }
                }
            }
            return new SelectList.Result(List.of(), false, Map.of(), List.of());
        }
        for (int i = 0; i < first.positions().size(); i++) {
            EncryptedColumn c = first.positions().get(i);
            for (SelectList.Result b : branches) {
                EncryptedColumn d = b.positions().get(i);
                if (c != d) {
                    EncryptedColumn enc = c != null ? c : d;
                    EncryptedColumn other = c != null ? d : c;
                    throw Refusals.setOperation(name, i + 1, enc,
                            other != null ? "encrypted column " + other.qualifiedName() : "a plaintext value");
                }
            }
            if (c != null && comparing != null && c.mode() != EncryptionMode.DETERMINISTIC) {
                throw Refusals.randomizedGrouping(c, comparing);
            }
        }
        SelectList.Result result = new SelectList.Result(first.positions(), true, first.outputNames(),
                first.names());
        orderBy(set.getOrderByElements(), result, new FromScope(ctx, null, ctes));
        return result;
    }

    /** VALUES as a query: plaintext rows (an encrypted column can only reach them through a subquery: refused). */
    private SelectList.Result values(Values values, FromScope scope) throws SQLException {
        int width = -1;
        for (List<Expression> row : rows(values)) {
            for (Expression e : row) {
                rules.value(e, scope, "VALUES");
            }
            width = width < 0 || width == row.size() ? row.size() : -2;
        }
        if (width < 0) {
            return new SelectList.Result(List.of(), false, Map.of(), List.of());
        }
        List<EncryptedColumn> positions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= width; i++) {
            positions.add(null);
            names.add("column" + i);
        }
        return new SelectList.Result(positions, true, Map.of(), names);
    }

    private SelectList.Result plainSelect(PlainSelect select, FromScope outer, FromScope.Ctes ctes)
            throws SQLException {
        if (select.getIntoTables() != null) {
            for (Table into : select.getIntoTables()) {
                EncryptedTable configured = ctx.schema().table(into.getSchemaName() == null ? null
                        : ctx.normalize(into.getSchemaName()), ctx.normalize(into.getName()));
                if (configured != null) {
                    throw Refusals.selectInto(configured.identity());
                }
            }
        }
        FromScope scope = new FromScope(ctx, outer, ctes);
        List<Join> joins = new ArrayList<>();
        from(select.getFromItem(), select.getJoins(), scope, joins);
        joinConditions(joins, scope);
        boolean using = joins.stream().anyMatch(j -> j.getUsingColumns() != null && !j.getUsingColumns().isEmpty());
        if (using && select.getSelectItems().stream().anyMatch(i -> i.getExpression() instanceof AllColumns
                && !(i.getExpression() instanceof AllTableColumns))) {
            // SELECT * with JOIN ... USING merges the USING columns and moves them first: positions would shift.
            throw Refusals.notYet("SELECT * with JOIN ... USING", first());
        }
        SelectList.Result results = SelectList.analyse(select.getSelectItems(), scope, rules, ctx, "the select list");
        rules.predicate(select.getWhere(), scope, "WHERE");
        GroupByElement groupBy = select.getGroupBy();
        if (groupBy != null) {
            for (Object e : groupBy.getGroupByExpressionList()) {
                grouping((Expression) e, results, scope, "GROUP BY");
            }
            if (groupBy.getGroupingSets() != null) {
                for (ExpressionList<Expression> set : groupBy.getGroupingSets()) {
                    for (Expression e : set) {
                        grouping(e, results, scope, "GROUP BY");
                    }
                }
            }
        }
        rules.predicate(select.getHaving(), scope, "HAVING");
        if (select.getDistinct() != null) {
            if (select.getDistinct().getOnSelectItems() != null) {
                for (var item : select.getDistinct().getOnSelectItems()) {
                    grouping(item.getExpression(), results, scope, "DISTINCT ON");
                }
            } else {
                for (EncryptedColumn c : results.positions()) {
                    if (c != null && c.mode() != EncryptionMode.DETERMINISTIC) {
                        throw Refusals.randomizedGrouping(c, "DISTINCT");
                    }
                }
            }
        }
        orderBy(select.getOrderByElements(), results, scope);
        return results;
    }

    /**
     * WITH: each non-recursive CTE is a named derived table, analysed with the normal rules (seeing the CTEs
     * before it); an unqualified FROM reference to its name means it, shadowing a configured table of that
     * name as in PostgreSQL. A recursive CTE or a data-modifying one may not involve a configured table.
     */
    private FromScope.Ctes withItems(List<WithItem<?>> items, FromScope outer, FromScope.Ctes ctes)
            throws SQLException {
        if (items == null || items.isEmpty()) {
            return ctes;
        }
        FromScope.Ctes frame = new FromScope.Ctes(ctes);
        for (WithItem<?> item : items) {
            String name = item.getAlias() == null ? null : ctx.normalize(item.getAlias().getName());
            FromScope.Entry entry;
            if (item.getWithItemList() != null) {
                for (var column : item.getWithItemList()) {
                    if (column.getExpression() instanceof Column c) {
                        ctx.examined(c); // WITH x(a, b): names being defined, not references
                    }
                }
            }
            boolean select = item.getParenthesedStatement() instanceof ParenthesedSelect;
            if (item.isRecursive() || !select) {
                if (namesConfiguredTable(item)) {
                    if (item.isRecursive()) {
                        throw Refusals.recursiveCte(first());
                    }
                    throw Refusals.notYet("a data-modifying CTE", first());
                }
                rules.opaque(item, outer);
                entry = new FromScope.Entry(name, null, null, null, List.of());
            } else {
                SelectList.Result r = query((ParenthesedSelect) item.getParenthesedStatement(), outer, frame);
                entry = derivedEntry(name, r, item.getWithItemList());
            }
            if (name != null) {
                frame.named.put(name, entry);
            }
        }
        return frame;
    }

    /** The entry of a derived table or CTE from its query's result (renamed by a column list). */
    private FromScope.Entry derivedEntry(String alias, SelectList.Result r,
                                         List<net.sf.jsqlparser.statement.select.SelectItem<?>> columnList)
            throws SQLException {
        if (!r.widthKnown()) {
            if (r.hasEncrypted()) {
                throw Refusals.starUnknown(r.positions().stream().filter(c -> c != null).findFirst()
                        .orElseThrow().table().identity());
            }
            return new FromScope.Entry(alias, null, null, null, List.of());
        }
        List<String> names = new ArrayList<>(r.names());
        if (columnList != null && !columnList.isEmpty()) {
            if (columnList.size() > names.size()) {
                throw Refusals.aliasColumns(alias);
            }
            for (int i = 0; i < columnList.size(); i++) {
                names.set(i, ctx.normalize(columnList.get(i).toString().trim()));
            }
        }
        for (int i = 0; i < names.size(); i++) {
            if (r.positions().get(i) != null) {
                ctx.encryptedAlias(names.get(i), r.positions().get(i));
            }
        }
        return new FromScope.Entry(alias, null, null, null, List.copyOf(names),
                java.util.Collections.unmodifiableList(new ArrayList<>(r.positions())));
    }

    private void from(FromItem item, List<Join> joins, FromScope scope, List<Join> allJoins) throws SQLException {
        fromItem(item, scope, allJoins);
        if (joins != null) {
            for (Join join : joins) {
                fromItem(join.getFromItem(), scope, allJoins);
                allJoins.add(join);
            }
        }
    }

    private void fromItem(FromItem item, FromScope scope, List<Join> allJoins) throws SQLException {
        if (item == null) {
            return;
        }
        if (item instanceof Table t) {
            scope.addFromItem(t);
        } else if (item instanceof ParenthesedFromItem p) {
            from(p.getFromItem(), p.getJoins(), scope, allJoins);
        } else if (item instanceof ParenthesedSelect derived) {
            // A derived table sees the enclosing query levels (and LATERAL also the FROM items before it).
            boolean lateral = item instanceof net.sf.jsqlparser.statement.select.LateralSubSelect;
            SelectList.Result r = query(derived, lateral ? scope : scope.outer(), scope.ctes());
            String alias = derived.getAlias() == null ? null : ctx.normalize(derived.getAlias().getName());
            FromScope.Entry entry = derivedEntry(alias, r, null);
            if (entry.derived != null && derived.getAlias() != null) {
                List<String> names = scope.renamed(entry.columns, derived.getAlias());
                scope.addDerived(alias, names, entry.derived);
            } else {
                scope.entries().add(entry);
            }
        } else {
            // Table functions, VALUES lists: allowed only over unconfigured tables.
            rules.opaque(item, scope);
            scope.addUnknown(item.getAlias() == null ? null : item.getAlias().getName());
        }
    }

    private void joinConditions(List<Join> joins, FromScope scope) throws SQLException {
        for (Join join : joins) {
            if (join.isNatural()) {
                for (FromScope.Entry e : scope.entries()) {
                    if (e.configured != null && !e.configured.columns().isEmpty()) {
                        throw Refusals.notYet("NATURAL JOIN", e.configured.identity());
                    }
                }
            }
            if (join.getUsingColumns() != null) {
                for (Column c : join.getUsingColumns()) {
                    ctx.examined(c);
                    String name = ctx.normalize(c.getColumnName());
                    for (FromScope.Entry e : scope.entries()) {
                        if (e.encrypted(name) != null) {
                            throw Refusals.notYet("JOIN ... USING", e.encrypted(name));
                        }
                    }
                }
            }
            if (join.getOnExpressions() != null) {
                for (Expression on : join.getOnExpressions()) {
                    rules.predicate(on, scope, "JOIN ON");
                }
            }
        }
    }

    /** GROUP BY / DISTINCT ON item: deterministic ciphertexts group like plaintexts; randomized never do. */
    private void grouping(Expression e, SelectList.Result results, FromScope scope, String clause)
            throws SQLException {
        Expression x = ExpressionRules.unwrap(e);
        EncryptedColumn column = null;
        if (x instanceof LongValue ordinal) {
            column = results.at((int) ordinal.getValue());
        } else if (x instanceof Column c) {
            column = scope.resolve(c);
            Integer output = outputName(c, results);
            if (column == null && output != null) {
                column = results.at(output);
            }
        } else {
            rules.value(x, scope, clause);
        }
        if (column != null && column.mode() != EncryptionMode.DETERMINISTIC) {
            throw Refusals.randomizedGrouping(column, clause);
        }
    }

    private Integer outputName(Column c, SelectList.Result results) {
        if (c.getTable() != null && c.getTable().getName() != null) {
            return null;
        }
        return results.outputNames().get(ctx.normalize(c.getColumnName()));
    }

    private void orderBy(List<OrderByElement> elements, SelectList.Result results, FromScope scope)
            throws SQLException {
        if (elements == null) {
            return;
        }
        for (OrderByElement element : elements) {
            Expression x = ExpressionRules.unwrap(element.getExpression());
            if (x instanceof LongValue ordinal) {
                EncryptedColumn c = results.at((int) ordinal.getValue());
                if (c != null) {
                    throw Refusals.orderBy(c);
                }
                continue;
            }
            if (x instanceof Column c) {
                Integer output = outputName(c, results);
                if (output != null) {
                    // A bare ORDER BY name means the output column of that name (PostgreSQL, SQL-92).
                    ctx.examined(c);
                    if (results.at(output) != null) {
                        throw Refusals.orderBy(results.at(output));
                    }
                    continue;
                }
                EncryptedColumn column = scope.resolve(c);
                if (column != null) {
                    throw Refusals.orderBy(column);
                }
                continue;
            }
            rules.value(x, scope, "ORDER BY");
        }
    }

    // ---------------------------------------------------------------- INSERT

    private SelectList.Result insert(Insert insert, FromScope scope) throws SQLException {
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
            for (List<Expression> row : rows(values)) {
                if (table != null && row.size() != columns.size()) {
                    throw Refusals.insertColumns(table.identity());
                }
                for (int i = 0; i < row.size(); i++) {
                    EncryptedColumn column = table == null ? null : table.column(columns.get(i));
                    store(row.get(i), column, "INSERT", valuesScope, null);
                }
            }
        } else if (source != null) {
            boolean encryptedTarget = table != null && columns.stream().anyMatch(n -> table.column(n) != null);
            if (encryptedTarget || namesConfiguredTable(source)) {
                insertSelect(source, table, columns, scope.ctes());
            } else {
                query(source, null, scope.ctes());
            }
        }
        if (insert.getSetUpdateSets() != null) {
            updateSets(insert.getSetUpdateSets(), target, scope, null, "INSERT ... SET");
        }
        InsertConflictTarget conflict = insert.getConflictTarget();
        if (conflict != null) {
            rules.value(conflict.getIndexExpression(), scope, "ON CONFLICT");
            rules.predicate(conflict.getWhereExpression(), scope, "ON CONFLICT WHERE");
        }
        InsertConflictAction action = insert.getConflictAction();
        if (action != null && action.getConflictActionType() == ConflictActionType.DO_UPDATE) {
            FromScope.Entry excluded = scope.addAlias(target, ctx.normalize("excluded"));
            updateSets(action.getUpdateSets(), target, scope, excluded, "ON CONFLICT DO UPDATE SET");
            rules.predicate(action.getWhereExpression(), scope, "ON CONFLICT DO UPDATE WHERE");
        }
        if (insert.getDuplicateUpdateSets() != null) {
            updateSets(insert.getDuplicateUpdateSets(), target, scope, null, "ON DUPLICATE KEY UPDATE");
        }
        // RETURNING sees the inserted row only (not EXCLUDED), so * expands over the target alone.
        FromScope returningScope = new FromScope(ctx, null, scope.ctes());
        returningScope.add(insert.getTable());
        return returning(insert.getReturningClause(), returningScope);
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
        SelectList.Result result = query(source, null, ctes);
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

    private boolean namesConfiguredTable(Object node) throws SQLException {
        boolean[] found = {false};
        AstWalker.walk(node, (n, ancestors) -> {
            if (n instanceof Column) {
                return false;
            }
            if (n instanceof Table t && t.getName() != null) {
                found[0] |= ctx.schema().table(t.getSchemaName() == null ? null : ctx.normalize(t.getSchemaName()),
                        ctx.normalize(t.getName())) != null;
                return false;
            }
            return !found[0];
        });
        return found[0];
    }

    private static List<List<Expression>> rows(Values values) {
        ExpressionList<?> all = values.getExpressions();
        List<List<Expression>> rows = new ArrayList<>();
        if (all instanceof ParenthesedExpressionList<?>) {
            rows.add(new ArrayList<>(all)); // VALUES (a, b): one row
            return rows;
        }
        for (Expression row : all) {
            if (row instanceof ParenthesedExpressionList<?> list) {
                rows.add(new ArrayList<>(list));
            } else {
                rows.add(List.of(row));
            }
        }
        return rows;
    }

    /**
     * A value stored into a column (INSERT VALUES, UPDATE SET): for an encrypted column only a ? parameter
     * (encrypted as STORE), NULL, DEFAULT, the column itself or ON CONFLICT's EXCLUDED copy of it.
     */
    private void store(Expression value, EncryptedColumn column, String operation, FromScope scope,
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

    // ---------------------------------------------------------------- UPDATE / DELETE

    private SelectList.Result update(Update update, FromScope scope) throws SQLException {
        FromScope.Entry target = scope.add(update.getTable());
        List<Join> joins = new ArrayList<>();
        if (update.getStartJoins() != null) {
            for (Join j : update.getStartJoins()) {
                fromItem(j.getFromItem(), scope, joins);
                joins.add(j);
            }
        }
        from(update.getFromItem(), update.getJoins(), scope, joins);
        joinConditions(joins, scope);
        updateSets(update.getUpdateSets(), target, scope, null, "UPDATE SET");
        rules.predicate(update.getWhere(), scope, "WHERE");
        orderBy(update.getOrderByElements(), SelectList.EMPTY, scope);
        return returning(update.getReturningClause(), scope);
    }

    private void updateSets(List<UpdateSet> sets, FromScope.Entry target, FromScope scope,
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

    private SelectList.Result delete(Delete delete, FromScope.Ctes ctes) throws SQLException {
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
                fromItem(j.getFromItem(), scope, joins);
                joins.add(j);
            }
        }
        joinConditions(joins, scope);
        rules.predicate(delete.getWhere(), scope, "WHERE");
        orderBy(delete.getOrderByElements(), SelectList.EMPTY, scope);
        return returning(delete.getReturningClause(), scope);
    }

    private SelectList.Result returning(List<net.sf.jsqlparser.statement.select.SelectItem<?>> items,
                                        FromScope scope) throws SQLException {
        if (items == null || items.isEmpty()) {
            return SelectList.EMPTY;
        }
        return SelectList.analyse(items, scope, rules, ctx, "RETURNING");
    }

    // ---------------------------------------------------------------- safety net and parameters

    /**
     * Any column reference the clause rules did not examine (a clause they do not know, a new JSqlParser node)
     * refuses the statement when its name is an encrypted column of a configured table the statement uses.
     */
    private void safetyNet() throws SQLException {
        for (Column c : allColumns) {
            if (ctx.wasExamined(c)) {
                continue;
            }
            String name = ctx.normalize(c.getColumnName());
            if (ctx.encryptedAliases().containsKey(name)) {
                throw Refusals.unexamined(ctx.encryptedAliases().get(name));
            }
            for (EncryptedTable t : configuredTables) {
                if (t.column(name) != null) {
                    throw Refusals.unexamined(t.column(name));
                }
            }
        }
    }

    /** JDBC numbering: the n-th ? of the text is parameter n; JSqlParser numbers them in text order from 1. */
    private ParameterTarget[] numberParameters() throws SQLException {
        if (namedParameters) {
            throw Refusals.parameterNumbering(first());
        }
        int count = parameters.size();
        if (count != lexed.placeholders().length) {
            throw Refusals.parameterNumbering(first());
        }
        boolean[] seen = new boolean[count + 1];
        for (JdbcParameter p : parameters) {
            Integer index = p.getIndex();
            if (index == null || p.isUseFixedIndex() || index < 1 || index > count || seen[index]) {
                throw Refusals.parameterNumbering(first());
            }
            seen[index] = true;
        }
        Map<Integer, ParameterTarget> targets = ctx.targets();
        ParameterTarget[] array = new ParameterTarget[count];
        for (Map.Entry<Integer, ParameterTarget> t : targets.entrySet()) {
            array[t.getKey() - 1] = t.getValue();
        }
        return array;
    }
}
