package io.envelope.jdbc.sql;

import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The parse tree of the simplest statements, built straight from the lexer's tokens instead of by JSqlParser,
 * whose first parse of a statement costs far more than everything else the analysis does. Only the shapes ORMs
 * write for single rows are read:
 *
 * <pre>
 * SELECT ref, ... FROM table [[AS] alias] [WHERE cond AND ...]
 * INSERT INTO table (column, ...) VALUES (?, ...)
 * UPDATE table [[AS] alias] SET column = ?, ... [WHERE cond AND ...]
 * DELETE FROM table [[AS] alias] [WHERE cond AND ...]
 * </pre>
 *
 * where a ref is {@code column} or {@code qualifier.column}, a table {@code name} or {@code schema.name}, and a
 * cond {@code ref op ?} with op one of {@code = <> < > <= >=}. Every name is a plain unquoted word that is no
 * keyword; there is no comment, string, number or other token, and nothing after the last clause. Anything else
 * gets {@code null}, and JSqlParser reads it.
 *
 * <p>The tree is the one JSqlParser builds for the same text (the same node classes, the same {@code toString()},
 * parameters numbered in text order), so the analysis and its rules run on it unchanged; a test holds the two to
 * that over a corpus and generated statements. As with the parser's tree, the lexer decided what every token is.
 */
