package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.sql.SqlDialect;
import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.MySqlLexer;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MySQL lexer checked against the real MariaDB server: the session facts the dialect reads, string values as
 * the server decodes them, where comments begin and end, and that executable comments are run (or skipped by
 * version), which is why the analysis refuses them.
 */
class MySqlLexerOnMariaDbIT {

    static {
        try {
            Class.forName("org.mariadb.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static String serverValue(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static String lexedValue(MySqlLexer lexer, String sql) {
        LexedSql lexed = lexer.lex(sql);
        List<Token> strings = lexed.significant().stream().filter(t -> t.kind().isString()).toList();
        assertThat(strings).as(sql).hasSize(1);
        assertThat(lexed.firstError()).isNull();
        return lexer.standardStringValue(lexed, strings.get(0));
    }

    @Test
    void theDialectReadsTheSessionsOwnFacts() throws SQLException {
        try (Connection c = MariaDbDatabase.plainConnection(); Statement s = c.createStatement()) {
            SqlDialect plain = SqlDialect.readMySqlSession(c);
            assertThat(plain.productName()).isEqualTo("MariaDB");
            assertThat(plain.lexer()).isSameAs(MySqlLexer.of(false, false));
            s.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES,NO_BACKSLASH_ESCAPES')");
            SqlDialect changed = SqlDialect.readMySqlSession(c);
            assertThat(changed.lexer()).isSameAs(MySqlLexer.of(true, true));
            assertThat(changed).isNotEqualTo(plain);
            s.execute("SET SESSION sql_mode = ''");
            assertThat(SqlDialect.readMySqlSession(c).failsOverlongValues()).isFalse();
            s.execute("SET SESSION sql_mode = 'ORACLE'");
            assertThatThrownBy(() -> SqlDialect.readMySqlSession(c)).hasMessageStartingWith("envelope-jdbc: ")
                    .hasMessageContaining("ORACLE");
        }
    }

    @Test
    void mariaDbConnectorJClosesAConnectionWhoseClientCharacterSetChanges() throws SQLException {
        // The dialect refuses a session in GBK and the like (SqlDialect.mysql); with this driver such a session
        // cannot even continue: the driver closes the connection itself.
        for (String change : List.of("SET NAMES gbk", "SET character_set_client = gbk")) {
            try (Connection c = MariaDbDatabase.plainConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(change)).isInstanceOf(SQLException.class);
                assertThat(c.isClosed()).as(change).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'it''s'",
            "SELECT 'it\\'s'",
            "SELECT 'a\\nb\\tc\\\\d\\qe\\Zf'",
            "SELECT 'a\\%b\\_c'",
            "SELECT \"dq \"\" \\\" '\"",
            "SELECT N'caf\\'e'",
            "SELECT 'x' -- '\n",
            "SELECT 'y' # '\n",
            "SELECT /* ' */ 'z'"})
    void stringValuesAreWhatTheServerMakesOfThem(String sql) throws SQLException {
        try (Connection c = MariaDbDatabase.plainConnection()) {
            assertThat(lexedValue(MySqlLexer.of(false, false), sql)).isEqualTo(serverValue(c, sql));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 'a\\'", "SELECT 'a\\nb'", "SELECT 'a\\''b'"})
    void withoutBackslashEscapesABackslashIsACharacter(String sql) throws SQLException {
        try (Connection c = MariaDbDatabase.plainConnection(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')");
            assertThat(lexedValue(MySqlLexer.of(false, true), sql)).isEqualTo(serverValue(c, sql));
        }
    }

    @Test
    void commentsBeginAndEndWhereTheServerSays() throws SQLException {
        MySqlLexer lexer = MySqlLexer.DEFAULT;
        try (Connection c = MariaDbDatabase.plainConnection()) {
            // '--' without a following space is two minus signs: 5 - (-1).
            assertThat(serverValue(c, "SELECT 5--1")).isEqualTo("6");
            assertThat(lexer.lex("SELECT 5--1").tokens()).noneMatch(t -> t.kind().isComment());
            assertThat(serverValue(c, "SELECT 5-- 1\n+1")).isEqualTo("6");
            assertThat(serverValue(c, "SELECT 5 # +1\n+2")).isEqualTo("7");
            // Block comments do not nest: the first */ ends it, and '+ 1' is code.
            assertThat(serverValue(c, "SELECT 1 /* a /* b */ + 1")).isEqualTo("2");
            assertThat(lexer.lex("SELECT 1 /* a /* b */ + 1").significant()).hasSize(4);
            // A backtick-quoted name doubles its backtick.
            assertThat(serverValue(c, "SELECT `a``b` FROM (SELECT 1 AS `a``b`) t")).isEqualTo("1");
        }
    }

    @Test
    void executableCommentsAreRunOrSkippedByVersion() throws SQLException {
        MySqlLexer lexer = MySqlLexer.DEFAULT;
        try (Connection c = MariaDbDatabase.plainConnection()) {
            assertThat(serverValue(c, "SELECT 1 /*! + 1 */")).isEqualTo("2");
            assertThat(serverValue(c, "SELECT 1 /*!50100 + 1 */")).isEqualTo("2");
            assertThat(serverValue(c, "SELECT 1 /*M! + 1 */")).isEqualTo("2");
            assertThat(serverValue(c, "SELECT 1 /*M!999999 + 1 */")).isEqualTo("1");
            for (String sql : List.of("SELECT 1 /*! + 1 */", "SELECT 1 /*!50100 + 1 */", "SELECT 1 /*M! + 1 */",
                    "SELECT 1 /*M!999999 + 1 */")) {
                LexedSql lexed = lexer.lex(sql);
                assertThat(lexed.hazard()).as(sql).isNotNull();
                // lexed as code: the content's tokens are significant, not a comment
                assertThat(lexed.significant()).extracting(Token::kind).contains(TokenKind.OPERATOR);
            }
        }
    }

    @Test
    void doubleQuotesAreStringsOrNamesByMode() throws SQLException {
        try (Connection c = MariaDbDatabase.plainConnection(); Statement s = c.createStatement()) {
            assertThat(serverValue(c, "SELECT \"email\" FROM (SELECT 'x' AS email) t")).isEqualTo("email");
            s.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')");
            assertThat(serverValue(c, "SELECT \"email\" FROM (SELECT 'x' AS email) t")).isEqualTo("x");
            LexedSql lexed = MySqlLexer.of(true, false).lex("SELECT \"email\" FROM t");
            assertThat(lexed.tokens().get(1).kind()).isEqualTo(TokenKind.QUOTED_IDENTIFIER);
        }
    }
}
