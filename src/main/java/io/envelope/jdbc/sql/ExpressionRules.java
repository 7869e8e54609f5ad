package io.envelope.jdbc.sql;

import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.schema.EncryptedColumn;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperator;
import net.sf.jsqlparser.expression.operators.relational.SimilarToExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules for expressions: which predicates on encrypted columns can run on ciphertext (equality and IN
 * against {@code ?} on deterministic columns, IS NULL on any), which value positions may hold an encrypted
 * column (only as itself, or inside COUNT), and what a subquery may see of the outer query.
 */
final class ExpressionRules {

    /** Analyses a nested query (subquery, derived table, CTE body) with the normal rules: its result columns. */
    interface Queries {
        SelectList.Result query(Select select, FromScope outer) throws SQLException;
    }

    private final AnalysisContext ctx;
    private Queries queries;

    ExpressionRules(AnalysisContext ctx) {
        this.ctx = ctx;
    }

    void queries(Queries queries) {
        this.queries = queries;
    }

    /** The result of a nested query, analysed once per node. */
    SelectList.Result query(Select select, FromScope outer) throws SQLException {
        return queries.query(select, outer);
    }

    /** Strips redundant parentheses: {@code (email)} is still the column. */
    // JSqlParser 5.3 marks Parenthesis for removal but still produces it for some inputs: handled until it is gone
    @SuppressWarnings("removal")
    static Expression unwrap(Expression e) {
        while (true) {
            if (e instanceof Parenthesis p) {
                e = p.getExpression();
            } else if (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
                e = list.get(0);
            } else {
                return e;
            }
        }
    }

    /**
     * The encrypted column an expression is, when it is exactly a column reference or a scalar subquery whose
     * one result column is that encrypted column; else null.
     */
    EncryptedColumn encryptedColumn(Expression e, FromScope scope) throws SQLException {
        Expression x = unwrap(e);
        if (x instanceof Column c) {
            return scope.resolve(c);
        }
        if (x instanceof Select s) {
            SelectList.Result r = query(s, scope);
            return r.widthKnown() && r.positions().size() == 1 ? r.positions().get(0) : null;
        }
        return null;
    }

    // ---------------------------------------------------------------- predicates (WHERE, JOIN ON, HAVING)

    void predicate(Expression e, FromScope scope, String clause) throws SQLException {
        if (e == null) {
            return;
        }
        Expression x = unwrap(e);
        if (x instanceof AndExpression || x instanceof OrExpression || x instanceof XorExpression) {
            BinaryExpression b = (BinaryExpression) x;
            predicate(b.getLeftExpression(), scope, clause);
            predicate(b.getRightExpression(), scope, clause);
        } else if (x instanceof NotExpression n) {
            predicate(n.getExpression(), scope, clause);
        } else if (x instanceof EqualsTo || x instanceof NotEqualsTo) {
            BinaryExpression b = (BinaryExpression) x;
            equality(b.getLeftExpression(), b.getRightExpression(), b.getStringExpression(), scope, clause);
        } else if (x instanceof IsDistinctExpression d) {
            equality(d.getLeftExpression(), d.getRightExpression(), "IS DISTINCT FROM", scope, clause);
        } else if (x instanceof InExpression in) {
            in(in, scope, clause);
        } else if (x instanceof IsNullExpression n) {
            if (encryptedColumn(n.getLeftExpression(), scope) == null) {
                value(n.getLeftExpression(), scope, clause);
            }
        } else if (x instanceof GreaterThan || x instanceof GreaterThanEquals || x instanceof MinorThan
                || x instanceof MinorThanEquals) {
            BinaryExpression b = (BinaryExpression) x;
            refuseIfColumn(b.getLeftExpression(), scope, c -> Refusals.range(c, b.getStringExpression()));
            refuseIfColumn(b.getRightExpression(), scope, c -> Refusals.range(c, b.getStringExpression()));
            value(x, scope, clause);
        } else if (x instanceof Between b) {
            refuseIfColumn(b.getLeftExpression(), scope, c -> Refusals.range(c, "BETWEEN"));
            refuseIfColumn(b.getBetweenExpressionStart(), scope, c -> Refusals.range(c, "BETWEEN"));
            refuseIfColumn(b.getBetweenExpressionEnd(), scope, c -> Refusals.range(c, "BETWEEN"));
            value(x, scope, clause);
        } else if (x instanceof LikeExpression like) {
            String op = like.getLikeKeyWord() == null ? "LIKE"
                    : like.getLikeKeyWord().toString().replace('_', ' ');
            refuseIfColumn(like.getLeftExpression(), scope, c -> Refusals.pattern(c, op));
            refuseIfColumn(like.getRightExpression(), scope, c -> Refusals.pattern(c, op));
            value(x, scope, clause);
        } else if (x instanceof SimilarToExpression s) {
            refuseIfColumn(s.getLeftExpression(), scope, c -> Refusals.pattern(c, "SIMILAR TO"));
            value(x, scope, clause);
        } else if (x instanceof RegExpMatchOperator r) {
            refuseIfColumn(r.getLeftExpression(), scope, c -> Refusals.pattern(c, "regular expression match"));
            refuseIfColumn(r.getRightExpression(), scope, c -> Refusals.pattern(c, "regular expression match"));
            value(x, scope, clause);
        } else if (x instanceof ComparisonOperator b) {
            refuseIfColumn(b.getLeftExpression(), scope, c -> Refusals.range(c, b.getStringExpression()));
            value(x, scope, clause);
        } else {
            value(x, scope, clause);
        }
    }

