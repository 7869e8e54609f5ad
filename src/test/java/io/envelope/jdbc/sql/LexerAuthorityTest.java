package io.envelope.jdbc.sql;

import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

import static io.envelope.jdbc.sql.TestCatalogs.col;
import static io.envelope.jdbc.sql.TestCatalogs.config;
import static io.envelope.jdbc.sql.TestCatalogs.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 8, findings 1, 2 and 5 at the analysis level: text the server reads differently from JSqlParser is
 * refused; identifiers resolve as PostgreSQL resolves them; constants of INSERT ... SELECT are encrypted. Each
 * SQL here was analysed as harmless (or refused for the wrong reason) before the lexer became the authority.
 */
class LexerAuthorityTest {

    private final EncryptionSchema schema = TestCatalogs.standardSchema();
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    @ParameterizedTest
    @ValueSource(strings = {
            // the review's example: one SELECT to JSqlParser, a SELECT and an INSERT to PostgreSQL
            "SELECT E'\\''; INSERT INTO customers (email) VALUES ($$zq-secret$$); -- '",
            "SELECT E'\\''; INSERT INTO customers (email) VALUES (?); -- '",
            // nested comment: JSqlParser ends it at the first */ and reads a string where PostgreSQL reads an INSERT
            "SELECT 1 /* /* */ , ' */ ; INSERT INTO customers (email) VALUES ($$zq-secret$$) ; -- '",
            // a tagged dollar quote hides nothing from PostgreSQL
            "SELECT $q$ x $q$, name FROM customers WHERE email = 'zq-secret'",
            // U& identifier: JSqlParser reads U & \"...\" (a bitwise and of two columns)
            "INSERT INTO customers (U&\"\\0065mail\") VALUES ('zq-secret')",
            // pgJDBC and the server disagree on where the comment ends
            "SELECT /*/ ? */ email FROM customers WHERE email = ?",
            // string continuation across a newline
            "INSERT INTO customers (email) VALUES ('plain'\n'@x')",
            // an identifier JSqlParser reads as one word and PostgreSQL as an operator between two
            "UPDATE customers SET name = email@x WHERE id = 1"})
    void textTheParserReadsDifferentlyIsRefusedWithoutQuotingIt(String sql) {
        Throwable thrown = catchThrowable(() -> analyzer.plan(sql, catalog));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageNotContaining("zq-secret");
    }

    @Test
    void aBackslashEndsNoStandardStringForEitherReader() throws SQLException {
        StatementPlan plan = analyzer.plan("INSERT INTO customers (name, email) VALUES ('a\\', 'zq-secret')", catalog);
        assertThat(plan.literals()).hasSize(1);
        assertThat(plan.literals().get(0).column().name()).isEqualTo("email");
        assertThat(plan.literals().get(0).value()).isEqualTo("zq-secret");
    }

    @Test
    void aNestedCommentThatHidesTheTableFromPostgresPassesThrough() throws SQLException {
        // PostgreSQL reads one SELECT and a comment: nothing configured is executed, so nothing is refused.
        assertThat(analyzer.plan("SELECT 1 /* /* */ ; INSERT INTO customers (email) VALUES ('x') -- */", catalog)
                .isPassThrough()).isTrue();
    }

    @Test
    void theReviewExampleIsCountedAsTwoStatements() {
        Throwable thrown = catchThrowable(() -> analyzer.plan(
                "SELECT E'\\''; INSERT INTO customers (email) VALUES ($$zq-secret$$); -- '", catalog));
        assertThat(thrown).hasMessageContaining("several statements");
    }

