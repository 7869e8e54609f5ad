package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.lexer.MySqlLexer;
import io.envelope.jdbc.sql.lexer.MySqlTargetDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The MySQL/MariaDB dialect: session facts, literals, storage, and what the analysis does with its lexer. */
class MySqlDialectTest {

    /** MariaDB 10.11's default sql_mode. */
    private static final String MARIADB_DEFAULT_MODE =
            "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION";

    private final EncryptionSchema schema = TestCatalogs.standardSchema();
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    private static SqlDialect mariaDb(String mode) throws SQLException {
        return SqlDialect.mysql("MariaDB", mode, 0);
    }

    @Test
    void theTargetDriverIsPartOfTheDialect() throws SQLException {
        // Each driver finds placeholders its own way: a plan made for one is never used for the other.
        SqlDialect mariaDbDriver = SqlDialect.mysql("MySQL", MARIADB_DEFAULT_MODE, 0, "utf8mb4");
        SqlDialect mysqlDriver = SqlDialect.mysql("MySQL", MARIADB_DEFAULT_MODE, 0, "utf8mb4",
                MySqlTargetDriver.MYSQL_CONNECTOR_J);
        assertThat(mysqlDriver.lexer()).isSameAs(MySqlLexer.of(false, false, MySqlTargetDriver.MYSQL_CONNECTOR_J));
        assertThat(mysqlDriver).isNotEqualTo(mariaDbDriver);
        assertThat(mysqlDriver).isEqualTo(SqlDialect.mysql("MySQL", MARIADB_DEFAULT_MODE, 0, "utf8mb4",
                MySqlTargetDriver.MYSQL_CONNECTOR_J));
        assertThat(mysqlDriver.toString()).contains("MySQL Connector/J");
        assertThat(mariaDbDriver.toString()).doesNotContain("Connector/J");
    }

    @Test
    void sessionFactsChooseTheLexer() throws SQLException {
        SqlDialect plain = mariaDb(MARIADB_DEFAULT_MODE);
        assertThat(plain.lexer()).isSameAs(MySqlLexer.DEFAULT);
        assertThat(plain.failsOverlongValues()).isTrue();
        assertThat(plain.productName()).isEqualTo("MariaDB");
        assertThat(plain.isMySqlFamily()).isTrue();

        SqlDialect ansi = mariaDb("ANSI_QUOTES,NO_BACKSLASH_ESCAPES");
        assertThat(ansi.lexer()).isSameAs(MySqlLexer.of(true, true));
        assertThat(ansi.failsOverlongValues()).isFalse(); // no strict mode: MySQL would truncate silently
        assertThat(ansi).isNotEqualTo(plain);
        assertThat(mariaDb(MARIADB_DEFAULT_MODE)).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(SqlDialect.mysql("MySQL", "", 1).productName()).isEqualTo("MySQL");
        assertThat(mariaDb("").lexer()).isSameAs(MySqlLexer.DEFAULT);
        // What MariaDB Connector/J's sessions really have: it adds IGNORE_SPACE at connect.
        assertThat(mariaDb("IGNORE_SPACE," + MARIADB_DEFAULT_MODE).lexer()).isSameAs(MySqlLexer.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ORACLE", "MSSQL", "PIPES_AS_CONCAT", "ANSI", "PAD_CHAR_TO_FULL_LENGTH",
            "SOMETHING_NEW"})
    void aModeTheAnalysisDoesNotModelIsRefused(String mode) {
        assertThatThrownBy(() -> mariaDb("STRICT_TRANS_TABLES," + mode))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gbk", "big5", "sjis", "cp932", "gb18030", "binary", "utf16"})
    void aClientCharacterSetThatCanSwallowABackslashIsRefused(String charset) {
        assertThatThrownBy(() -> SqlDialect.mysql("MariaDB", MARIADB_DEFAULT_MODE, 0, charset))
                .isInstanceOf(SQLException.class).hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining(charset);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SET sql_mode = 'ANSI_QUOTES'", "SET SESSION SQL_MODE='NO_BACKSLASH_ESCAPES'", "set @@session.sql_mode = ''",
            "SET @@sql_mode := 'ANSI'", "SET NAMES gbk", "SET CHARACTER SET big5", "set charset sjis",
            "SET character_set_client = gbk", "PREPARE s FROM 'SET @@sql_mode = 0'",
            "SET STATEMENT sql_mode='ANSI_QUOTES' FOR SELECT 1", "SET /* x */ NAMES utf8mb4"})
    void statementsThatMayChangeTheSessionAreRecognised(String sql) {
        assertThat(SqlDialect.mayChangeSession(sql)).isTrue();
    }