    private interface RefusalFor {
        SQLException of(EncryptedColumn column);
    }

    private void refuseIfColumn(Expression e, FromScope scope, RefusalFor refusal) throws SQLException {
        if (e == null) {
            return;
        }
        EncryptedColumn c = encryptedColumn(e, scope);
        if (c != null) {
            throw refusal.of(c);
        }
    }

    /** {@code a = b}, {@code a <> b}, {@code a IS [NOT] DISTINCT FROM b}. */
    private void equality(Expression left, Expression right, String op, FromScope scope, String clause)
            throws SQLException {
        EncryptedColumn l = encryptedColumn(left, scope);
        EncryptedColumn r = encryptedColumn(right, scope);
        if (l == null && r == null) {
            value(left, scope, clause);
            value(right, scope, clause);
            return;
        }
        if (l != null && r != null) {
            if (l != r) {
                throw Refusals.twoColumns(l, r);
            }
            if (l.mode() != EncryptionMode.DETERMINISTIC) {
                throw Refusals.randomizedComparison(l, "comparison " + op);
            }
            return; // the same column on both sides (a self-join): same key, same ciphertexts
        }
        EncryptedColumn column = l != null ? l : r;
        Expression raw = l != null ? right : left;
        Expression other = unwrap(raw);
        if (column.mode() != EncryptionMode.DETERMINISTIC) {
            throw Refusals.randomizedComparison(column, "comparison " + op);
        }
        // Only a bare value right of = / <> can be widened to every candidate ciphertext (see MatchShape).
        MatchShape shape = l == null || raw != other ? MatchShape.FIXED
                : op.equals("=") ? MatchShape.EQUALS
                : op.equals("<>") || op.equals("!=") ? MatchShape.NOT_EQUALS
                : MatchShape.FIXED;
        matchValue(other, column, "comparison " + op, scope, shape);
    }

    /** One value compared with a deterministic encrypted column: a ? parameter (MATCH) or NULL. */
    private void matchValue(Expression other, EncryptedColumn column, String operation, FromScope scope,
                            MatchShape shape) throws SQLException {
        if (other instanceof JdbcParameter p) {
            ctx.target(p, column, ParameterTarget.Use.MATCH, shape);
        } else if (castParameter(other, column) != null) {
            // jOOQ's cast(? as varchar): on a text column the cast to a character type changes nothing.
            ctx.target(castParameter(other, column), column, ParameterTarget.Use.MATCH, MatchShape.FIXED);
        } else if (other instanceof net.sf.jsqlparser.expression.JdbcNamedParameter
                || other instanceof net.sf.jsqlparser.expression.NumericBind) {
            throw Refusals.parameterNumbering(column);
        } else if (other instanceof NullValue) {
            return; // compares with NULL: no value is sent
        } else if (other instanceof Column c) {
            scope.resolve(c);
            throw Refusals.plaintextColumn(column, c.getFullyQualifiedName());
        } else if (other instanceof AnyComparisonExpression) {
            throw Refusals.notYet(operation + " with ANY/ALL (array parameter)", column);
        } else if (other instanceof Select) {
            throw Refusals.subqueryValue(column, operation);
        } else if (!ctx.literal(other, column, ParameterTarget.Use.MATCH, shape)) {
            refuseValue(other, column, operation);
        }
    }

    private static final Set<String> CHARACTER_TYPES =
            Set.of("varchar", "character varying", "text");

    /**
     * The ? of {@code cast(? as varchar)} / {@code ?::text} compared with a column whose plaintext type is text:
     * a cast of a text value to an unbounded character type is the value itself. Null for anything else
     * (other types, {@code varchar(n)} and {@code char(n)}, which truncate or pad, non-text columns).
     */
    static JdbcParameter castParameter(Expression e, EncryptedColumn column) {
        if (!(e instanceof CastExpression cast)
                || column.config().type() != PlaintextType.TEXT
                || !(unwrap(cast.getLeftExpression()) instanceof JdbcParameter p)
                || cast.getColDataType() == null || cast.getColDataType().getDataType() == null
                || cast.getColDataType().getArrayData() != null && !cast.getColDataType().getArrayData().isEmpty()
                || cast.getColDataType().getArgumentsStringList() != null
                && !cast.getColDataType().getArgumentsStringList().isEmpty()
                || cast.getColumnDefinitions() != null && !cast.getColumnDefinitions().isEmpty()) {
            return null;
        }
        String type = cast.getColDataType().getDataType().toLowerCase(Locale.ROOT).trim()
                .replaceAll("\\s+", " ");
        return CHARACTER_TYPES.contains(type) ? p : null;
    }

