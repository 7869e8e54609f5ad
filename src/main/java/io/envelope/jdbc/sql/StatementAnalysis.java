package io.envelope.jdbc.sql;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.SqlLexer;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.NumericBind;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Analyses one parsed statement into a plan: finds every table, column and parameter in it, dispatches on the
 * statement kind ({@link QueryAnalysis} for SELECT, {@link InsertAnalysis}, {@link UpdateDeleteAnalysis}; DDL
 * passes, decided before the parse), then runs the safety net — every column reference anywhere in the statement
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
        QueryAnalysis queries = new QueryAnalysis(ctx, rules, first());
        rules.queries(queries::query);
        AssignmentRules assignments = new AssignmentRules(ctx, rules);
        SelectList.Result results;
        EncryptedTable writeTarget = null;
        Insert insert = statement instanceof Insert i ? i : replace(statement);
        if (statement instanceof Select select) {
            results = queries.query(select, null);
        } else if (insert != null) {
            FromScope scope = new FromScope(ctx, null, queries.withItems(insert.getWithItemsList(), null, null));
            results = new InsertAnalysis(ctx, rules, queries, assignments, lexed, lexer, first()).insert(insert, scope);
            writeTarget = scope.entries().get(0).configured;
        } else if (statement instanceof Update update) {
            FromScope scope = new FromScope(ctx, null, queries.withItems(update.getWithItemsList(), null, null));
            results = new UpdateDeleteAnalysis(ctx, rules, queries, assignments).update(update, scope);
            writeTarget = scope.entries().get(0).configured;
        } else if (statement instanceof Delete delete) {
            results = new UpdateDeleteAnalysis(ctx, rules, queries, assignments)
                    .delete(delete, queries.withItems(delete.getWithItemsList(), null, null));
        } else {
            throw Refusals.statementKind(statement.getClass().getSimpleName(), first());
        }
        safetyNet();
        ParameterTarget[] targets = numberParameters();
        boolean anyTarget = Arrays.stream(targets).anyMatch(t -> t != null);
        // Documented choice: a statement on configured tables with nothing to encrypt or decrypt and no
        // configured write target passes through; one with a write target keeps it for getGeneratedKeys().
        MatchShape[] shapes = new MatchShape[targets.length];
        for (Map.Entry<Integer, MatchShape> s : ctx.shapes().entrySet()) {
            if (s.getKey() >= 1 && s.getKey() <= shapes.length) {
                shapes[s.getKey() - 1] = s.getValue();
            }
        }
        List<EncryptedLiteral> literals = new ArrayList<>();
        for (EncryptedLiteral l : ctx.literals()) {
            literals.add(l.withOperatorAt(operatorBefore(l.start(), l.shape())));
        }
        int[] placeholders = lexed.placeholders();
        int[] operators = new int[targets.length];
        for (int i = 0; i < targets.length; i++) {
            operators[i] = operatorBefore(placeholders[i], shapes[i]);
        }
        StatementPlan plan = !anyTarget && !results.hasEncrypted() && writeTarget == null && ctx.literals().isEmpty()
                ? StatementPlan.passThrough(sql)
                : StatementPlan.encrypted(sql, placeholders, targets, shapes, literals,
                        results.positions().isEmpty() ? ResultShape.NONE : results.shape(), writeTarget)
                        .withOperators(operators)
                        .withColumnList(ctx.columnList())
                        .withErrorsIgnored(ctx.mySqlFamily() && (statement instanceof Insert i && i.isModifierIgnore()
                                || statement instanceof Update u && u.isModifierIgnore()));
        return new Outcome(plan, !ctx.carriesEncryptedLiteral());
    }

    /**
     * For a lookup value of {@link MatchShape#EQUALS} or {@link MatchShape#NOT_EQUALS} shape at {@code offset},
     * where the {@code =}, {@code <>} or {@code !=} right before it (comments aside) starts; else -1.
     */
    private int operatorBefore(int offset, MatchShape shape) {
        if (shape != MatchShape.EQUALS && shape != MatchShape.NOT_EQUALS) {
            return -1;
        }
        List<Token> tokens = lexed.tokens();
        int i = lexed.indexStartingAt(offset) - 1;
        while (i >= 0 && tokens.get(i).kind().isComment()) {
            i--;
        }
        if (i < 0 || tokens.get(i).kind() != TokenKind.OPERATOR) {
            return -1;
        }
        String op = lexed.text(tokens.get(i));
        boolean fits = shape == MatchShape.EQUALS ? op.equals("=") : op.equals("<>") || op.equals("!=");
        return fits ? tokens.get(i).start() : -1;
    }

    /**
     * MySQL's {@code REPLACE [INTO] t (…) VALUES …}, {@code REPLACE … SELECT} and {@code REPLACE t SET …} as the
     * INSERT it is for the rules (it deletes the old row first, which changes nothing about what is stored):
     * the same parts, the same AST nodes, so targets and literal positions are those of the text. Null for any
     * other statement, and for REPLACE on other databases (JSqlParser's Upsert also covers UPSERT and SQLite's
     * INSERT OR …, which keep being refused as a statement kind).
     *
     * @throws SQLException a refusal for REPLACE with ON DUPLICATE KEY UPDATE, which MySQL does not have
     */
    private Insert replace(Statement s) throws SQLException {
        if (!(s instanceof Upsert upsert) || !ctx.mySqlFamily() || upsert.getUpsertType() == null) {
            return null;
        }
        if (upsert.getUpsertType() != UpsertType.REPLACE && upsert.getUpsertType() != UpsertType.REPLACE_SET) {
            return null;
        }
        if (upsert.getDuplicateUpdateSets() != null) {
            throw Refusals.notYet("REPLACE with ON DUPLICATE KEY UPDATE", first());
        }
        Insert insert = new Insert();
        insert.setTable(upsert.getTable());
        insert.setColumns(upsert.getColumns());
        insert.setSelect(upsert.getSelect());
        insert.withSetUpdateSets(upsert.getUpdateSets()); // REPLACE t SET …: JSqlParser 5.3 types it REPLACE too
        return insert;
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
                    throw EnvelopeErrors.refused(io.envelope.jdbc.RefusalReason.VIEW, refusal);
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