    @Test
    void identifiersLongerThan63BytesAreCutAsPostgresCutsThem() throws SQLException {
        EncryptionSchema pg = new EncryptionSchema(config(
                table("customers", col("email", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT))),
                "public", IdentifierCase.POSTGRESQL);
        TestCatalogs.MapCatalog pgCatalog = new TestCatalogs.MapCatalog(pg).with("public.customers", "id", "email");
        String longTable = "customers" + "_".repeat(54) + "anything"; // 63 bytes of it are "customers___..."
        String longColumn = "email" + "x".repeat(58) + "_suffix";
        // "customers" + 54 underscores is 63 bytes: not the configured name, so nothing resolves ...
        assertThat(analyzer.plan("insert into " + longTable + " (email) values (?)", pgCatalog).isPassThrough())
                .isTrue();
        // ... but a name whose first 63 bytes are the configured name does.
        String sameTable = "customers";
        String cut = "email" + "x".repeat(58); // 63 bytes
        EncryptionSchema pgLong = new EncryptionSchema(config(
                table(sameTable, col(cut, EncryptionMode.DETERMINISTIC, PlaintextType.TEXT))),
                "public", IdentifierCase.POSTGRESQL);
        TestCatalogs.MapCatalog longCatalog = new TestCatalogs.MapCatalog(pgLong).with("public.customers", "id", cut);
        StatementPlan plan = analyzer.plan("insert into customers (" + longColumn + ") values (?)", longCatalog);
        assertThat(plan.parameter(1)).isNotNull();
        assertThat(plan.parameter(1).column().name()).isEqualTo(cut);
        // a multi-byte character is never split: 62 ASCII bytes and a 2-byte character make 62 bytes
        assertThat(IdentifierCase.POSTGRESQL.fold("a".repeat(62) + "é")).isEqualTo("a".repeat(62));
        // PostgreSQL folds only ASCII letters
        assertThat(IdentifierCase.POSTGRESQL.fold("ÉMAIL")).isEqualTo("Émail");
    }

    @Test
    void unicodeIdentifiersAreDecodedWhereTheLexerDecides() {
        Throwable thrown = catchThrowable(() -> analyzer.plan(
                "ALTER TABLE U&\"!0063ustomers\" UESCAPE '!' RENAME COLUMN U&\"\\0065mail\" TO e2", catalog));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("renaming encrypted column public.customers.email");
    }

    @Test
    void constantsOfInsertSelectFeedingEncryptedColumnsAreEncryptedInPlace() throws SQLException {
        String sql = "INSERT INTO customers (name, email, ssn, note) SELECT 'George', 'george@example.com', ?, NULL "
                + "WHERE NOT EXISTS (SELECT * FROM customers WHERE id = 1)";
        StatementPlan plan = analyzer.plan(sql, catalog);
        assertThat(plan.literals()).hasSize(1);
        assertThat(plan.literals().get(0).column().name()).isEqualTo("email");
        assertThat(sql.substring(plan.literals().get(0).start(), plan.literals().get(0).end()))
                .isEqualTo("'george@example.com'");
        assertThat(plan.parameter(1).column().name()).isEqualTo("ssn");
        assertThat(plan.parameter(1).use()).isEqualTo(ParameterTarget.Use.STORE);
    }

    @Test
    void insertSelectRefusalsFitTheCase() {
        Throwable computed = catchThrowable(() -> analyzer.plan(
                "INSERT INTO customers (email) SELECT 'a' || 'b'", catalog));
        assertThat(computed).hasMessageContaining("only plain literals").hasMessageNotContaining("through the application");
        Throwable fanOut = catchThrowable(() -> analyzer.plan(
                "INSERT INTO customers (note) SELECT 'same' FROM orders", catalog));
        assertThat(fanOut).hasMessageContaining("same ciphertext").hasMessageContaining("VALUES");
        Throwable copy = catchThrowable(() -> analyzer.plan(
                "INSERT INTO customers (email) SELECT name FROM customers", catalog));
        assertThat(copy).hasMessageContaining("through the application");
    }

    @Test
    void ddlWithABoundParameterIsRefused() {
        // Found by the differential fuzzer: the server takes no parameters in DDL, yet the bound value was sent.
        Throwable thrown = catchThrowable(() -> analyzer.plan(
                "CREATE INDEX ON customers (email) WHERE email = ?", catalog));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("DDL on configured table public.customers with a ? parameter");
    }

    @Test
    void selectIntoAConfiguredTableIsRefused() {
        Throwable thrown = catchThrowable(() -> analyzer.plan(
                "SELECT 'zq-secret' AS email INTO customers", catalog));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("SELECT ... INTO configured table public.customers");
    }

    @Test
    void ordinarySqlStillAgreesWithTheParser() throws SQLException {
        // Hibernate, Spring Data and hand-written shapes: the agreement check must not refuse them.
        String[] sqls = {
                "select c1_0.id,c1_0.email,c1_0.name from customers c1_0 where c1_0.email=?",
                "insert into customers (id, email, name) values (?, ?, 'O''Brien') returning id",
                "select * from customers where email = 'a@b.c' and id >= -1 and name <> 'x' -- done",
                "/* app */ update customers set email = ? where id = ?::int and meta->>'k' = ?",
                "select \"email\" from \"customers\" where ssn in (?, ?) order by id desc limit 10",
                "select count(email) from customers c\twhere c.name like 'a%'\r\n and c.id=-5"};
        for (String sql : sqls) {
            analyzer.plan(sql, catalog);
        }
    }
}