    /** Refuses a non-parameter value for an encrypted column, as a literal when it carries one. */
    void refuseValue(Expression value, EncryptedColumn column, String operation) throws SQLException {
        if (containsLiteral(value)) {
            ctx.literalForEncryptedColumn();
            throw Refusals.literalKind(column, operation);
        }
        throw Refusals.notParameter(column, operation);
    }

    // JSqlParser 5.3 marks Parenthesis for removal but still produces it for some inputs: handled until it is gone
    @SuppressWarnings("removal")
    private void in(InExpression in, FromScope scope, String clause) throws SQLException {
        EncryptedColumn column = encryptedColumn(in.getLeftExpression(), scope);
        Expression right = in.getRightExpression();
        if (right instanceof AndExpression || right instanceof OrExpression || right instanceof XorExpression) {
            // JSqlParser 5.3 parses "a IN (...) AND b = ?" as "a IN ((...) AND b = ?)". The SQL sent is the
            // original text; re-associate so that the IN list and the following conditions are checked as what
            // they are. The rules treat AND and OR alike, so the outcome equals that of the right tree.
            List<Expression> following = new ArrayList<>();
            Expression leftmost = right;
            while (leftmost instanceof AndExpression || leftmost instanceof OrExpression
                    || leftmost instanceof XorExpression) {
                following.add(((BinaryExpression) leftmost).getRightExpression());
                leftmost = ((BinaryExpression) leftmost).getLeftExpression();
            }
            if (leftmost instanceof ExpressionList<?> || leftmost instanceof Select) {
                right = leftmost;
                for (Expression condition : following) {
                    predicate(condition, scope, clause);
                }
            }
        }
        String op = in.isNot() ? "NOT IN" : "IN";
        if (column == null && right instanceof Select sub) {
            for (EncryptedColumn c : query(sub, scope).positions()) {
                if (c != null) {
                    throw Refusals.plaintextColumn(c, "the plaintext value left of " + op);
                }
            }
        }
        if (column == null) {
            value(in.getLeftExpression(), scope, clause);
            value(right, scope, clause);
            return;
        }
        if (column.mode() != EncryptionMode.DETERMINISTIC) {
            throw Refusals.randomizedComparison(column, op);
        }
        if (right instanceof Select sub) {
            // column IN (SELECT same_column ...): ciphertexts of one deterministic column, one key: allowed.
            SelectList.Result r = query(sub, scope);
            if (!r.widthKnown() || r.positions().size() != 1) {
                throw Refusals.notYet(op + " (subquery) of unknown or multi-column width", column);
            }
            EncryptedColumn from = r.positions().get(0);
            if (from == null) {
                throw Refusals.subqueryValue(column, op);
            }
            if (from != column) {
                throw Refusals.twoColumns(column, from);
            }
            return;
        }
        if (right instanceof ExpressionList<?> list) {
            for (Expression item : list) {
                Expression value = unwrap(item);
                matchValue(value, column, op, scope, value == item ? MatchShape.LIST_ITEM : MatchShape.FIXED);
            }
            return;
        }
        Expression value = unwrap(right);
        boolean single = right instanceof Parenthesis p && p.getExpression() == value;
        matchValue(value, column, op, scope, single ? MatchShape.LIST_ITEM : MatchShape.FIXED);
    }

    // ---------------------------------------------------------------- values (select items, SET values, ...)

    /**
     * Checks an expression in which an encrypted column may appear only as the argument of COUNT: anything
     * else (functions, casts, arithmetic, CASE, window ordering, comparisons buried in expressions) would
     * operate on ciphertext. Subqueries inside are checked by {@link #nestedSelect}.
     */
    void value(Expression e, FromScope scope, String clause) throws SQLException {
        if (e == null) {
            return;
        }
        AstWalker.walk(e, (node, ancestors) -> {
            if (node instanceof Select s) {
                SelectList.Result r = query(s, scope);
                Object parent = ancestors.isEmpty() ? null : ancestors.get(ancestors.size() - 1);
                if (!(parent instanceof net.sf.jsqlparser.expression.operators.relational.ExistsExpression)) {
                    // The subquery's value is used here: an encrypted result column is as if the column sat here.
                    for (EncryptedColumn column : r.positions()) {
                        if (column != null) {
                            allowedAsValue(column, ancestors, clause);
                        }
                    }
                }
                return false;
            }
            if (node instanceof Column c) {
                EncryptedColumn column = scope.resolve(c);
                if (column != null) {
                    allowedAsValue(column, ancestors, clause);
                }
                return false;
            }
            if (node instanceof AllTableColumns star) {
                FromScope.Entry entry = scope.entryFor(star.getTable());
                if (entry != null && entry.configured != null && !entry.configured.columns().isEmpty()) {
                    throw Refusals.expression(entry.configured.columns().iterator().next(),
                            "an expression over " + star.getTable().getName() + ".*", clause);
                }
                return false;
            }
            return true;
        });
    }

