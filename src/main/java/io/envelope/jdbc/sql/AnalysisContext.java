package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.SqlLexer;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.schema.Column;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The state of analysing one statement: the schema and catalog it is analysed against, the parameter targets
 * found so far, and which column references the rules have examined (the rest are checked by the safety net
 * in {@link StatementAnalysis}). One instance per analysis; not shared.
 */
final class AnalysisContext {

    private final EncryptionSchema schema;
    private final Catalog catalog;
    private final SqlDialect dialect;
    private RowAlias rowAlias;
    private final TreeMap<Integer, ParameterTarget> targets = new TreeMap<>();
    private final TreeMap<Integer, MatchShape> shapes = new TreeMap<>();
    private final List<EncryptedLiteral> literals = new ArrayList<>();
    private Literals literalFinder;
    private LexedSql lexed;
    private SqlLexer lexer;
    private final Set<Column> examined = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean carriesEncryptedLiteral;
    private StatementPlan.ColumnList columnList;
    private final Map<String, EncryptedColumn> encryptedAliases = new HashMap<>();
    private final Map<Object, SelectList.Result> queries = new IdentityHashMap<>();

    AnalysisContext(EncryptionSchema schema, Catalog catalog, SqlDialect dialect) {
        this.schema = schema;
        this.catalog = catalog;
        this.dialect = dialect;
    }

    /**
     * Whether the statement is for MySQL or MariaDB: their own statement forms (REPLACE, ON DUPLICATE KEY UPDATE's
     * {@code VALUES(c)}, multi-table UPDATE) are analysed only there; on the other databases they keep the
     * rules they had (refused, or read as those databases read them).
     */
    boolean mySqlFamily() {
        return dialect.isMySqlFamily();
    }

    /** MySQL 8's row alias of the INSERT being analysed, which the parser did not see; or null. */
    void rowAlias(RowAlias alias) {
        this.rowAlias = alias;
    }

    RowAlias rowAlias() {
        return rowAlias;
    }

    EncryptionSchema schema() {
        return schema;
    }

    String normalize(String identifier) {
        return schema.folding().normalize(identifier);
    }

    List<String> columnNames(String schemaName, String table) throws SQLException {
        List<String> names = catalog.columnNames(schemaName, table);
        return names == null ? List.of() : names;
    }

    /** A derived table's / CTE's output name that carries an encrypted column: the safety net checks it too. */
    void encryptedAlias(String name, EncryptedColumn column) {
        encryptedAliases.putIfAbsent(name, column);
    }

    Map<String, EncryptedColumn> encryptedAliases() {
        return encryptedAliases;
    }

    /** Each query node is analysed once (a scalar subquery is seen by several rules); its result is kept. */
    Map<Object, SelectList.Result> queries() {
        return queries;
    }

    void examined(Column column) {
        examined.add(column);
    }

    boolean wasExamined(Column column) {
        return examined.contains(column);
    }

    /** The statement's text as the dialect's lexer read it: literal positions are checked against it. */
    void lexed(LexedSql lexed, SqlLexer lexer) {
        this.lexed = lexed;
        this.lexer = lexer;
        this.literalFinder = null;
    }

    /** Records that JDBC parameter {@code p} is encrypted for {@code column}. */
    void target(JdbcParameter p, EncryptedColumn column, ParameterTarget.Use use) throws SQLException {
        target(p, column, use, use == ParameterTarget.Use.MATCH ? MatchShape.FIXED : null);
    }

    /** Records a parameter target; for MATCH, with where it sits (how it can be widened). */
    void target(JdbcParameter p, EncryptedColumn column, ParameterTarget.Use use, MatchShape shape)
            throws SQLException {
        Integer at = p.getIndex();
        if (at != null && shape != null) {
            MatchShape before = shapes.put(at, shape);
            if (before != null && before != shape) {
                shapes.put(at, MatchShape.FIXED);
            }
        }
        Integer index = p.getIndex();
        if (index == null || p.isUseFixedIndex()) {
            throw Refusals.parameterNumbering(column);
        }
        ParameterTarget previous = targets.put(index, new ParameterTarget(column, use));
        if (previous != null && (previous.column() != column || previous.use() != use)) {
            throw Refusals.parameterNumbering(column);
        }
    }

    TreeMap<Integer, ParameterTarget> targets() {
        return targets;
    }

    TreeMap<Integer, MatchShape> shapes() {
        return shapes;
    }

    /**
     * Records a literal for an encrypted column, to be encrypted in place. Marks the statement as carrying a
     * plaintext literal (never cached, never quoted). False when {@code e} is no literal the driver can rewrite.
     */
    boolean literal(net.sf.jsqlparser.expression.Expression e, EncryptedColumn column, ParameterTarget.Use use,
                    MatchShape shape) {
        literalForEncryptedColumn();
        if (literalFinder == null) {
            literalFinder = new Literals(lexed, lexer);
        }
        Literals.Found found = literalFinder.find(e);
        if (found == null) {
            return false;
        }
        for (EncryptedLiteral l : literals) {
            if (l.start() < found.end() && found.start() < l.end()) {
                return false; // the same text reached twice: cannot be two literals
            }
        }
        literals.add(new EncryptedLiteral(found.start(), found.end(), column, use, shape, found.value()));
        return true;
    }

    List<EncryptedLiteral> literals() {
        return literals;
    }

    /**
     * An INSERT into a configured table without a column list: the columns the analysis mapped its values to,
     * from the table's layout, are written into the SQL before {@code source} (its VALUES or query), so the
     * database maps each value by name exactly as the analysis did — even if the table's columns were reordered
     * since its layout was read, when by position they would land in other columns (plaintext in an encrypted
     * one). A layout that lost a column then makes the database reject the statement: nothing is written.
     *
     * @return false when the position of {@code source} in the text cannot be found (the caller refuses)
     */
    boolean columnList(net.sf.jsqlparser.parser.ASTNodeAccess source, List<String> columns) {
        if (literalFinder == null) {
            literalFinder = new Literals(lexed, lexer);
        }
        int at = literalFinder.start(source);
        if (at < 0) {
            return false;
        }
        // MySQL reads "name" as a string unless the session has ANSI_QUOTES; a backtick is a name in every mode.
        String quote = dialect.isMySqlFamily() ? "`" : "\"";
        StringBuilder list = new StringBuilder("(");
        for (String column : columns) {
            list.append(list.length() == 1 ? "" : ", ").append(quote).append(column.replace(quote, quote + quote))
                    .append(quote);
        }
        columnList = new StatementPlan.ColumnList(at, list.append(") ").toString());
        return true;
    }

    StatementPlan.ColumnList columnList() {
        return columnList;
    }

    /** Marks the statement as carrying a literal for an encrypted column: never cached, never quoted. */
    void literalForEncryptedColumn() {
        carriesEncryptedLiteral = true;
    }

    boolean carriesEncryptedLiteral() {
        return carriesEncryptedLiteral;
    }
}
