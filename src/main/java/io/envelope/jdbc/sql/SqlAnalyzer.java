package io.envelope.jdbc.sql;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.MySqlLexer;
import io.envelope.jdbc.sql.lexer.SqlLexer;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.UnsupportedStatement;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns SQL text into a {@link StatementPlan}: a cheap substring scan first (SQL that cannot name a configured
 * table passes through untouched), then the dialect's lexer, which is the authority on the text: its identifiers
 * decide whether a configured table is named at all, its statement count whether the text is one statement,
 * its tokens decide DDL ({@link DdlRules}); only then JSqlParser, whose reading must agree with the lexer's
 * ({@link ParserAgreement}) before its tree is analysed. A bounded cache keyed by SQL string makes a repeated
 * statement cost one map lookup.
 *
 * <p>Caching: plans of SQL that names a configured table are cached (bounded by entries and by bytes, see
 * {@link PlanCache}); SQL that the token scan clears is not (the scan is cheaper than keeping its text, which for
 * applications that build unique SQL strings would otherwise fill memory); refusals are not (the next attempt is
 * analysed again and raises a fresh exception), and a statement that carries a literal for an encrypted column is
 * never cached, so its text is not retained. Thread-safe; one per runtime.
 */
public final class SqlAnalyzer {

    /**
     * JSqlParser runs each parse on an executor to enforce its parse timeout; without one it would create and
     * shut down a thread per parse. One shared pool of daemon threads serves every analyzer.
     */
    private static final class ParserThreads {
        static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "envelope-jdbc-sql-parser");
            t.setDaemon(true);
            return t;
        });
    }

    private final PlanCache cache;
    private final AtomicLong parses = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private volatile ScannerFor scanner;

    private record ScannerFor(EncryptionSchema schema, TableNameScanner scanner) {
    }

    /** The default byte bound of the plan cache (an estimate of what its entries keep alive, see PlanCache). */
    public static final long DEFAULT_CACHE_BYTES = 4L << 20;

    /** Whether the simplest statements skip JSqlParser ({@link SimpleStatements}); off only to compare the two. */
    private boolean simpleStatements = true;

    /** @param cacheSize the most plans kept (least recently used go first), within {@link #DEFAULT_CACHE_BYTES} */
    public SqlAnalyzer(int cacheSize) {
        this(cacheSize, DEFAULT_CACHE_BYTES);
    }

    /**
     * @param cacheSize  the most plans kept (least recently used go first)
     * @param cacheBytes the most bytes the kept plans may hold alive, SQL text included
     */
    public SqlAnalyzer(int cacheSize, long cacheBytes) {
        this.cache = new PlanCache(cacheSize, cacheBytes);
    }

    /**
     * The plan for this SQL on a connection whose configured tables and catalog are {@code catalog}.
     *
     * @throws java.sql.SQLException an {@code envelope-jdbc:} refusal for SQL that names a configured table
     *                               and cannot be made safe (never quoting SQL that carried a literal)
     */
    public StatementPlan plan(String sql, Catalog catalog) throws SQLException {
        return plan(sql, catalog, SqlDialect.POSTGRESQL);
    }

    /**
     * The plan for this SQL on a connection to a database of {@code dialect} (the cache keys on it: MySQL
     * sessions of one runtime may lex the same text differently).
     */
    public StatementPlan plan(String sql, Catalog catalog, SqlDialect dialect) throws SQLException {
        EncryptionSchema schema = catalog.schema();
        StatementPlan cached = cache.get(schema, dialect, sql);
        if (cached != null) {
            return cached;
        }
        if (!scannerFor(schema).mayNameConfiguredTable(sql)) {
            return StatementPlan.passThrough(sql); // not cached: repeating the scan is cheaper than keeping the text
        }
        SqlLexer lexer = dialect.lexer();
        LexedSql lexed = lexer.lex(sql);
        if (lexed.hazard() != null) {
            // No reading of the text can be trusted to find every table it names: refused whenever the text
            // may name one (the scan above), even where this reading sees the name in a string or comment.
            throw Refusals.ambiguous(namedTables(sql, schema), lexed.hazard());
        }
        if (dialect.isMySqlFamily() && isDynamicSql(lexed)) {
            // The prepared statement's text is a string (or a variable): the name found above may be in it.
            throw Refusals.dynamicSql(namedTables(sql, schema));
        }
        LexedNames names = new LexedNames(lexed, lexer, schema.folding());
        if (!names.namesAny(schema.bareTableNames())) {
            // The name occurs only inside a string, a comment or a longer word: no configured table is named.
            StatementPlan plan = StatementPlan.passThrough(sql);
            cache.put(schema, dialect, sql, plan);
            return plan;
        }
        String tables = namedTables(sql, schema);
        Token error = lexed.firstError();
        if (error != null) {
            throw Refusals.lexical(tables, "the database could not lex it (an unterminated string, quoted "
                    + "identifier or comment, or junk after a number, at character " + (error.start() + 1) + ")");
        }
        if (lexed.ambiguity() != null) {
            throw Refusals.ambiguous(tables, lexed.ambiguity());
        }
        int statementCount = lexed.statementCount();
        if (statementCount == 0) {
            return StatementPlan.passThrough(sql); // only comments: nothing is executed
        }
        if (statementCount > 1) {
            throw Refusals.multipleStatements(tables);
        }
        if (DdlRules.passes(names, schema, tables)) {
            StatementPlan plan = StatementPlan.passThrough(sql);
            cache.put(schema, dialect, sql, plan);
            return plan;
        }
        reads.incrementAndGet();
        Parsed parsed = simpleStatements ? Parsed.simple(lexed) : null;
        if (parsed == null) {
            parsed = parseFully(sql, lexed, lexer, dialect, schema, tables);
        }
        lexed = parsed.lexed();
        StatementAnalysis.Outcome outcome;
        try {
            AnalysisContext ctx = new AnalysisContext(schema, catalog, dialect);
            ctx.rowAlias(parsed.rowAlias());
            outcome = new StatementAnalysis(lexed, lexer, parsed.statement(), ctx).analyse();
        } catch (RuntimeException e) {
            // A defect or an environment problem in analysis must not let the statement through (fail closed).
            // Only our own IllegalStateException is chained: other exceptions might quote the SQL.
            throw EnvelopeErrors.general("SQL analysis failed for a statement that names configured table "
                    + tables + ", so it is refused ("
                    + e.getClass().getSimpleName() + ")", e instanceof IllegalStateException ? e : null);
        }
        if (outcome.cacheable()) {
            cache.put(schema, dialect, sql, outcome.plan());
        }
        return outcome.plan();
    }

    /** The tree the analysis runs on, the tokens it was read from, and MySQL 8's row alias when one was left out. */
    private record Parsed(Statement statement, LexedSql lexed, RowAlias rowAlias) {
        /** The simplest statements, read straight from the tokens ({@link SimpleStatements}); else null. */
        static Parsed simple(LexedSql lexed) {
            Statement statement = SimpleStatements.read(lexed);
            return statement == null ? null : new Parsed(statement, lexed, null);
        }
    }

    /**
     * JSqlParser's tree of the statement, checked against the lexer (the same statement count, every string,
     * comment and identifier where the lexer found it).
     */
    private Parsed parseFully(String sql, LexedSql lexed, SqlLexer lexer, SqlDialect dialect,
                              EncryptionSchema schema, String tables) throws SQLException {
        net.sf.jsqlparser.parser.Token[] head = new net.sf.jsqlparser.parser.Token[1];
        Statements statements;
        RowAlias rowAlias = null;
        try {
            statements = parse(sql, schema, head, lexer);
        } catch (SQLException unparsable) {
            ShareModeLock.Blanked shareMode = dialect.isMySqlFamily() ? ShareModeLock.find(lexed, lexer) : null;
            if (shareMode != null) {
                // SELECT … LOCK IN SHARE MODE: parsed without the clause, which holds no column and no value
                statements = parse(shareMode.parseable(), schema, head, lexer);
                lexed = shareMode.lexed();
                return checked(statements, lexed, head[0], tables, null);
            }
            if (!dialect.isMySqlFamily() || !RowAlias.present(lexed)) {
                throw unparsable;
            }
            // MySQL 8's INSERT … AS new ON DUPLICATE KEY UPDATE: parsed without the alias, which the analysis
            // then models; refused, saying why, when it is not written plainly enough for that.
            rowAlias = RowAlias.find(lexed);
            LexedSql blanked = rowAlias == null ? null : lexer.lex(rowAlias.blank(sql));
            if (blanked == null || !blanked.tokens().equals(rowAlias.tokensOutside(lexed))) {
                throw Refusals.rowAlias(tables);
            }
            try {
                statements = parse(blanked.sql(), schema, head, lexer);
            } catch (SQLException stillUnparsable) {
                throw Refusals.rowAlias(tables);
            }
            // The plan keeps the application's text; its tokens are those the parser saw (the alias left out).
            lexed = new LexedSql(sql, blanked.tokens(), lexed.ambiguity(), lexed.hazard());
        }
        return checked(statements, lexed, head[0], tables, rowAlias);
    }

    /** The one statement JSqlParser read, once it is checked against the lexer's reading of the same text. */
    private static Parsed checked(Statements statements, LexedSql lexed, net.sf.jsqlparser.parser.Token head,
                                  String tables, RowAlias rowAlias) throws SQLException {
        if (statements == null) {
            throw Refusals.unparsable(tables, -1, -1);
        }
        if (statements.size() != 1) {
            // JSqlParser split (or emptied) what the database reads as one statement.
            throw Refusals.parserDisagrees(tables, "the SQL parser and the database count its statements "
                    + "differently");
        }
        String disagreement = ParserAgreement.disagreement(lexed, head);
        if (disagreement != null) {
            throw Refusals.parserDisagrees(tables, disagreement);
        }
        Statement statement = statements.get(0);
        if (statement instanceof UnsupportedStatement && writesOrReads(lexed)) {
            // JSqlParser keeps a statement it has no rule for (REPLACE LOW_PRIORITY, REPLACE DELAYED) as opaque
            // tokens, in which no table is seen: without this it would pass through as naming none.
            throw Refusals.unparsable(tables, -1, -1);
        }
        return new Parsed(statement, lexed, rowAlias);
    }

    /**
     * True when the SQL may name a configured table (or a partition, child, parent or view of one) of the schema:
     * the same cheap token scan that gates analysis.
     */
    public boolean mayNameConfiguredTable(String sql, EncryptionSchema schema) {
        return scannerFor(schema).mayNameConfiguredTable(sql);
    }

    /** Forgets every cached plan: the table layouts or catalog facts they were made from changed. */
    public void forgetPlans() {
        cache.clear();
    }

    private TableNameScanner scannerFor(EncryptionSchema schema) {
        ScannerFor current = scanner;
        if (current == null || current.schema() != schema) {
            current = new ScannerFor(schema, new TableNameScanner(schema.scanNames()));
            scanner = current;
        }
        return current.scanner();
    }

    /**
     * Parses with JSqlParser; {@code head[0]} receives the start of the token chain the tree was built from. A
     * MySQL session that reads a backslash as an escape in strings gets a parser that does too (the lexer, which
     * decides what each string holds, and the parser must end every string at the same place: see
     * {@link ParserAgreement}).
     */
    private Statements parse(String sql, EncryptionSchema schema, net.sf.jsqlparser.parser.Token[] head,
                             SqlLexer lexer) throws SQLException {
        parses.incrementAndGet();
        boolean backslashEscapes = lexer instanceof MySqlLexer mysql && !mysql.noBackslashEscapes();
        try {
            // The consumer sees each parser before it runs (a retry gets a fresh one): the last one's first token.
            return CCJSqlParserUtil.parseStatements(sql, ParserThreads.POOL, parser -> {
                parser.withBackslashEscapeCharacter(backslashEscapes);
                head[0] = parser.token;
            });
        } catch (JSQLParserException | RuntimeException e) {
            // The parser's message quotes tokens of the SQL (possibly a literal): neither it nor the exception
            // is passed on; only the position.
            int line = -1;
            int column = -1;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ParseException pe && pe.currentToken != null && pe.currentToken.next != null) {
                    line = pe.currentToken.next.beginLine;
                    column = pe.currentToken.next.beginColumn;
                    break;
                }
            }
            throw Refusals.unparsable(namedTables(sql, schema), line, column);
        }
    }

    /** The statement verbs that read or write table rows (as opposed to administration a table name may be in). */
    private static final Set<String> ROW_VERBS = Set.of("insert", "replace", "update", "delete",
            "merge", "upsert", "select", "with", "values", "table", "do", "handler", "load", "copy");

    /** Whether the text's first word is a verb of {@link #ROW_VERBS}. */
    private static boolean writesOrReads(LexedSql lexed) {
        return ROW_VERBS.contains(firstWord(lexed));
    }

    /**
     * MySQL's statements that run SQL held in a string or a variable: {@code PREPARE s FROM '…'} and MariaDB's
     * {@code EXECUTE IMMEDIATE '…'} (a plain {@code EXECUTE s} runs what a PREPARE, refused here, prepared).
     */
    private static boolean isDynamicSql(LexedSql lexed) {
        String first = firstWord(lexed);
        return first.equals("prepare") || first.equals("execute") && lexed.significant().size() > 1
                && lexed.text(lexed.significant().get(1)).equalsIgnoreCase("immediate");
    }

    /** The text's first word in lower case, or "" when it starts with something else. */
    private static String firstWord(LexedSql lexed) {
        for (Token t : lexed.tokens()) {
            if (!t.kind().isComment()) {
                return t.kind() == TokenKind.IDENTIFIER ? lexed.text(t).toLowerCase(Locale.ROOT) : "";
            }
        }
        return "";
    }

    /** The configured bare table names that appear in the text, for the refusal message. */
    private static String namedTables(String sql, EncryptionSchema schema) {
        String lower = sql.toLowerCase(Locale.ROOT);
        StringBuilder names = new StringBuilder();
        for (String name : schema.bareTableNames()) {
            if (lower.contains(name.toLowerCase(Locale.ROOT))) {
                names.append(names.length() == 0 ? "" : ", ").append(name);
            }
        }
        return names.length() == 0 ? "(escaped name)" : names.toString();
    }

    /** This analyzer with every statement read by JSqlParser: the reference the simple reader is held to. */
    SqlAnalyzer parserOnly() {
        simpleStatements = false;
        return this;
    }

    /**
     * How many statements were read into a tree to be analysed (by JSqlParser or the simple reader): lets tests
     * prove the gate skipped the analysis.
     */
    long readCount() {
        return reads.get();
    }

    /** How many statements JSqlParser parsed. */
    long parseCount() {
        return parses.get();
    }

    int cachedPlans() {
        return cache.size();
    }

    long cachedBytes() {
        return cache.bytes();
    }
}