    // JSqlParser 5.3 marks Parenthesis for removal but still produces it for some inputs: handled until it is gone
    @SuppressWarnings("removal")
    private void allowedAsValue(EncryptedColumn column, List<Object> ancestors, String clause)
            throws SQLException {
        Object parent = null;
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            Object a = ancestors.get(i);
            if (!(a instanceof ExpressionList<?>) && !(a instanceof Parenthesis)) {
                parent = a;
                break;
            }
        }
        if (parent instanceof Function f && "count".equalsIgnoreCase(f.getName())
                && f.getParameters() != null && f.getParameters().size() == 1) {
            if (f.isDistinct() && column.mode() != EncryptionMode.DETERMINISTIC) {
                throw Refusals.randomizedGrouping(column, "COUNT(DISTINCT)");
            }
            return; // COUNT counts non-null ciphertexts: the same answer as on plaintext
        }
        throw Refusals.expression(column, describe(parent), clause);
    }

    private static String describe(Object parent) {
        if (parent == null) {
            return "a bare condition";
        }
        if (parent instanceof Function f) {
            return "function " + f.getName() + "()";
        }
        if (parent instanceof CastExpression) {
            return "a cast";
        }
        if (parent instanceof CaseExpression || parent instanceof WhenClause) {
            return "CASE";
        }
        if (parent instanceof AnalyticExpression || parent instanceof OrderByElement) {
            return "a window function";
        }
        if (parent instanceof ComparisonOperator || parent instanceof InExpression
                || parent instanceof LikeExpression || parent instanceof Between) {
            return "a comparison inside an expression";
        }
        if (parent instanceof BinaryExpression b) {
            return "operator " + b.getStringExpression();
        }
        return "an expression";
    }

    static boolean containsLiteral(Expression e) throws SQLException {
        boolean[] found = {false};
        AstWalker.walk(e, (node, ancestors) -> {
            if (node instanceof StringValue || node instanceof LongValue || node instanceof DoubleValue
                    || node instanceof HexValue || node instanceof DateValue || node instanceof TimeValue
                    || node instanceof TimestampValue || node instanceof DateTimeLiteralExpression
                    || node instanceof net.sf.jsqlparser.expression.BooleanValue) {
                found[0] = true;
            }
            return !found[0];
        });
        return found[0];
    }

    // ---------------------------------------------------------------- subqueries

    /** A subquery, derived table or CTE body, analysed with the normal rules. */
    void nestedSelect(Select select, FromScope outer) throws SQLException {
        query(select, outer);
    }

    /**
     * A FROM item that is no table and no subquery (table function, VALUES list, ...): it may not involve a
     * configured table at all, and may not refer to an encrypted column of the enclosing query.
     */
    void opaque(Object select, FromScope outer) throws SQLException {
        FromScope inner = new FromScope(ctx, outer);
        List<Column> columns = new ArrayList<>();
        List<AllTableColumns> stars = new ArrayList<>();
        AstWalker.walk(select, (node, ancestors) -> {
            if (node instanceof Table t) {
                FromScope.Entry e = inner.add(t);
                if (e.configured != null) {
                    throw Refusals.notYet("a table function, VALUES list in FROM, recursive or data-modifying CTE",
                            e.configured.identity());
                }
                return false;
            }
            if (node instanceof Column c) {
                columns.add(c);
                return false;
            }
            if (node instanceof AllTableColumns star) {
                stars.add(star);
                return false;
            }
            if (node instanceof ParenthesedSelect ps && ps.getAlias() != null) {
                inner.addUnknown(ps.getAlias().getName());
            }
            if (node instanceof WithItem<?> w && w.getAlias() != null) {
                inner.addUnknown(w.getAlias().getName());
            }
            return true;
        });
        for (Column c : columns) {
            EncryptedColumn column = inner.resolve(c);
            if (column != null) {
                throw Refusals.correlated(column);
            }
        }
        for (AllTableColumns star : stars) {
            FromScope.Entry e = inner.entryFor(star.getTable());
            if (e != null && e.configured != null && !e.configured.columns().isEmpty()) {
                throw Refusals.correlated(e.configured.columns().iterator().next());
            }
        }
    }
}