    @Test
    void ordinaryStatementsDoNotChangeTheSession() {
        assertThat(SqlDialect.mayChangeSession("SELECT email, name FROM customers WHERE id = ?")).isFalse();
        assertThat(SqlDialect.mayChangeSession("UPDATE customers SET email = ? WHERE id = ?")).isFalse();
        assertThat(SqlDialect.mayChangeSession("SELECT surnames FROM people")).isFalse();
    }

    @Test
    void otherProductsAndImpossibleFactsAreRefused() {
        assertThatThrownBy(() -> SqlDialect.mysql("PostgreSQL", "", 0)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> SqlDialect.mysql("MariaDB", "", 3)).isInstanceOf(SQLException.class)
                .hasMessageContaining("lower_case_table_names");
    }

    @Test
    void identifiersCompareWithoutCaseQuotedOrNot() throws SQLException {
        IdentifierCase mysql = mariaDb("").identifierCase();
        assertThat(mysql).isSameAs(IdentifierCase.MYSQL);
        assertThat(IdentifierCase.mysql(0)).isSameAs(mysql);
        assertThat(IdentifierCase.mysql(2)).isSameAs(mysql);
        assertThat(mysql.normalize("EMAIL")).isEqualTo("email");
        assertThat(mysql.normalize("`Email`")).isEqualTo("email");
        assertThat(mysql.normalize("`a``B`")).isEqualTo("a`b");
        assertThat(mysql.normalize("\"Email\"")).isEqualTo("email");
        assertThat(mysql.exact("ÉMAIL")).isEqualTo("émail");
        // The server refuses an over-long name rather than cutting it: nothing is cut here either.
        String longName = "a".repeat(IdentifierCase.MYSQL_MAX_CHARACTERS + 10);
        assertThat(mysql.fold(longName)).isEqualTo(longName);
        // PostgreSQL unchanged: quoted names keep their case.
        assertThat(IdentifierCase.POSTGRESQL.normalize("\"Email\"")).isEqualTo("Email");
        assertThat(IdentifierCase.POSTGRESQL.normalize("`Email`")).isEqualTo("`email`");
    }

    @Test
    void ciphertextLiteralsInTheServersOwnSyntax() throws SQLException {
        SqlDialect d = mariaDb(MARIADB_DEFAULT_MODE);
        assertThat(d.binaryLiteral(new byte[] {0x00, 0x5c, 0x27, (byte) 0xff})).isEqualTo("X'005c27ff'");
        assertThat(d.stringLiteral("AAEC/+8=")).isEqualTo("'AAEC/+8='");
        assertThat(SqlDialect.POSTGRESQL.binaryLiteral(new byte[] {0x01})).isEqualTo("'\\x01'::bytea");
        assertThat(SqlDialect.H2.binaryLiteral(new byte[] {0x01})).isEqualTo("X'01'");
        // The literals lex as one binary constant / one plain string under every mode.
        for (boolean ansi : new boolean[] {false, true}) {
            for (boolean noBackslash : new boolean[] {false, true}) {
                MySqlLexer lexer = MySqlLexer.of(ansi, noBackslash);
                assertThat(lexer.lex("select X'005c27ff'").tokens()).hasSize(2);
                var lexed = lexer.lex("select 'AAEC/+8='");
                assertThat(lexer.standardStringValue(lexed, lexed.tokens().get(1))).isEqualTo("AAEC/+8=");
            }
        }
    }

    @Test
    void storageByTheDeclaredType() {
        for (String binary : new String[] {"VARBINARY(255)", "tinyblob", "BLOB", "MEDIUMBLOB", "LONGBLOB"}) {
            assertThat(ColumnStorage.ofMySqlType(binary)).as(binary).isEqualTo(ColumnStorage.BINARY);
        }
        for (String text : new String[] {"VARCHAR(300)", "CHAR(100)", "TINYTEXT", "text", "MEDIUMTEXT", "LONGTEXT"}) {
            assertThat(ColumnStorage.ofMySqlType(text)).as(text).isEqualTo(ColumnStorage.BASE64_TEXT);
        }
        // BINARY(n) pads a shorter value with zero bytes: no ciphertext would read back as written.
        assertThat(ColumnStorage.ofMySqlType("BINARY(64)")).isNull();
        assertThat(ColumnStorage.ofMySqlType("INT")).isNull();
        assertThat(ColumnStorage.ofSqlType(Types.BINARY)).isEqualTo(ColumnStorage.BINARY);
    }

