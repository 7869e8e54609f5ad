package io.envelope.jdbc.sql;

import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
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

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of queries — SELECT at any depth, set operations, VALUES, WITH, derived tables, joins, GROUP BY,
 * DISTINCT and ORDER BY — for {@link StatementAnalysis}, and for the queries inside INSERT, UPDATE and DELETE
 * ({@link InsertAnalysis}, {@link UpdateDeleteAnalysis}) and inside expressions ({@link ExpressionRules}). Each
 * query node is analysed once per statement; its result says which output positions hold which encrypted column.
 */
final class QueryAnalysis {

    private final AnalysisContext ctx;
    private final ExpressionRules rules;
    /** A configured table the statement names, for refusals that concern the statement as a whole. */
    private final String firstTable;

    QueryAnalysis(AnalysisContext ctx, ExpressionRules rules, String firstTable) {
        this.ctx = ctx;
        this.rules = rules;
        this.firstTable = firstTable;
    }

    private String first() {
        return firstTable;
    }

    /** A query (SELECT, set operation, parenthesised query, VALUES) at any depth, analysed once per node. */
    SelectList.Result query(Select select, FromScope outer) throws SQLException {
        return query(select, outer, outer == null ? null : outer.ctes());
    }

    SelectList.Result query(Select select, FromScope outer, FromScope.Ctes ctes) throws SQLException {
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
                comparing = op.toString().trim().toUpperCase(Locale.ROOT);
                break;
            }
        }
        String name = comparing != null ? comparing
                : set.getOperations().isEmpty() ? "UNION ALL" : set.getOperations().get(0).toString().trim()
                .toUpperCase(Locale.ROOT);
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
    FromScope.Ctes withItems(List<WithItem<?>> items, FromScope outer, FromScope.Ctes ctes)
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
                Collections.unmodifiableList(new ArrayList<>(r.positions())));
    }

    void from(FromItem item, List<Join> joins, FromScope scope, List<Join> allJoins) throws SQLException {
        fromItem(item, scope, allJoins);
        if (joins != null) {
            for (Join join : joins) {
                fromItem(join.getFromItem(), scope, allJoins);
                allJoins.add(join);
            }
        }
    }

    void fromItem(FromItem item, FromScope scope, List<Join> allJoins) throws SQLException {
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

    void joinConditions(List<Join> joins, FromScope scope) throws SQLException {
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

    void orderBy(List<OrderByElement> elements, SelectList.Result results, FromScope scope)
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

    boolean namesConfiguredTable(Object node) throws SQLException {
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

    static List<List<Expression>> rows(Values values) {
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
}
