package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DDL on configured tables passes through (Hibernate's ddl-auto and Flyway send it), except when a column
 * definition, ALTER action, constraint or partial index that mentions an encrypted column carries a literal
 * (a DEFAULT value, a CHECK, a WHERE with a constant): that literal would sit in the database as plaintext.
 * Views are refused: a view over an encrypted column is server-side SQL that analysis cannot follow.
 */
final class DdlCheck {

    /** Identifiers (quoted or not) and single-quoted strings of deparsed DDL text. */
    private static final Pattern TOKEN = Pattern.compile("\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|[\\p{L}_][\\p{L}\\p{N}_$]*");

    private final AnalysisContext ctx;

    DdlCheck(AnalysisContext ctx) {
        this.ctx = ctx;
    }

    static boolean isDdl(Statement statement) {
        String pkg = statement.getClass().getPackageName();
        return pkg.startsWith("net.sf.jsqlparser.statement.create")
                || pkg.startsWith("net.sf.jsqlparser.statement.alter")
                || pkg.startsWith("net.sf.jsqlparser.statement.drop")
                || pkg.startsWith("net.sf.jsqlparser.statement.truncate")
                || pkg.startsWith("net.sf.jsqlparser.statement.comment");
    }

    /** @param involved a configured table the statement names, for messages */
    void check(Statement statement, String involved) throws SQLException {
        if (statement instanceof CreateView) {
            throw Refusals.notYet("CREATE VIEW", involved);
        }
        if (statement instanceof AlterView) {
            throw Refusals.notYet("ALTER VIEW", involved);
        }
        List<String> fragments = new ArrayList<>();
        EncryptedTable table = null;
        if (statement instanceof CreateTable create) {
            table = configured(create.getTable());
            if (create.getColumnDefinitions() != null) {
                for (ColumnDefinition d : create.getColumnDefinitions()) {
                    fragments.add(d.toString());
                }
            }
            if (create.getIndexes() != null) {
                for (Index i : create.getIndexes()) {
                    fragments.add(i.toString());
                }
            }
        } else if (statement instanceof Alter alter) {
            table = configured(alter.getTable());
            if (alter.getAlterExpressions() != null) {
                for (AlterExpression e : alter.getAlterExpressions()) {
                    fragments.add(e.toString());
                }
            }
        } else if (statement instanceof CreateIndex index) {
            table = configured(index.getTable());
            fragments.add(index.toString());
        }
        if (table == null) {
            return; // DROP, TRUNCATE, COMMENT, or DDL on another table: nothing of an encrypted value in it
        }
        for (String fragment : fragments) {
            checkFragment(fragment, table);
        }
    }

    private EncryptedTable configured(Table t) {
        if (t == null || t.getName() == null) {
            return null;
        }
        return ctx.schema().table(t.getSchemaName() == null ? null : ctx.normalize(t.getSchemaName()),
                ctx.normalize(t.getName()));
    }

    private void checkFragment(String fragment, EncryptedTable table) throws SQLException {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(fragment);
        while (m.find()) {
            tokens.add(m.group());
        }
        EncryptedColumn mentioned = null;
        for (String token : tokens) {
            if (!token.startsWith("'") && table.column(ctx.normalize(token)) != null) {
                mentioned = table.column(ctx.normalize(token));
                break;
            }
        }
        if (mentioned == null) {
            return;
        }
        boolean literal = fragment.indexOf('\'') >= 0;
        for (int i = 0; i < tokens.size() && !literal; i++) {
            String upper = tokens.get(i).toUpperCase(Locale.ROOT);
            if (upper.equals("CHECK")) {
                literal = true;
            } else if (upper.equals("DEFAULT")) {
                boolean dropped = i > 0 && tokens.get(i - 1).equalsIgnoreCase("DROP");
                boolean nullDefault = i + 1 < tokens.size() && tokens.get(i + 1).equalsIgnoreCase("NULL");
                // A numeric default is not a token of TOKEN: "DEFAULT 0" leaves DEFAULT last or before NOT.
                literal = !dropped && !nullDefault;
            }
        }
        if (literal) {
            throw Refusals.ddlLiteral(mentioned);
        }
    }
}