final class SimpleStatements {

    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Words never read as a name here: SQL's reserved words, the ones that start a clause this reader does not
     * take, and MySQL's statement modifiers and table hints ({@code UPDATE IGNORE t SET …} must not read as table
     * {@code ignore} with alias {@code t}), so that a statement with any of them never matches a shorter shape.
     */
    private static final Set<String> KEYWORDS = Set.of("all", "and", "any", "as", "asc", "between", "by", "case",
            "cross", "default", "delayed", "delete", "desc", "distinct", "distinctrow", "else", "end", "except",
            "exists", "false", "fetch", "for", "force", "from", "full", "group", "having", "high_priority",
            "ignore", "ilike", "in", "inner", "insert", "intersect", "into", "is", "join", "lateral", "left",
            "like", "limit", "lock", "low_priority", "natural", "not", "null", "offset", "on", "only", "or",
            "order", "outer", "partition", "quick", "returning", "right", "select", "set", "similar", "some",
            "sql_big_result", "sql_buffer_result", "sql_cache", "sql_calc_found_rows", "sql_no_cache",
            "sql_small_result", "straight_join", "table", "tablesample", "then", "top", "true", "union", "unknown",
            "update", "use", "using", "values", "when", "where", "window", "with");

    private final LexedSql lexed;
    private final List<Token> tokens;
    private int at;
    private int parameters;

    private SimpleStatements(LexedSql lexed) {
        this.lexed = lexed;
        this.tokens = lexed.tokens();
    }

    /** The statement's tree, or null when the text is not one of the simple shapes. */
    static Statement read(LexedSql lexed) {
        for (Token t : lexed.tokens()) {
            switch (t.kind()) {
                case IDENTIFIER, PLACEHOLDER, OPERATOR, OPEN_PAREN, CLOSE_PAREN, COMMA, DOT -> {
                }
                default -> {
                    return null;
                }
            }
        }
        SimpleStatements reader = new SimpleStatements(lexed);
        Statement statement = reader.statement();
        return statement != null && reader.at == reader.tokens.size() ? statement : null;
    }

    private Statement statement() {
        if (keyword("select")) {
            return select();
        }
        if (keyword("insert")) {
            return insert();
        }
        if (keyword("update")) {
            return update();
        }
        if (keyword("delete")) {
            return delete();
        }
        return null;
    }

    private PlainSelect select() {
        List<SelectItem<?>> items = new ArrayList<>();
        do {
            Column column = ref();
            if (column == null) {
                return null;
            }
            items.add(new SelectItem<>(column));
        } while (punctuation(TokenKind.COMMA));
        if (!keyword("from")) {
            return null;
        }
        Table table = table(true);
        if (table == null) {
            return null;
        }
        PlainSelect select = new PlainSelect();
        select.setSelectItems(items);
        select.setFromItem(table);
        return optionalWhere(select::setWhere) ? select : null;
    }

    private Insert insert() {
        if (!keyword("into")) {
            return null;
        }
        Table table = table(false);
        if (table == null || !punctuation(TokenKind.OPEN_PAREN)) {
            return null;
        }
        List<Column> columns = new ArrayList<>();
        do {
            String name = name();
            if (name == null) {
                return null;
            }
            columns.add(new Column(name));
        } while (punctuation(TokenKind.COMMA));
        if (!punctuation(TokenKind.CLOSE_PAREN) || !keyword("values") || !punctuation(TokenKind.OPEN_PAREN)) {
            return null;
        }
        List<Expression> values = new ArrayList<>();
        do {
            JdbcParameter parameter = parameter();
            if (parameter == null) {
                return null;
            }
            values.add(parameter);
        } while (punctuation(TokenKind.COMMA));
        if (!punctuation(TokenKind.CLOSE_PAREN) || values.size() != columns.size()) {
            return null;
        }
        Insert insert = new Insert();
        insert.setTable(table);
        insert.setColumns(new ExpressionList<>(columns));
        insert.setSelect(new Values(new ParenthesedExpressionList<>(values)));
        return insert;
    }

    private Update update() {
        Table table = table(true);
        if (table == null || !keyword("set")) {
            return null;
        }
        Update update = new Update();
        update.setTable(table);
        do {
            String name = name();
            if (name == null || !operator("=")) {
                return null;
            }
            JdbcParameter parameter = parameter();
            if (parameter == null) {
                return null;
            }
            update.addUpdateSet(new UpdateSet(new Column(name), parameter));
        } while (punctuation(TokenKind.COMMA));
        return optionalWhere(update::setWhere) ? update : null;
    }

    private Delete delete() {
        if (!keyword("from")) {
            return null;
        }
        Table table = table(true);
        if (table == null) {
            return null;
        }
        Delete delete = new Delete();
        delete.setTable(table);
        return optionalWhere(delete::setWhere) ? delete : null;
    }

    /** An optional {@code WHERE cond AND ...}: false when there is one that is not of the simple shape. */
    private boolean optionalWhere(Consumer<Expression> setWhere) {
        if (!keyword("where")) {
            return true;
        }
        Expression where = conditions();
        if (where != null) {
            setWhere.accept(where);
        }
        return where != null;
    }

    /** {@code cond AND cond ...}, associating to the left as the parser does. */
    private Expression conditions() {
        Expression where = condition();
        while (where != null && keyword("and")) {
            Expression next = condition();
            where = next == null ? null : new AndExpression(where, next);
        }
        return where;
    }

    /** {@code ref op ?}. */
    private Expression condition() {
        Column column = ref();
        if (column == null || at >= tokens.size() || tokens.get(at).kind() != TokenKind.OPERATOR) {
            return null;
        }
        String op = lexed.text(tokens.get(at++));
        JdbcParameter parameter = parameter();
        if (parameter == null) {
            return null;
        }
        return switch (op) {
            case "=" -> new EqualsTo(column, parameter);
            case "<>" -> new NotEqualsTo(column, parameter);
            case "<" -> new MinorThan().withLeftExpression(column).withRightExpression(parameter);
            case ">" -> new GreaterThan().withLeftExpression(column).withRightExpression(parameter);
            case "<=" -> new MinorThanEquals().withLeftExpression(column).withRightExpression(parameter);
            case ">=" -> new GreaterThanEquals().withLeftExpression(column).withRightExpression(parameter);
            default -> null;
        };
    }

    /** {@code name} or {@code qualifier.name}. */
    private Column ref() {
        String first = name();
        if (first == null) {
            return null;
        }
        if (!punctuation(TokenKind.DOT)) {
            return new Column(first);
        }
        String second = name();
        return second == null ? null : new Column(new Table(first), second);
    }

    /** {@code name} or {@code schema.name}, with an alias ({@code [AS] alias}) where one may follow. */
    private Table table(boolean aliased) {
        String first = name();
        if (first == null) {
            return null;
        }
        Table table;
        if (punctuation(TokenKind.DOT)) {
            String second = name();
            if (second == null) {
                return null;
            }
            table = new Table(first, second);
        } else {
            table = new Table(first);
        }
        if (aliased) {
            boolean as = keyword("as");
            String alias = name();
            if (alias != null) {
                table.setAlias(new Alias(alias, as));
            } else if (as) {
                return null;
            }
        }
        return table;
    }

    private JdbcParameter parameter() {
        if (at < tokens.size() && tokens.get(at).kind() == TokenKind.PLACEHOLDER) {
            at++;
            return new JdbcParameter(++parameters, false, "?");
        }
        return null;
    }

    /** A plain word that is no keyword, as written; else null, without moving on. */
    private String name() {
        if (at >= tokens.size() || tokens.get(at).kind() != TokenKind.IDENTIFIER) {
            return null;
        }
        String text = lexed.text(tokens.get(at));
        if (!WORD.matcher(text).matches() || KEYWORDS.contains(text.toLowerCase(Locale.ROOT))) {
            return null;
        }
        at++;
        return text;
    }

    private boolean keyword(String word) {
        if (at < tokens.size() && tokens.get(at).kind() == TokenKind.IDENTIFIER
                && lexed.text(tokens.get(at)).equalsIgnoreCase(word)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean operator(String op) {
        if (at < tokens.size() && tokens.get(at).kind() == TokenKind.OPERATOR
                && lexed.text(tokens.get(at)).equals(op)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean punctuation(TokenKind kind) {
        if (at < tokens.size() && tokens.get(at).kind() == kind) {
            at++;
            return true;
        }
        return false;
    }
}
