package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptionSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Rendering plans: literals for encrypted columns replaced in place, and lookup parameters widened to several
 * candidates (key versions). A fake candidate source stands in for the driver: a literal becomes
 * {@code <column:USE:value:n>} per candidate, so the tests see exactly what went where.
 */
class LiteralRewriteTest {

    private final EncryptionSchema schema = TestCatalogs.standardSchema();
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    /** Every lookup has {@code width} candidates. */
    static StatementPlan.Candidates candidates(int width) {
        return new StatementPlan.Candidates() {
            @Override
            public int width(EncryptedColumn column) {
                return width;
            }

            @Override
            public List<String> literals(EncryptedLiteral l) {
                int n = l.use() == ParameterTarget.Use.STORE ? 1 : width;
                List<String> out = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    out.add("<" + l.column().name() + ":" + l.use() + ":" + l.value() + ":" + i + ">");
                }
                return out;
            }
        };
    }

    static Stream<Arguments> renderCases() {
        return Stream.of(
                // single candidate: parameters unchanged, literals replaced one for one
                Arguments.of(1, "select id from customers where email = 'alice@example.com'",
                        "select id from customers where email = <email:MATCH:alice@example.com:1>"),
                Arguments.of(1, "select id from customers where email = ?", "select id from customers where email = ?"),
                Arguments.of(1, "insert into customers (id, email, name) values (?, 'a@b.c', 'Bob')",
                        "insert into customers (id, email, name) values (?, <email:STORE:a@b.c:1>, 'Bob')"),
                Arguments.of(1, "insert into customers (email) values ('a'), (?), ('c')",
                        "insert into customers (email) values (<email:STORE:a:1>), (?), (<email:STORE:c:1>)"),
                Arguments.of(1, "update customers set ssn = '123-45-6789', name = 'x' where email = 'it''s'",
                        "update customers set ssn = <ssn:STORE:123-45-6789:1>, name = 'x' where email = <email:MATCH:it's:1>"),
                Arguments.of(1, "update customers set birth_date = '2024-01-31'::date where id = 1",
                        "update customers set birth_date = <birth_date:STORE:2024-01-31:1> where id = 1"),
                Arguments.of(1, "update customers set birth_date = DATE '2024-01-31' where id = 1",
                        "update customers set birth_date = <birth_date:STORE:2024-01-31:1> where id = 1"),
                Arguments.of(1, "update customers set email = -42 where id = 1",
                        "update customers set email = <email:STORE:-42:1> where id = 1"),
                Arguments.of(1, "update customers set email = 4.5e3 where id = 1",
                        "update customers set email = <email:STORE:4.5e3:1> where id = 1"),
                Arguments.of(1, "select id from customers where email in ('a', ?, 'b') and name = 'a'",
                        "select id from customers where email in (<email:MATCH:a:1>, ?, <email:MATCH:b:1>) and name = 'a'"),
                Arguments.of(1, "select id from customers where email = N'x'",
                        "select id from customers where email = <email:MATCH:x:1>"),
                // positions survive CRLF, tabs and comments
                Arguments.of(1, "select id\r\nfrom customers\twhere /* x */ email\t=\r\n 'a'",
                        "select id\r\nfrom customers\twhere /* x */ email\t=\r\n <email:MATCH:a:1>"),
                Arguments.of(1, "select id from customers where email = 'ü€😀' and ssn = 'b'",
                        "select id from customers where email = <email:MATCH:ü€😀:1> and ssn = <ssn:MATCH:b:1>"),
                // several candidates: parameters and literals widened, index-usable
                Arguments.of(2, "select id from customers where email = ?",
                        "select id from customers where email = ANY (ARRAY[?, ?])"),
                Arguments.of(3, "select id from customers c where c.email <> ? and id = ?",
                        "select id from customers c where c.email <> ALL (ARRAY[?, ?, ?]) and id = ?"),
                Arguments.of(2, "select id from customers where email != ?",
                        "select id from customers where email != ALL (ARRAY[?, ?])"),
                Arguments.of(2, "select id from customers where email in (?, ?) and ssn not in (?)",
                        "select id from customers where email in (?, ?, ?, ?) and ssn not in (?, ?)"),
                Arguments.of(2, "select id from customers where email = 'a' or email not in ('b', ?)",
                        "select id from customers where email = ANY (ARRAY[<email:MATCH:a:1>, <email:MATCH:a:2>]) "
                                + "or email not in (<email:MATCH:b:1>, <email:MATCH:b:2>, ?, ?)"),
                Arguments.of(2, "select id from customers where email <> 'a'",
                        "select id from customers where email <> ALL (ARRAY[<email:MATCH:a:1>, <email:MATCH:a:2>])"),
                Arguments.of(2, "insert into customers (email) values (?) on conflict (id) do update set email = excluded.email",
                        "insert into customers (email) values (?) on conflict (id) do update set email = excluded.email"),
                Arguments.of(2, "update customers set email = ? where email = ? and id = ?",
                        "update customers set email = ? where email = ANY (ARRAY[?, ?]) and id = ?"),
                Arguments.of(2, "delete from customers where ssn = ?",
                        "delete from customers where ssn = ANY (ARRAY[?, ?])"),
                // ? = column, IS NOT DISTINCT FROM: fine while there is one candidate
                Arguments.of(1, "select id from customers where ? = email", "select id from customers where ? = email"),
                Arguments.of(1, "select id from customers where email is not distinct from ?",
                        "select id from customers where email is not distinct from ?"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("renderCases")
    void renders(int width, String sql, String expected) throws SQLException {
        StatementPlan plan = analyzer.plan(sql, catalog);
        assertThat(plan.render(candidates(width)).sql()).isEqualTo(expected);
    }

    @Test
    void widenedParametersAreRenumbered() throws SQLException {
        StatementPlan plan = analyzer.plan(
                "select id from customers where id = ? and email in (?, ?) and name = ? and ssn = ?", catalog);
        StatementPlan.Rendered r = plan.render(candidates(3));
        assertThat(r.sql()).isEqualTo("select id from customers where id = ? and email in (?, ?, ?, ?, ?, ?) "
                + "and name = ? and ssn = ANY (ARRAY[?, ?, ?])");
        assertThat(List.of(r.first(1), r.first(2), r.first(3), r.first(4), r.first(5)))
                .containsExactly(1, 2, 5, 8, 9);
        assertThat(List.of(r.width(1), r.width(2), r.width(3), r.width(4), r.width(5)))
                .containsExactly(1, 3, 3, 1, 3);
        assertThat(r.first(6)).isEqualTo(12); // beyond the last: shifted, so the target driver reports it
        assertThat(r.isIdentity()).isFalse();
    }

    @Test
    void singleCandidateWithoutLiteralsKeepsTheApplicationsSql() throws SQLException {
        String sql = "select id from customers where email = ? and ssn in (?, ?)";
        StatementPlan.Rendered r = analyzer.plan(sql, catalog).render(candidates(1));
        assertThat(r.isIdentity()).isTrue();
        assertThat(r.sql()).isSameAs(sql);
    }

    static Stream<Arguments> notWidenable() {
        return Stream.of(
                Arguments.of("select id from customers where ? = email"),
                Arguments.of("select id from customers where email is not distinct from ?"),
                Arguments.of("select id from customers where email is distinct from ?"),
                Arguments.of("select id from customers where email = (?)"),
                Arguments.of("select id from customers where email in ((?), ?)"),
                Arguments.of("select id from customers where 'a' = email"),
                Arguments.of("select id from customers where email is not distinct from 'a'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notWidenable")
    void lookupsThatCannotBeWidenedAreRefusedWhenThereAreSeveralCandidates(String sql) throws SQLException {
        StatementPlan plan = analyzer.plan(sql, catalog);
        Throwable thrown = catchThrowable(() -> plan.render(candidates(2)));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("public.customers.email")
                .hasMessageContaining("2 candidate")
                .hasMessageNotContaining("'a'");
    }

    @Test
    void plansWithLiteralsAreNeverCachedAndNeverPrintTheirValue() throws SQLException {
        String sql = "select id from customers where email = 'secret@example.com'";
        StatementPlan plan = analyzer.plan(sql, catalog);
        analyzer.plan(sql, catalog);
        assertThat(analyzer.cachedPlans()).isZero();
        assertThat(analyzer.readCount()).isEqualTo(2);
        assertThat(plan.toString()).doesNotContain("secret");
        assertThat(plan.literals()).hasSize(1);
        assertThat(plan.literals().get(0).toString()).doesNotContain("secret");
        assertThat(plan.isPassThrough()).isFalse();
    }

    @Test
    void literalsForPlaintextColumnsAreLeftAlone() throws SQLException {
        String sql = "select email from customers where name = 'x' and id = 5";
        StatementPlan plan = analyzer.plan(sql, catalog);
        assertThat(plan.literals()).isEmpty();
        assertThat(plan.render(candidates(2)).sql()).isEqualTo(sql);
    }

    static Stream<Arguments> refusedLiterals() {
        return Stream.of(
                Arguments.of("select id from customers where email = E'a\\\\nb'"),
                Arguments.of("select id from customers where email = 'a' || 'b'"),
                Arguments.of("select id from customers where email = lower('A')"),
                Arguments.of("update customers set email = 'a'::text || 'b' where id = 1"),
                Arguments.of("insert into customers (email) values (E'x')"),
                Arguments.of("select id from customers where note = 'x'"),
                Arguments.of("select id from customers where email like 'x%'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedLiterals")
    void literalsThatCannotBeEncryptedInPlaceAreRefusedWithoutQuotingThem(String sql) {
        Throwable thrown = catchThrowable(() -> analyzer.plan(sql, catalog));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageNotContaining("'x")
                .hasMessageNotContaining("'a");
        assertThat(((SQLException) thrown).getMessage()).doesNotContain(sql);
        assertThat(analyzer.cachedPlans()).isZero();
    }

    // ------------------------------------------------------------------ INSERT ... SELECT

    static Stream<Arguments> insertSelectAllowed() {
        return Stream.of(
                Arguments.of("insert into customers (id, email, ssn) select id + 1000, email, ssn from customers where id = ?",
                        "", "#-1"),
                Arguments.of("insert into customers (id, email) select c.id + 1, c.email from customers c where c.email = ?",
                        "1=email/MATCH", "#-1"),
                Arguments.of("insert into customers (email, name) select email, 'copy' from customers c where ssn in (?, ?) returning email",
                        "1=ssn/MATCH 2=ssn/MATCH", "1=email #1"),
                Arguments.of("insert into orders (id, total) select id, 0 from customers where email = ?", "1=email/MATCH", "#-1"),
                Arguments.of("insert into orders (id, total) select id, total from orders", "", "#-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("insertSelectAllowed")
    void insertSelectThatCopiesTheSameColumnIsAllowed(String sql, String targets, String results) throws SQLException {
        StatementPlan plan = analyzer.plan(sql, catalog);
        assertThat(SqlAnalyzerTest.targets(plan)).isEqualTo(targets);
        if (!plan.isPassThrough()) {
            assertThat(SqlAnalyzerTest.results(plan)).isEqualTo(results);
        }
    }

    static Stream<Arguments> insertSelectRefused() {
        return Stream.of(
                Arguments.of("insert into customers (email) select ssn from customers", "public.customers.ssn"),
                Arguments.of("insert into customers (email) select name from customers", "public.customers.email"),
                // a constant is encrypted once: repeated over the rows of a FROM it would show equal randomized values
                Arguments.of("insert into customers (note) select 'x' from customers", "public.customers.note"),
                Arguments.of("insert into customers (note) select ? from customers", "same ciphertext"),
                Arguments.of("insert into customers (email) select email from audit", "public.customers.email"),
                Arguments.of("insert into customers (email) select iban from billing.invoices", "billing.invoices.iban"),
                Arguments.of("insert into audit (id, email) select id, email from customers", "public.customers.email"),
                Arguments.of("insert into customers (email) select email from customers union all select ssn from customers",
                        "public.customers.email"),
                Arguments.of("insert into customers (email) select email from customers order by email", "ORDER BY"),
                Arguments.of("insert into customers (email) select lower(email) from customers", "function lower()"),
                Arguments.of("insert into customers (email, ssn) select email from customers", "column list"));
    }

    @org.junit.jupiter.api.Test
    void constantsOfInsertSelectIntoADeterministicColumnAreEncryptedEvenOverRows() throws SQLException {
        StatementPlan plan = analyzer.plan("insert into customers (email) select 'x' from customers", catalog);
        assertThat(plan.render(candidates(1)).sql())
                .isEqualTo("insert into customers (email) select <email:STORE:x:1> from customers");
        assertThat(analyzer.plan("insert into customers (email) select ? from customers", catalog).parameter(1).use())
                .isEqualTo(ParameterTarget.Use.STORE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("insertSelectRefused")
    void insertSelectThatIsNoSameColumnCopyIsRefused(String sql, String fragment) {
        Throwable thrown = catchThrowable(() -> analyzer.plan(sql, catalog));
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining(fragment);
    }
}