    @Test
    void plainLiteralsAreFoundWithTheirMySqlValues() throws SQLException {
        SqlDialect d = mariaDb(MARIADB_DEFAULT_MODE);
        StatementPlan plan = analyzer.plan("INSERT INTO customers (name, email) VALUES ('it''s', 'zq-secret')", catalog, d);
        assertThat(plan.literals()).hasSize(1);
        assertThat(plan.literals().get(0).value()).isEqualTo("zq-secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // an executable comment is code to the server
            "SELECT id FROM customers /*!, email */",
            "INSERT INTO customers (name /*!50100 , email */) VALUES ('n' /*!50100 , 'zq-secret' */)",
            // the configured name only inside what one reading takes for a string: still refused
            "SELECT /*!99999 '*/ ; INSERT INTO customers (email) VALUES ('zq-secret') -- '*/",
            "SELECT 1 /*M! , (SELECT email FROM customers WHERE email = 'zq-secret') */",
            // backslash-escaped quote: the rest of the text is one string to MySQL, then unterminated
            "INSERT INTO customers (name, email) VALUES ('a\\', 'zq-secret')",
            // '--x' is no comment to MySQL, so this is two statements
            "SELECT 1 --x ; INSERT INTO customers (email) VALUES ('zq-secret')",
            // '#' comment hides the rest of the line only
            "SELECT 1 # comment\n; INSERT INTO customers (email) VALUES ('zq-secret')",
            // a double-quoted string is no identifier without ANSI_QUOTES
            "INSERT INTO customers (\"email\") VALUES ('zq-secret')"})
    void mySqlTricksAreRefusedWithoutQuotingTheValue(String sql) throws SQLException {
        SqlDialect d = mariaDb(MARIADB_DEFAULT_MODE);
        Throwable thrown = catchThrowable(() -> analyzer.plan(sql, catalog, d));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageNotContaining("zq-secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO customers (name, `email`) VALUES ('n', 'zq-secret')",
            "INSERT INTO customers (name, EMAIL) VALUES ('n', 'zq-secret')",
            "INSERT INTO `customers` (name, `Email`) VALUES ('n', 'zq-secret')",
            "INSERT INTO customers (name, email) VALUES ('n', 'zq-secret')"})
    void aConfiguredColumnIsFoundHoweverItIsQuotedOrCased(String sql) throws SQLException {
        // Configured as lower-case email; MySQL compares column names without case, backticks or not.
        EncryptionSchema mysqlSchema = TestCatalogs.standardSchema(IdentifierCase.MYSQL);
        StatementPlan plan = analyzer.plan(sql, TestCatalogs.standardCatalog(mysqlSchema), mariaDb(MARIADB_DEFAULT_MODE));
        assertThat(plan.isPassThrough()).isFalse();
        assertThat(plan.literals()).hasSize(1);
        assertThat(plan.literals().get(0).column().name()).isEqualTo("email");
        assertThat(plan.literals().get(0).value()).isEqualTo("zq-secret");
    }

    @Test
    void underAnsiQuotesADoubleQuotedNameIsTheColumn() throws SQLException {
        EncryptionSchema mysqlSchema = TestCatalogs.standardSchema(IdentifierCase.MYSQL);
        Throwable thrown = catchThrowable(() -> {
            StatementPlan plan = analyzer.plan("INSERT INTO customers (name, \"email\") VALUES ('n', 'zq-secret')",
                    TestCatalogs.standardCatalog(mysqlSchema), mariaDb("ANSI_QUOTES"));
            // Either refused or the literal found for the encrypted column: never passed through as plaintext.
            assertThat(plan.literals()).hasSize(1);
            assertThat(plan.literals().get(0).column().name()).isEqualTo("email");
        });
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageNotContaining("zq-secret");
        }
    }

    @Test
    void theTextScanFindsATableNameWithABacktickWrittenTheMySqlWay() {
        TableNameScanner scanner = new TableNameScanner(java.util.Set.of("odd`name"));
        assertThat(scanner.mayNameConfiguredTable("INSERT INTO `odd``name` (email) VALUES ('x')")).isTrue();
        assertThat(scanner.mayNameConfiguredTable("INSERT INTO orders (email) VALUES ('x')")).isFalse();
    }

    @Test
    void anExecutableCommentInTextThatNamesNoConfiguredTablePassesThrough() throws SQLException {
        SqlDialect d = mariaDb(MARIADB_DEFAULT_MODE);
        assertThat(analyzer.plan("SELECT /*!40001 SQL_NO_CACHE */ * FROM orders", catalog, d).isPassThrough()).isTrue();
    }

    @Test
    void theSameTextIsPlannedPerDialect() throws SQLException {
        // Under PostgreSQL's rules the backslash is a character and the second string is a value; under MySQL's
        // it escapes the quote. The plan cache must not hand one dialect's plan to the other.
        String sql = "INSERT INTO customers (name, email) VALUES ('a\\', 'zq-secret')";
        StatementPlan pg = analyzer.plan(sql, catalog, SqlDialect.POSTGRESQL);
        assertThat(pg.literals()).hasSize(1);
        Throwable thrown = catchThrowable(() -> analyzer.plan(sql, catalog, mariaDb(MARIADB_DEFAULT_MODE)));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class);
    }
}
