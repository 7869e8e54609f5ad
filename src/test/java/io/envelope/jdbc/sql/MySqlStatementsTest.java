package io.envelope.jdbc.sql;

import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.StatementRefusedException;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The statement forms only MySQL and MariaDB have — ON DUPLICATE KEY UPDATE with {@code VALUES(c)}, the MySQL 8
 * row alias, REPLACE, INSERT IGNORE, {@code LIMIT ?, ?}, multi-table UPDATE and DELETE — analysed with the MySQL
 * dialect (no server): which parameter or literal is encrypted for which column, and what is refused and why.
 * The same texts on PostgreSQL and H2 keep the outcome they had.
 */
class MySqlStatementsTest {

    /** MariaDB 10.11's default sql_mode, with the IGNORE_SPACE that MariaDB Connector/J adds. */
    private static final String MODE =
            "IGNORE_SPACE,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION";

    private static final String SECRET = "zq-secret";

    private final EncryptionSchema schema = TestCatalogs.standardSchema(IdentifierCase.MYSQL);
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    private static SqlDialect mariaDb() throws SQLException {
        return SqlDialect.mysql("MariaDB", MODE, 0);
    }

    private static SqlDialect mySql() throws SQLException {
        return SqlDialect.mysql("MySQL", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION", 0);
    }

    /** "2=email/STORE 3=note/STORE 1L=email/STORE" for the parameter targets, then the literals' columns. */
    private static String targetsAndLiterals(StatementPlan plan) {
        StringBuilder out = new StringBuilder(SqlAnalyzerTest.targets(plan));
        int i = 1;
        for (EncryptedLiteral l : plan.literals()) {
            out.append(out.length() == 0 ? "" : " ").append(i++).append("L=").append(l.column().name()).append('/')
                    .append(l.use());
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ accepted: what binds where

    static Stream<Arguments> accepted() {
        return Stream.of(
                // ON DUPLICATE KEY UPDATE: VALUES(c) of the same column is the ciphertext being inserted there
                Arguments.of("INSERT INTO customers (id, email, note, name) VALUES (?, ?, ?, ?) "
                        + "ON DUPLICATE KEY UPDATE email = VALUES(email), note = VALUES(note), name = VALUES(name)",
                        "2=email/STORE 3=note/STORE", 4),
                Arguments.of("insert into customers (id, email) values (?, ?) on duplicate key update email = value(email)",
                        "2=email/STORE", 2),
                Arguments.of("INSERT INTO customers (id, email, note) VALUES (?, ?, ?), (?, ?, ?) "
                        + "ON DUPLICATE KEY UPDATE note = VALUES(note)", "2=email/STORE 3=note/STORE 5=email/STORE 6=note/STORE", 6),
                // a parameter or a literal in an assignment is encrypted for the column it is assigned to
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE note = ?, name = ?",
                        "2=email/STORE 3=note/STORE", 4),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, 'zq-secret') "
                        + "ON DUPLICATE KEY UPDATE ssn = 'zq-secret', name = 'n'", "1L=email/STORE 2L=ssn/STORE", 1),
                // MySQL 8's row alias: new.c is the value inserted into c
                Arguments.of("INSERT INTO customers (id, email, note) VALUES (?, ?, 'zq-secret') AS new "
                        + "ON DUPLICATE KEY UPDATE email = new.email, note = new.note, name = new.name",
                        "2=email/STORE 1L=note/STORE", 2),
                Arguments.of("insert into customers (id,email) values (?,?) as excluded(id,email) "
                        + "on duplicate key update email=excluded.email", "2=email/STORE", 2),
                Arguments.of("INSERT INTO customers (id, email, ssn) VALUES (?, ?, ?) AS n(i, e, s) "
                        + "ON DUPLICATE KEY UPDATE email = e, ssn = n.s, note = ?", "2=email/STORE 3=ssn/STORE 4=note/STORE", 4),
                Arguments.of("INSERT INTO customers SET id = ?, email = ? AS n ON DUPLICATE KEY UPDATE email = n.email",
                        "2=email/STORE", 2),
                Arguments.of("INSERT INTO customers SET email = ?, id = ? AS n(e, i) ON DUPLICATE KEY UPDATE email = n.e",
                        "1=email/STORE", 2),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) AS `new` "
                        + "ON DUPLICATE KEY UPDATE email = IF(customers.id = ?, `new`.email, customers.email)",
                        "2=email/STORE", 3),
                // the column's own current value, NULL, and the target table's name as qualifier
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) "
                        + "ON DUPLICATE KEY UPDATE email = email, note = NULL, name = customers.name", "2=email/STORE", 2),
                Arguments.of("INSERT INTO customers SET id = ?, email = ?, note = ? "
                        + "ON DUPLICATE KEY UPDATE email = VALUES(email), note = ?", "2=email/STORE 3=note/STORE 4=note/STORE", 4),
                Arguments.of("INSERT INTO `customers` (`id`, `email`) VALUES (?, ?) "
                        + "ON DUPLICATE KEY UPDATE `email` = VALUES(`email`)", "2=email/STORE", 2),
                // jOOQ qualifies the column with the inserted table
                Arguments.of("insert into `customers` (`id`, `email`, `ssn`) values (?, ?, ?) on duplicate key update "
                        + "`customers`.`email` = values(`customers`.`email`), `customers`.`ssn` = values(`ssn`)",
                        "2=email/STORE 3=ssn/STORE", 3),
                // Hibernate 7's versioned upsert (MySQL/MariaDB): IF(version matches, new value, old value)
                Arguments.of("insert into customers (id,email,name,version) values (?,?,?,?) on duplicate key update "
                        + "email = if(customers.version=@oldversion:=?,values(email),customers.email),"
                        + "name = if(customers.version=@oldversion,values(name),customers.name),"
                        + "version = if(customers.version=@oldversion,values(version),customers.version)",
                        "2=email/STORE", 5),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE "
                        + "email = IF(id = ?, ?, email), ssn = IF(email = 'zq-secret', NULL, ssn)",
                        "2=email/STORE 4=email/STORE 1L=email/MATCH", 4),
                // ... SELECT from unconfigured tables: its columns cannot be encrypted ones
                Arguments.of("INSERT INTO customers (id, name) SELECT id, total FROM orders WHERE id = ? "
                        + "ON DUPLICATE KEY UPDATE name = VALUES(name), note = ?", "2=note/STORE", 2),
                // INSERT IGNORE and the priority modifiers change nothing about the values
                Arguments.of("INSERT IGNORE INTO customers (id, email, ssn) VALUES (?, ?, ?)", "2=email/STORE 3=ssn/STORE", 3),
                Arguments.of("INSERT LOW_PRIORITY IGNORE INTO customers (email, note) VALUES (?, 'zq-secret')",
                        "1=email/STORE 1L=note/STORE", 1),
                Arguments.of("INSERT IGNORE INTO customers SET email = ?, name = ?", "1=email/STORE", 2),
                Arguments.of("INSERT IGNORE INTO customers (id, email) SELECT id, email FROM customers WHERE ssn = ?",
                        "1=ssn/MATCH", 1),
                // REPLACE: an INSERT for the rules
                Arguments.of("REPLACE INTO customers (id, email, note) VALUES (?, ?, ?)", "2=email/STORE 3=note/STORE", 3),
                Arguments.of("replace customers (id, email) values (?, ?), (?, ?)", "2=email/STORE 4=email/STORE", 4),
                Arguments.of("REPLACE customers SET id = ?, email = ?, note = 'zq-secret'", "2=email/STORE 1L=note/STORE", 2),
                Arguments.of("REPLACE INTO customers (id, email) VALUES (?, 'zq-secret')", "1L=email/STORE", 1),
                Arguments.of("REPLACE INTO customers (id, email) SELECT id, email FROM customers WHERE email = ?",
                        "1=email/MATCH", 1),
                Arguments.of("REPLACE INTO customers (id, email) SELECT ?, ?", "2=email/STORE", 2),
                Arguments.of("REPLACE INTO orders (id, customer_id, total) VALUES (?, ?, ?)", "", 3),
                // LIMIT in MySQL's two spellings, in SELECT, UPDATE and DELETE
                Arguments.of("SELECT id, email FROM customers WHERE email = ? ORDER BY id LIMIT ?, ?", "1=email/MATCH", 3),
                Arguments.of("select c1_0.id from customers c1_0 where c1_0.ssn = ? limit ? offset ?", "1=ssn/MATCH", 3),
                Arguments.of("SELECT id FROM customers WHERE name = ? LIMIT ?, ?", "", 3),
                Arguments.of("SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders LIMIT ?) "
                        + "AND email = ? LIMIT ?", "2=email/MATCH", 3),
                Arguments.of("UPDATE customers SET email = ? WHERE ssn = ? ORDER BY id LIMIT ?",
                        "1=email/STORE 2=ssn/MATCH", 3),
                Arguments.of("DELETE FROM customers WHERE email = ? ORDER BY id LIMIT ?", "1=email/MATCH", 2),
                // multi-table UPDATE: a SET target of a joined table is that table's column
                Arguments.of("UPDATE orders o JOIN customers c ON c.id = o.customer_id SET c.email = ?, o.total = ? "
                        + "WHERE c.ssn = ?", "1=email/STORE 3=ssn/MATCH", 3),
                Arguments.of("UPDATE customers c INNER JOIN orders o ON o.customer_id = c.id SET c.note = ?, total = ? "
                        + "WHERE o.id = ?", "1=note/STORE", 3),
                Arguments.of("UPDATE orders, customers SET customers.ssn = ?, orders.total = ? "
                        + "WHERE orders.customer_id = customers.id AND customers.email = ?", "1=ssn/STORE 3=email/MATCH", 3),
                Arguments.of("UPDATE orders o JOIN customers c ON c.id = o.customer_id SET email = ? WHERE o.id = ?",
                        "1=email/STORE", 2),
                Arguments.of("UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.total = ? WHERE c.email = ?",
                        "2=email/MATCH", 2),
                Arguments.of("UPDATE customers a JOIN customers b ON a.email = b.email SET a.note = ? WHERE b.id = ?",
                        "1=note/STORE", 2),
                // Hibernate 7's MySQL/MariaDB single-table forms: the alias qualifies the SET target
                Arguments.of("update customers c1_0 set c1_0.email=?,c1_0.name=? where c1_0.id=?", "1=email/STORE", 3),
                Arguments.of("delete c1_0 from customers c1_0 where c1_0.email=?", "1=email/MATCH", 1),
                // multi-table DELETE: predicates analysed as in a SELECT
                Arguments.of("DELETE c FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.email = ? AND o.total > ?",
                        "1=email/MATCH", 2),
                Arguments.of("DELETE c, o FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.ssn IN (?, ?)",
                        "1=ssn/MATCH 2=ssn/MATCH", 2),
                Arguments.of("DELETE o FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = 'zq-secret'",
                        "1L=email/MATCH", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptedOnMariaDbAndMySql(String sql, String expected, int parameterCount) throws SQLException {
        for (SqlDialect dialect : new SqlDialect[] {mariaDb(), mySql()}) {
            StatementPlan plan = analyzer.plan(sql, catalog, dialect);
            assertThat(targetsAndLiterals(plan)).as(dialect.toString()).isEqualTo(expected);
            if (!plan.isPassThrough()) {
                assertThat(plan.parameterCount()).isEqualTo(parameterCount);
            }
            assertThat(plan.sql()).isSameAs(sql);
        }
    }

    // ------------------------------------------------------------------ refused: why, without the value

    static Stream<Arguments> refused() {
        return Stream.of(
                // another column's new value, another column, an expression: as in UPDATE SET
                Arguments.of("INSERT INTO customers (id, email, ssn) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ssn = VALUES(email)",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email, name) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE email = VALUES(name)",
                        RefusalReason.NOT_A_PARAMETER, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email, name) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(email)",
                        RefusalReason.EXPRESSION, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE ssn = email",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.ssn"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) "
                        + "ON DUPLICATE KEY UPDATE email = CONCAT(VALUES(email), 'zq-secret')",
                        RefusalReason.LITERAL, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE email = UPPER(?)",
                        RefusalReason.NOT_A_PARAMETER, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) "
                        + "ON DUPLICATE KEY UPDATE email = IF(VALUES(email) IS NULL, email, VALUES(email))",
                        RefusalReason.EXPRESSION, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email, ssn) VALUES (?, ?, ?) "
                        + "ON DUPLICATE KEY UPDATE ssn = IF(id = ?, VALUES(email), ssn)",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.ssn"),
                Arguments.of("INSERT INTO customers (id, note) VALUES (?, ?) "
                        + "ON DUPLICATE KEY UPDATE note = IF(note = 'zq-secret', VALUES(note), note)",
                        RefusalReason.RANDOMIZED_COMPARISON, "public.customers.note"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) "
                        + "ON DUPLICATE KEY UPDATE email = IF(id = ?, UPPER(?), email)",
                        RefusalReason.NOT_A_PARAMETER, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE email = VALUES(orders.email)",
                        RefusalReason.NOT_A_PARAMETER, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE email = mydb.values(email)",
                        RefusalReason.NOT_A_PARAMETER, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, 'zq-secret') ON DUPLICATE KEY UPDATE name = email",
                        RefusalReason.EXPRESSION, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE email = x'7a712d736563726574'",
                        RefusalReason.LITERAL, "public.customers.email"),
                // ... SELECT from a configured table: the assignments may read the SELECT's columns
                Arguments.of("INSERT INTO customers (id, email) SELECT id, email FROM customers c WHERE c.id = ? "
                        + "ON DUPLICATE KEY UPDATE name = c.email", RefusalReason.NOT_SUPPORTED, "public.customers"),
                // MySQL 8's row alias: the same rules as VALUES(c)
                Arguments.of("INSERT INTO customers (id, email, ssn) VALUES (?, ?, 'zq-secret') AS new "
                        + "ON DUPLICATE KEY UPDATE ssn = new.email", RefusalReason.DIFFERENT_COLUMNS, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) AS n(i, e) ON DUPLICATE KEY UPDATE ssn = n.e",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) AS n(i, e) ON DUPLICATE KEY UPDATE ssn = e",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) AS new ON DUPLICATE KEY UPDATE name = new.email",
                        RefusalReason.EXPRESSION, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) AS new "
                        + "ON DUPLICATE KEY UPDATE email = CONCAT(new.email, 'zq-secret')", RefusalReason.LITERAL, "public.customers.email"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, 'zq-secret') AS n(i) ON DUPLICATE KEY UPDATE email = n.i",
                        RefusalReason.UNRESOLVED_COLUMN, "n"),
                // ... written in a way the analysis does not model: refused, saying why
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, 'zq-secret') AS /* c */ new "
                        + "ON DUPLICATE KEY UPDATE email = new.email", RefusalReason.UNPARSABLE, "row alias"),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, 'zq-secret') AS new(i, e,) "
                        + "ON DUPLICATE KEY UPDATE email = new.e", RefusalReason.UNPARSABLE, "row alias"),
                // REPLACE keeps every INSERT rule
                Arguments.of("REPLACE INTO customers (id, email) SELECT id, ssn FROM customers",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.ssn"),
                Arguments.of("REPLACE INTO customers (id, name) SELECT id, email FROM customers",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.email"),
                Arguments.of("REPLACE INTO customers (id, email) VALUES (?, UPPER('zq-secret'))",
                        RefusalReason.LITERAL, "public.customers.email"),
                Arguments.of("REPLACE INTO customers (id, note) SELECT id, 'zq-secret' FROM orders",
                        RefusalReason.LITERAL, "public.customers.note"),
                Arguments.of("REPLACE customers SET email = CONCAT('zq-', 'secret')", RefusalReason.LITERAL, "public.customers.email"),
                // a REPLACE form JSqlParser does not model is no statement it can analyse
                Arguments.of("REPLACE LOW_PRIORITY INTO customers (id, email) VALUES (1, 'zq-secret')",
                        RefusalReason.UNPARSABLE, "customers"),
                Arguments.of("replace delayed into customers (email) values ('zq-secret')",
                        RefusalReason.UNPARSABLE, "customers"),
                // multi-table UPDATE: copies between tables and ambiguous targets
                Arguments.of("UPDATE customers c JOIN customers d ON d.id = c.id + 1 SET c.email = d.ssn",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.ssn"),
                Arguments.of("UPDATE customers c JOIN customers d ON d.id = c.id SET email = ?",
                        RefusalReason.UNRESOLVED_COLUMN, "public.customers.email"),
                Arguments.of("UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.total = c.email",
                        RefusalReason.EXPRESSION, "public.customers.email"),
                Arguments.of("UPDATE orders o JOIN customers c ON c.id = o.customer_id SET c.note = 'zq-secret' WHERE c.note LIKE ?",
                        RefusalReason.PATTERN_MATCH, "public.customers.note"),
                Arguments.of("UPDATE orders o JOIN customers c ON c.id = o.customer_id SET c.email = LOWER('zq-secret')",
                        RefusalReason.LITERAL, "public.customers.email"),
                Arguments.of("UPDATE orders o JOIN customers c ON c.email = o.total SET o.total = ?",
                        RefusalReason.DIFFERENT_COLUMNS, "public.customers.email"),
                // LIMIT does not hide an ORDER BY on ciphertext
                Arguments.of("SELECT id FROM customers ORDER BY email LIMIT ?, ?", RefusalReason.ORDER_BY, "public.customers.email"),
                Arguments.of("DELETE FROM customers WHERE note = 'zq-secret' LIMIT 1",
                        RefusalReason.RANDOMIZED_COMPARISON, "public.customers.note"),
                Arguments.of("DELETE c FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.email > 'zq-secret'",
                        RefusalReason.RANGE_COMPARISON, "public.customers.email"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedOnMariaDbAndMySql(String sql, RefusalReason reason, String named) throws SQLException {
        for (SqlDialect dialect : new SqlDialect[] {mariaDb(), mySql()}) {
            Throwable thrown = catchThrowable(() -> analyzer.plan(sql, catalog, dialect));
            assertThat(thrown).as(dialect.toString()).isInstanceOf(StatementRefusedException.class)
                    .hasMessageStartingWith("envelope-jdbc: ")
                    .hasMessageContaining(named)
                    .hasMessageNotContaining(SECRET).hasMessageNotContaining("zq-").hasMessageNotContaining("7a712d");
            assertThat(((StatementRefusedException) thrown).reason()).as(thrown.getMessage()).isEqualTo(reason);
        }
    }

    @Test
    void aRowAliasTheAnalysisCannotModelIsRefusedSayingWhatToWriteInstead() throws SQLException {
        Throwable thrown = catchThrowable(() -> analyzer.plan("INSERT INTO customers (id, email) VALUES (?, ?) AS "
                + "/* c */ new ON DUPLICATE KEY UPDATE email = new.email", catalog, mySql()));
        assertThat(thrown).hasMessageContaining("JSqlParser").hasMessageContaining("VALUES(c)");
        // Not mistaken for one: an AS inside the values, or an INSERT ... SELECT's column alias.
        assertThat(RowAlias.present(mySql().lexer().lex(
                "INSERT INTO customers (id, email) VALUES (?, CAST(? AS CHAR)) ON DUPLICATE KEY UPDATE email = ?")))
                .isFalse();
        assertThat(RowAlias.present(mySql().lexer().lex(
                "INSERT INTO customers (id) SELECT id AS x FROM orders ON DUPLICATE KEY UPDATE id = 1"))).isFalse();
        assertThat(RowAlias.present(mySql().lexer().lex(
                "INSERT INTO t (a) VALUES (1) AS /* c */ `new` (`a`) ON /* c */ DUPLICATE KEY UPDATE a = new.a")))
                .isTrue();
        RowAlias alias = RowAlias.find(mySql().lexer().lex(
                "INSERT INTO t (a, b) VALUES (1, 2) AS `new` (`a`, b) ON /* c */ DUPLICATE KEY UPDATE a = new.a"));
        assertThat(alias).isNotNull();
        assertThat(alias.name()).isEqualTo("`new`");
        assertThat(alias.columns()).containsExactly("`a`", "b");
        assertThat(alias.blank("INSERT INTO t (a, b) VALUES (1, 2) AS `new` (`a`, b) ON /* c */ DUPLICATE KEY "
                + "UPDATE a = new.a")).isEqualTo("INSERT INTO t (a, b) VALUES (1, 2)                   ON /* c */ "
                + "DUPLICATE KEY UPDATE a = new.a");
    }

    @Test
    void aStatementWithARowAliasIsSentAsWrittenWithItsLiteralsEncrypted() throws SQLException {
        String sql = "INSERT INTO customers VALUES (?, 'zq-secret', ?, ?, ?, ?) AS new ON DUPLICATE KEY UPDATE "
                + "email = new.email";
        StatementPlan plan = analyzer.plan(sql, catalog, mariaDb());
        assertThat(plan.sql()).isSameAs(sql);
        assertThat(SqlAnalyzerTest.targets(plan)).isEqualTo("2=ssn/STORE 3=note/STORE 4=birth_date/STORE");
        assertThat(plan.render(LiteralRewriteTest.candidates(1)).sql()).isEqualTo(
                "INSERT INTO customers (`id`, `email`, `ssn`, `note`, `birth_date`, `name`) VALUES "
                + "(?, <email:STORE:zq-secret:1>, ?, ?, ?, ?) AS new ON DUPLICATE KEY UPDATE email = new.email");
    }

    // ------------------------------------------------------------------ the same text on PostgreSQL and H2

    static Stream<Arguments> elsewhere() {
        return Stream.of(
                // VALUES(c) is an expression there (H2's MySQL mode has the syntax): refused as before
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE email = VALUES(email)",
                        RefusalReason.NOT_A_PARAMETER),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE email = VALUE(email)",
                        RefusalReason.NOT_A_PARAMETER),
                // REPLACE: a statement kind the analysis does not take there, as before
                Arguments.of("REPLACE INTO customers (id, email) VALUES (?, ?)", RefusalReason.NOT_SUPPORTED),
                Arguments.of("REPLACE customers SET id = ?, email = ?", RefusalReason.NOT_SUPPORTED),
                Arguments.of("INSERT INTO customers (id, email) VALUES (?, ?) AS new ON DUPLICATE KEY UPDATE email = new.email",
                        RefusalReason.UNPARSABLE),
                // multi-table SET targets: neither database has them; refused rather than read as orders' columns
                Arguments.of("UPDATE orders o JOIN customers c ON c.id = o.customer_id SET c.email = ? WHERE o.id = ?",
                        RefusalReason.NOT_SUPPORTED),
                Arguments.of("UPDATE orders, customers SET customers.ssn = ? WHERE orders.customer_id = customers.id",
                        RefusalReason.NOT_SUPPORTED),
                Arguments.of("REPLACE LOW_PRIORITY INTO customers (id, email) VALUES (1, 'zq-secret')",
                        RefusalReason.UNPARSABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elsewhere")
    void mySqlOnlyFormsOnPostgresAndH2(String sql, RefusalReason reason) {
        EncryptionSchema pgSchema = TestCatalogs.standardSchema();
        TestCatalogs.MapCatalog pgCatalog = TestCatalogs.standardCatalog(pgSchema);
        for (SqlDialect dialect : new SqlDialect[] {SqlDialect.POSTGRESQL, SqlDialect.H2}) {
            Throwable thrown = catchThrowable(() -> analyzer.plan(sql, pgCatalog, dialect));
            assertThat(thrown).as(dialect.toString()).isInstanceOf(StatementRefusedException.class)
                    .hasMessageStartingWith("envelope-jdbc: ").hasMessageNotContaining("zq-")
                    .hasMessageNotContaining("row alias");
            assertThat(((StatementRefusedException) thrown).reason()).as(thrown.getMessage()).isEqualTo(reason);
        }
    }

    /** What PostgreSQL and H2 analysed before they still analyse the same way. */
    @ParameterizedTest
    @ValueSource(strings = {"update customers c set c.email = ? where c.id = ?",
            "update customers set customers.email = ? where id = ?",
            "update customers c set email = ? from orders o where o.customer_id = c.id and o.id = ?"})
    void singleTableUpdatesOnPostgresAndH2AreUnchanged(String sql) throws SQLException {
        EncryptionSchema pgSchema = TestCatalogs.standardSchema();
        TestCatalogs.MapCatalog pgCatalog = TestCatalogs.standardCatalog(pgSchema);
        for (SqlDialect dialect : new SqlDialect[] {SqlDialect.POSTGRESQL, SqlDialect.H2}) {
            assertThat(SqlAnalyzerTest.targets(analyzer.plan(sql, pgCatalog, dialect))).isEqualTo("1=email/STORE");
        }
    }

    @Test
    void aWriteWithIgnoreIsMarkedAsOneTheServerMayTruncate() throws SQLException {
        // IGNORE turns "data too long" into a warning and a truncated value, whatever sql_mode says.
        for (String sql : new String[] {"INSERT IGNORE INTO customers (id, email) VALUES (?, ?)",
                "insert low_priority ignore into customers (email) select email from customers where id = ?",
                "UPDATE IGNORE customers SET note = ? WHERE id = ?"}) {
            assertThat(analyzer.plan(sql, catalog, mariaDb()).errorsIgnored()).as(sql).isTrue();
            assertThat(analyzer.plan(sql, catalog, mySql()).errorsIgnored()).as(sql).isTrue();
        }
        for (String sql : new String[] {"INSERT INTO customers (id, email) VALUES (?, ?)",
                "INSERT INTO customers (id, email) VALUES (?, ?) ON DUPLICATE KEY UPDATE email = VALUES(email)",
                "REPLACE INTO customers (id, email) VALUES (?, ?)", "UPDATE customers SET note = ? WHERE id = ?"}) {
            assertThat(analyzer.plan(sql, catalog, mariaDb()).errorsIgnored()).as(sql).isFalse();
        }
        // The positional form keeps the mark with its column list.
        assertThat(analyzer.plan("INSERT IGNORE INTO customers VALUES (?, ?, ?, ?, ?, ?)", catalog, mariaDb())
                .errorsIgnored()).isTrue();
        // H2 fails an over-long value with or without IGNORE: nothing to mark there.
        assertThat(analyzer.plan("INSERT IGNORE INTO customers (id, email) VALUES (?, ?)",
                TestCatalogs.standardCatalog(TestCatalogs.standardSchema()), SqlDialect.H2).errorsIgnored()).isFalse();
    }

    @Test
    void theMultiTableSetTargetOfAJoinedTableIsNeverLeftUnencrypted() throws SQLException {
        // The first table (orders) has no email: the target must still be found as customers.email.
        StatementPlan plan = analyzer.plan("UPDATE orders o JOIN customers c ON c.id = o.customer_id "
                + "SET c.email = ? WHERE o.id = ?", catalog, mariaDb());
        assertThat(plan.parameter(1)).isNotNull();
        assertThat(plan.parameter(1).column().qualifiedName()).isEqualTo("public.customers.email");
        assertThat(plan.parameter(1).use()).isEqualTo(ParameterTarget.Use.STORE);
        assertThat(plan.parameter(2)).isNull();
    }

    @Test
    void aPositionalReplaceGetsItsColumnListInBackticks() throws SQLException {
        String sql = "REPLACE INTO customers VALUES (?, ?, ?, ?, ?, ?)";
        StatementPlan plan = analyzer.plan(sql, catalog, mariaDb());
        assertThat(SqlAnalyzerTest.targets(plan)).isEqualTo("2=email/STORE 3=ssn/STORE 4=note/STORE 5=birth_date/STORE");
        // MySQL reads "id" as a string unless ANSI_QUOTES: the list the driver writes uses backticks.
        assertThat(plan.render(LiteralRewriteTest.candidates(1)).sql()).isEqualTo(
                "REPLACE INTO customers (`id`, `email`, `ssn`, `note`, `birth_date`, `name`) VALUES (?, ?, ?, ?, ?, ?)");
        String pg = "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)";
        EncryptionSchema pgSchema = TestCatalogs.standardSchema();
        assertThat(analyzer.plan(pg, TestCatalogs.standardCatalog(pgSchema)).render(LiteralRewriteTest.candidates(1))
                .sql()).isEqualTo(
                "INSERT INTO customers (\"id\", \"email\", \"ssn\", \"note\", \"birth_date\", \"name\") VALUES (?, ?, ?, ?, ?, ?)");
    }

    // ------------------------------------------------------------------ lookups widened without arrays

    /** Two candidates per lookup on a database without arrays (MySQL, MariaDB). */
    private static StatementPlan.Candidates withoutArrays() {
        StatementPlan.Candidates two = LiteralRewriteTest.candidates(2);
        return new StatementPlan.Candidates() {
            @Override
            public int width(io.envelope.jdbc.schema.EncryptedColumn column) throws SQLException {
                return two.width(column);
            }

            @Override
            public java.util.List<String> literals(EncryptedLiteral literal) throws SQLException {
                return two.literals(literal);
            }

            @Override
            public String storedArray(io.envelope.jdbc.schema.EncryptedColumn column, int width) {
                return null;
            }
        };
    }

    static Stream<Arguments> widenedWithoutArrays() {
        return Stream.of(
                Arguments.of("select id from customers where email = ? and ssn <> ? and name = ?",
                        "select id from customers where email  IN (?, ?) and ssn  NOT IN (?, ?) and name = ?"),
                Arguments.of("select id from customers where email != ?",
                        "select id from customers where email  NOT IN (?, ?)"),
                Arguments.of("select id from customers where email = /* c */ ? or email in (?, ?)",
                        "select id from customers where email  IN (?, ?) or email in (?, ?, ?, ?)"),
                Arguments.of("select id from customers where email = 'zq-secret'",
                        "select id from customers where email  IN (<email:MATCH:zq-secret:1>, "
                                + "<email:MATCH:zq-secret:2>)"),
                Arguments.of("delete from customers where ssn<>'zq-secret' and id = ?",
                        "delete from customers where ssn NOT IN (<ssn:MATCH:zq-secret:1>, <ssn:MATCH:zq-secret:2>) "
                                + "and id = ?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("widenedWithoutArrays")
    void aLookupWithSeveralCandidatesBecomesAnInListWhereThereAreNoArrays(String sql, String rendered)
            throws SQLException {
        StatementPlan plan = analyzer.plan(sql, catalog, mariaDb());
        // the operator is replaced from its first character: a space keeps it apart from the name before it
        assertThat(plan.render(withoutArrays()).sql()).isEqualTo(rendered);
    }

    @Test
    void aLiteralLookupPreparedWithoutArraysBecomesAnInListOfPlaceholders() throws SQLException {
        StatementPlan plan = analyzer.plan("select id from customers where email = 'zq-secret' and id = ?", catalog,
                mariaDb());
        StatementPlan.Rendered rendered = plan.renderForPrepare(withoutArrays());
        assertThat(rendered.sql()).isEqualTo("select id from customers where email  IN (?, ?) and id = ?");
        assertThat(rendered.first(1)).isEqualTo(3);
    }

    @Test
    void aLookupThatCannotBecomeAnInListIsRefused() throws SQLException {
        StatementPlan plan = analyzer.plan("select id from customers where ? = email", catalog, mariaDb());
        assertThat(catchThrowable(() -> plan.render(withoutArrays())))
                .isInstanceOfSatisfying(StatementRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusalReason.KEY_VERSIONS));
    }
}
