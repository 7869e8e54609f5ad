package io.envelope.jdbc.sql;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.lexer.H2Lexer;
import io.envelope.jdbc.sql.lexer.MySqlLexer;
import io.envelope.jdbc.sql.lexer.MySqlTargetDriver;
import io.envelope.jdbc.sql.lexer.PostgresLexer;
import io.envelope.jdbc.sql.lexer.SqlLexer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SQL dialect of a target database, decided once per connection from the database's own product name:
 * how its text is lexed and how a ciphertext is written as a literal (how its identifiers fold is
 * {@link io.envelope.jdbc.schema.IdentifierCase}, read from the same metadata). Only databases
 * whose SQL the analysis models are accepted; any other target is refused when the connection opens, because
 * its quoting and comment rules would let plaintext past an analysis that does not know them.
 *
 * <p>PostgreSQL's and H2's lexical rules are fixed facts of the product (PostgreSQL's assume
 * {@code standard_conforming_strings = on}). MySQL's and MariaDB's depend on the session: {@code sql_mode} decides
 * whether {@code "…"} is a string or a name and whether a backslash escapes, so their dialect is one instance per
 * combination of the session's facts, read with one query when the connection opens
 * ({@link #readMySqlSession}). Instances are immutable and compared with {@code equals}: a plan made for one
 * dialect is never used for text lexed another way.
 */
public final class SqlDialect {

    /** The major version of MySQL Connector/J whose placeholder scan is traced (MySqlConnectorJScan). */
    private static final int MYSQL_CONNECTOR_J_MAJOR = 9;

    /** The database product names of the MySQL family, as their JDBC drivers report them. */
    private static final Set<String> MYSQL_FAMILY = Set.of("mysql", "mariadb");

    /**
     * The {@code sql_mode} flags the MySQL dialect knows the effect of. Any other flag (ORACLE, MSSQL, DB2,
     * PIPES_AS_CONCAT, ANSI, …) changes how the server reads SQL in ways the analysis does not model, so a session
     * with one is refused. IGNORE_SPACE is known: MariaDB Connector/J sets it on every connection, and it only
     * makes {@code count (x)} a call of the built-in function, as the SQL parser reads it anyway.
     */
    private static final Set<String> KNOWN_SQL_MODES = Set.of(
            "ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "IGNORE_SPACE",
            "STRICT_TRANS_TABLES", "STRICT_ALL_TABLES", "ERROR_FOR_DIVISION_BY_ZERO", "NO_AUTO_CREATE_USER",
            "NO_ENGINE_SUBSTITUTION", "NO_ZERO_DATE", "NO_ZERO_IN_DATE", "ONLY_FULL_GROUP_BY",
            "NO_AUTO_VALUE_ON_ZERO", "NO_DIR_IN_CREATE", "NO_UNSIGNED_SUBTRACTION", "ALLOW_INVALID_DATES",
            "REAL_AS_FLOAT", "TIME_TRUNCATE_FRACTIONAL", "NO_FIELD_OPTIONS", "NO_KEY_OPTIONS", "NO_TABLE_OPTIONS");

    /**
     * The client character sets in which a quote or a backslash byte is always that character: UTF-8 (what both
     * Connector/Js send) and single-byte ASCII supersets. In GBK, Big5, SJIS, CP932 or GB18030 a backslash byte
     * can be the second half of a two-byte character, so the server would end a string where this lexer does not.
     */
    private static final Set<String> SAFE_CLIENT_CHARSETS = Set.of("utf8mb4", "utf8mb3", "utf8", "latin1", "ascii");

    /** Text that may change the session's sql_mode or client character set, written any way (see mayChangeSession). */
    private static final Pattern SESSION_CHANGE = Pattern.compile(
            "sql_mode|character_set|charset|character\\s+set|\\bnames\\b|\\buse\\b|\\bexecute\\b|\\bcall\\b",
            Pattern.CASE_INSENSITIVE);

    /** Modes without which MySQL silently truncates an over-long value instead of failing the statement. */
    private static final Set<String> STRICT_MODES = Set.of("STRICT_TRANS_TABLES", "STRICT_ALL_TABLES");

    private enum Family { POSTGRESQL, H2, MYSQL }

    public static final SqlDialect POSTGRESQL = new SqlDialect(Family.POSTGRESQL, "PostgreSQL", PostgresLexer.INSTANCE,
            false, IdentifierCase.POSTGRESQL);

    /** H2 (2.x), for the demo and tests. */
    public static final SqlDialect H2 = new SqlDialect(Family.H2, "H2", H2Lexer.INSTANCE, false, null);

    private final Family family;
    private final String productName;
    private final SqlLexer lexer;
    private final boolean strict;
    private final IdentifierCase identifierCase;

    private SqlDialect(Family family, String productName, SqlLexer lexer, boolean strict,
                       IdentifierCase identifierCase) {
        this.family = family;
        this.productName = productName;
        this.lexer = lexer;
        this.strict = strict;
        this.identifierCase = identifierCase;
    }

    /**
     * The dialect of the database behind {@code connection}, by its product name (not its URL: a URL names a
     * driver, which may front another database). PostgreSQL and H2 cost no round trip; a MySQL or MariaDB
     * session's facts are read with one query ({@link #readMySqlSession}).
     *
     * @throws SQLException an {@code envelope-jdbc:} error naming the supported databases, for any other
     */
    public static SqlDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String name = product == null ? "" : product.trim();
        if (name.equalsIgnoreCase(POSTGRESQL.productName)) {
            return POSTGRESQL;
        }
        if (name.equalsIgnoreCase(H2.productName)) {
            return H2;
        }
        if (MYSQL_FAMILY.contains(name.toLowerCase(Locale.ROOT))) {
            return readMySqlSession(connection);
        }
        throw EnvelopeErrors.config("the target database is " + (product == null ? "unknown" : product)
                + ", whose SQL envelope-jdbc does not analyse: it supports PostgreSQL, MariaDB and MySQL (and H2, "
                + "for demos and tests). Connect to one of those; other databases' quoting and comment rules could "
                + "let plaintext past the analysis, so the connection is refused.");
    }

    /**
     * The dialect of a MySQL or MariaDB session, from its facts: the product name, {@code @@sql_mode} and
     * {@code @@lower_case_table_names}.
     *
     * @throws SQLException an {@code envelope-jdbc:} error for a product outside the MySQL family, a mode the
     *                      analysis does not model, or a {@code lower_case_table_names} the server cannot have
     */
    public static SqlDialect mysql(String product, String sqlMode, int lowerCaseTableNames) throws SQLException {
        return mysql(product, sqlMode, lowerCaseTableNames, "utf8mb4");
    }

    /**
     * As {@link #mysql(String, String, int)}, with the session's {@code character_set_client}.
     *
     * @throws SQLException also for a client character set in which a backslash byte may belong to another
     *                      character (GBK, Big5, SJIS, …)
     */
    public static SqlDialect mysql(String product, String sqlMode, int lowerCaseTableNames, String clientCharset)
            throws SQLException {
        return mysql(product, sqlMode, lowerCaseTableNames, clientCharset, MySqlTargetDriver.MARIADB_CONNECTOR_J);
    }

    /**
     * As {@link #mysql(String, String, int, String)}, for a session reached through {@code driver}, whose scan
     * for placeholders the lexer checks the text against.
     */
    public static SqlDialect mysql(String product, String sqlMode, int lowerCaseTableNames, String clientCharset,
                                   MySqlTargetDriver driver) throws SQLException {
        String name = product == null ? "" : product.trim();
        String charset = clientCharset == null ? "" : clientCharset.trim().toLowerCase(Locale.ROOT);
        if (!SAFE_CLIENT_CHARSETS.contains(charset)) {
            throw EnvelopeErrors.config("the session's character_set_client is " + charset + ": in it the server "
                    + "may read a quote or backslash byte as part of another character, so strings would not end "
                    + "where envelope-jdbc sees them end, and the connection is refused. Use utf8mb4.");
        }
        if (!MYSQL_FAMILY.contains(name.toLowerCase(Locale.ROOT))) {
            throw EnvelopeErrors.config("the target database is " + (product == null ? "unknown" : product)
                    + ", not MySQL or MariaDB");
        }
        boolean ansiQuotes = false;
        boolean noBackslashEscapes = false;
        boolean strict = false;
        StringBuilder unknown = new StringBuilder();
        for (String raw : (sqlMode == null ? "" : sqlMode).split(",")) {
            String mode = raw.trim().toUpperCase(Locale.ROOT);
            if (mode.isEmpty()) {
                continue;
            }
            if (!KNOWN_SQL_MODES.contains(mode)) {
                unknown.append(unknown.length() == 0 ? "" : ", ").append(mode);
            }
            ansiQuotes |= mode.equals("ANSI_QUOTES");
            noBackslashEscapes |= mode.equals("NO_BACKSLASH_ESCAPES");
            strict |= STRICT_MODES.contains(mode);
        }
        if (unknown.length() > 0) {
            throw EnvelopeErrors.config("the session's sql_mode includes " + unknown + ", which change how "
                    + name + " reads SQL in ways envelope-jdbc does not model, so the connection is refused. "
                    + "Remove them from sql_mode for the sessions that go through envelope-jdbc.");
        }
        IdentifierCase identifiers;
        try {
            identifiers = IdentifierCase.mysql(lowerCaseTableNames);
        } catch (IllegalArgumentException e) {
            throw EnvelopeErrors.config("the server reports lower_case_table_names = " + lowerCaseTableNames
                    + ", which MySQL and MariaDB do not have, so the connection is refused");
        }
        return new SqlDialect(Family.MYSQL, name.equalsIgnoreCase("mariadb") ? "MariaDB" : "MySQL",
                MySqlLexer.of(ansiQuotes, noBackslashEscapes, driver), strict, identifiers);
    }

    /**
     * Reads a MySQL or MariaDB session's facts (one query, when the connection opens) and returns its dialect.
     * The facts are read from the session itself, not from the server's defaults: a pool's init SQL or the
     * driver's {@code sessionVariables} may have changed them.
     */
    public static SqlDialect readMySqlSession(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        MySqlTargetDriver driver = targetDriver(connection, product);
        SqlDialect dialect;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@SESSION.sql_mode, @@lower_case_table_names,"
                     + " @@SESSION.character_set_client")) {
            if (!rs.next()) {
                throw EnvelopeErrors.config("cannot read the session's sql_mode from the " + product + " server");
            }
            dialect = mysql(product, rs.getString(1), rs.getInt(2), rs.getString(3), driver);
        }
        boolean noBackslashEscapes = ((MySqlLexer) dialect.lexer).noBackslashEscapes();
        if (driver == MySqlTargetDriver.MYSQL_CONNECTOR_J
                && MySqlConnectorJState.believesNoBackslashEscapes(connection) != noBackslashEscapes) {
            // The driver read sql_mode when it connected and missed the change: it would escape bound strings
            // (and find placeholders) for the other mode, so a bound value could end its string early.
            throw EnvelopeErrors.config("the session's sql_mode " + (noBackslashEscapes ? "now has" : "no longer has")
                    + " NO_BACKSLASH_ESCAPES, but MySQL Connector/J read sql_mode when it connected and still "
                    + "escapes bound values and finds ? placeholders as " + (noBackslashEscapes ? "without" : "with")
                    + " it, so statements are refused. Set NO_BACKSLASH_ESCAPES back as it was, or set it when the "
                    + "connection opens (the driver's sessionVariables property)");
        }
        return dialect;
    }

    /**
     * The target driver of a MySQL or MariaDB connection, when its placeholder scan is traced.
     *
     * @throws SQLException an {@code envelope-jdbc:} error naming the supported drivers, for any other
     */
    private static MySqlTargetDriver targetDriver(Connection connection, String product) throws SQLException {
        String name = connection.getMetaData().getDriverName();
        MySqlTargetDriver driver = MySqlTargetDriver.named(name);
        if (driver == MySqlTargetDriver.MYSQL_CONNECTOR_J
                && connection.getMetaData().getDriverMajorVersion() != MYSQL_CONNECTOR_J_MAJOR) {
            driver = null; // an older or newer scan, not traced
        }
        if (driver == null) {
            // Each driver finds a prepared statement's ? placeholders with its own scan of the text; only these
            // drivers' scans are traced, so only they can be trusted to bind the encrypted values where the
            // analysis numbered them.
            throw EnvelopeErrors.config("the target driver is " + name + " "
                    + connection.getMetaData().getDriverVersion() + ": with " + product + " envelope-jdbc supports "
                    + "MariaDB Connector/J 3.x and MySQL Connector/J " + MYSQL_CONNECTOR_J_MAJOR + ".x as the target "
                    + "driver, because it must know where the driver finds each ? placeholder. Put "
                    + "org.mariadb.jdbc:mariadb-java-client (3.x) or com.mysql:mysql-connector-j ("
                    + MYSQL_CONNECTOR_J_MAJOR + ".x) on the class path");
        }
        return driver;
    }

    /**
     * Whether running this text may change the session facts the MySQL dialect was read from ({@code sql_mode},
     * the client character set): {@code SET sql_mode}, {@code SET @@SESSION.sql_mode}, {@code SET NAMES},
     * {@code SET CHARACTER SET}, {@code SET character_set_client}, and the same inside a string given to
     * {@code PREPARE}; also {@code USE} (the current database), {@code EXECUTE} (of a prepared one of those) and
     * {@code CALL} (a routine may run any of them). A deliberately wide test on the raw text (comments and strings included); after such a
     * statement the connection must read its session again ({@link #readMySqlSession}) before it analyses
     * another statement.
     */
    public static boolean mayChangeSession(String sql) {
        return sql != null && SESSION_CHANGE.matcher(sql).find();
    }

    /** The database product name this dialect is chosen for. */
    public String productName() {
        return productName;
    }

    public SqlLexer lexer() {
        return lexer;
    }

    /**
     * Whether the target driver answers {@code getCatalog} from its own record of the current database, which a
     * {@code USE} run as SQL leaves stale (MySQL Connector/J), so that the session must be asked instead.
     */
    public boolean cachesCurrentDatabase() {
        return behindMySqlConnectorJ();
    }

    /** Whether the target driver is MySQL Connector/J (else MariaDB Connector/J, for a MySQL-family dialect). */
    public boolean behindMySqlConnectorJ() {
        return lexer instanceof MySqlLexer m && m.driver() == MySqlTargetDriver.MYSQL_CONNECTOR_J;
    }

    /** MySQL or MariaDB. */
    public boolean isMySqlFamily() {
        return family == Family.MYSQL;
    }

    /**
     * For MySQL and MariaDB, whether the session fails a statement that stores a value too long for its column
     * (a strict {@code sql_mode}) rather than truncating it with a warning. Always true for the others.
     */
    public boolean failsOverlongValues() {
        return family != Family.MYSQL || strict;
    }

    /** How the dialect compares identifiers, where it is a fact of the dialect (else null: read from metadata). */
    public IdentifierCase identifierCase() {
        return identifierCase;
    }

    /** The SQL literal of a ciphertext stored in a binary column. */
    public String binaryLiteral(byte[] bytes) {
        return switch (family) {
            // Assumes standard_conforming_strings = on (PostgreSQL's default since 9.1): the backslash is literal.
            case POSTGRESQL -> "'\\x" + HexFormat.of().formatHex(bytes) + "'::bytea";
            // X'…' is a binary string in H2, MySQL and MariaDB whatever the session's modes.
            case H2, MYSQL -> "X'" + HexFormat.of().formatHex(bytes) + "'";
        };
    }

    /**
     * Whether the target driver's {@code getBytes} on a character column gives the text's bytes as the server sent
     * them (pgJDBC does, in text and binary transfer alike), so a base64 value can be decoded without a String.
     * Only pgJDBC's behaviour is pinned by tests; H2 and the MySQL drivers keep reading the text.
     */
    public boolean readsTextAsBytes() {
        return family == Family.POSTGRESQL;
    }

    /**
     * An array of {@code width} placeholders for a widened lookup, typed as the column's stored values so that the
     * server can type the parameters before they are bound (a describe, as {@code getParameterMetaData()} asks
     * for; H2 cannot prepare an untyped one at all); null where the dialect has no arrays (MySQL, MariaDB).
     */
    public String storedArray(ColumnStorage storage, int width) {
        boolean binary = storage == ColumnStorage.BINARY;
        return switch (family) {
            case POSTGRESQL -> "ARRAY[" + String.join(", ", Collections.nCopies(width, "?")) + "]::"
                    + (binary ? "bytea[]" : "text[]");
            case H2 -> "ARRAY[" + String.join(", ", Collections.nCopies(width,
                    binary ? "CAST(? AS VARBINARY)" : "CAST(? AS VARCHAR)")) + "]";
            case MYSQL -> null;
        };
    }

    /**
     * The SQL literal of a ciphertext stored (as base64) in a character column. Base64 holds no quote and no
     * backslash, so the literal reads the same with or without backslash escapes; in MySQL a plain {@code '…'}
     * is a string whatever ANSI_QUOTES says.
     */
    public String stringLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SqlDialect d && d.family == family && d.productName.equals(productName)
                && d.lexer == lexer && d.strict == strict && d.identifierCase == identifierCase;
    }

    @Override
    public int hashCode() {
        return (family.hashCode() * 31 + productName.hashCode()) * 31 + lexer.hashCode() + (strict ? 1 : 0);
    }

    @Override
    public String toString() {
        return "SqlDialect[" + productName + (lexer instanceof MySqlLexer m
                ? (m.driver() == MySqlTargetDriver.MARIADB_CONNECTOR_J ? "" : ", " + m.driver().driverName())
                + (m.ansiQuotes() ? ", ANSI_QUOTES" : "") + (m.noBackslashEscapes() ? ", NO_BACKSLASH_ESCAPES" : "")
                + (strict ? ", strict" : "") : "") + "]";
    }
}
