package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptionSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.stream.Stream;

import static io.envelope.jdbc.sql.SqlAnalyzerTest.results;
import static io.envelope.jdbc.sql.SqlAnalyzerTest.targets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Nested queries: derived tables, CTEs, UNION / INTERSECT / EXCEPT and subqueries in WHERE and select lists are
 * analysed with the normal rules; result positions decrypt through them; what cannot work on ciphertext is
 * refused. Also the JSON path parameter and cast-parameter shapes.
 */
class NestedQueryTest {

    private final EncryptionSchema schema = TestCatalogs.standardSchema();
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    static Stream<Arguments> allowed() {
        return Stream.of(
                // ---- derived tables
                Arguments.of("select x.id, x.email from (select c.id, c.email from customers c where c.email = ?) x",
                        "1=email/MATCH", "2=email #2"),
                Arguments.of("select x.email from (select c.id, c.email from customers c) x where x.email = ?",
                        "1=email/MATCH", "1=email #1"),
                Arguments.of("select x.mail from (select email as mail, id from customers) x where x.mail in (?, ?)",
                        "1=email/MATCH 2=email/MATCH", "1=email #1"),
                Arguments.of("select * from (select c.id, c.email from customers c where c.id < ? order by c.id) t limit ?",
                        "", "2=email #2"),
                Arguments.of("select * from (select row_.*, rownum rownum_ from (select id, ssn from customers) row_) "
                        + "where rownum_ <= ?", "", "2=ssn #3"),
                Arguments.of("select t.* from (select * from customers) t where t.ssn = ?", "1=ssn/MATCH",
                        "2=email 3=ssn 4=note 5=birth_date #6"),
                Arguments.of("select t.e, t.n from (select c.email as e, count(o.id) as n from customers c join orders o "
                        + "on o.customer_id = c.id group by c.email) t where t.e = ?", "1=email/MATCH", "1=email #2"),
                Arguments.of("select a, b from (select email, note from customers) as t(a, b) where a = ?",
                        "1=email/MATCH", "1=email 2=note #2"),
                Arguments.of("select t.note from (select note from customers) t where t.note is null", "", "1=note #1"),
                Arguments.of("select count(t.email) from (select email from customers) t", "", "#-1"),
                Arguments.of("select t.id from (select id from customers where email = ?) t where t.id = ?",
                        "1=email/MATCH", "#1"),
                Arguments.of("select c.id, x.ssn from customers c, lateral (select d.ssn from customers d "
                        + "where d.email = c.email and d.id <> ?) x where x.ssn = ?", "2=ssn/MATCH", "2=ssn #2"),
                Arguments.of("select v.a, c.email from (values (1, 'x'), (2, 'y')) as v(a, b) join customers c on c.id = v.a",
                        "", "2=email #2"),
                // ---- CTEs
                Arguments.of("with active as (select id, email from customers where name = ?) "
                        + "select id, email from active where id < 100 order by id", "", "2=email #2"),
                Arguments.of("with c as (select id from customers where email = ?) select o.id from orders o "
                        + "join c on c.id = o.customer_id", "1=email/MATCH", "#1"),
                Arguments.of("with a as (select id, ssn from customers), b as (select ssn from a where id = ?) "
                        + "select * from b where ssn = ?", "2=ssn/MATCH", "1=ssn #1"),
                Arguments.of("with x(i, m) as (select id, email from customers) select m from x where m = ?",
                        "1=email/MATCH", "1=email #1"),
                Arguments.of("with customers as (select 1 as email) select email from customers where email = ?",
                        "", "#-1"),
                Arguments.of("with customers as (select ssn as email from public.customers) "
                        + "select email from customers where email = ?", "1=ssn/MATCH", "1=ssn #1"),
                Arguments.of("with x as (select email from customers) update customers set name = ? "
                        + "where email in (select email from x)", "", "#-1"),
                Arguments.of("with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) "
                        + "select c.email from customers c join r on r.n = c.id", "", "1=email #1"),
                // ---- set operations
                Arguments.of("select email from customers where id = ? union all select email from customers where id = ?",
                        "", "1=email #1"),
                Arguments.of("(select email from customers where id = ?) union all (select email from customers where id = ?)",
                        "", "1=email #1"),
                Arguments.of("select ssn, name from customers where id = ? union select ssn, name from customers where email = ?",
                        "2=email/MATCH", "1=ssn #2"),
                Arguments.of("select note from customers union all select note from customers", "", "1=note #1"),
                Arguments.of("select email from customers intersect select email from customers where ssn = ?",
                        "1=ssn/MATCH", "1=email #1"),
                Arguments.of("select id, name from customers union select id, email from audit", "", "#-1"),
                Arguments.of("select * from (select email from customers union all select email from customers) u",
                        "", "1=email #1"),
                Arguments.of("select email from customers union all select email from customers limit ?",
                        "", "1=email #1"),
                // ---- subqueries in WHERE and select lists
                Arguments.of("select c1_0.id from customers c1_0 where exists(select 1 from orders o1_0 "
                        + "where o1_0.customer_id=c1_0.id and c1_0.ssn=?)", "1=ssn/MATCH", "#1"),
                Arguments.of("select o.id from orders o where o.customer_id in (select c.id from customers c where c.email=?)",
                        "1=email/MATCH", "#1"),
                Arguments.of("select c1_0.email,(select count(1) from orders o1_0 where c1_0.id=o1_0.customer_id) "
                        + "from customers c1_0 where c1_0.id=?", "", "1=email #2"),
                Arguments.of("select o.id, (select c.email from customers c where c.id = o.customer_id) as email "
                        + "from orders o where o.id = ?", "", "2=email #2"),
                Arguments.of("select id from customers where ssn in (select ssn from customers where id = ?)",
                        "", "#-1"),
                Arguments.of("select id from customers where ssn not in (select c.ssn from customers c where c.email = ?)",
                        "1=email/MATCH", "#1"),
                Arguments.of("select id from customers c where c.email = (select d.email from customers d where d.id = ?)",
                        "", "#-1"),
                Arguments.of("select id from customers c where exists (select 1 from customers d where d.email = c.email)",
                        "", "#-1"),
                Arguments.of("select id from customers where id in (select customer_id from orders where total > ?) "
                        + "and email = ?", "2=email/MATCH", "#1"),
                Arguments.of("select id from customers where (select email from customers where id = ?) is null",
                        "", "#-1"),
                // ---- INSERT ... SELECT through a set operation (same-column copy)
                Arguments.of("insert into customers (id, email) select id, email from customers where id = ? "
                        + "union all select id, email from customers where id = ?", "", "#-1"),
                // ---- JSON path parameters and cast parameters
                Arguments.of("select \"o\".\"id\", (\"o\".\"total\" ->> ?) from \"customers\" \"o\" where \"o\".\"email\" = ?",
                        "2=email/MATCH", "#2"),
                Arguments.of("select id, name #>> ? from customers where ssn = ? and name -> ? is not null",
                        "2=ssn/MATCH", "#2"),
                Arguments.of("select id from customers where email = cast(? as varchar)", "1=email/MATCH", "#1"),
                Arguments.of("select id from customers where email = cast(? as character varying) and ssn = ?::text",
                        "1=email/MATCH 2=ssn/MATCH", "#1"),
                Arguments.of("select id from customers where email in (cast(? as text), ?)",
                        "1=email/MATCH 2=email/MATCH", "#1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowed")
    void allowedShapes(String sql, String expectedTargets, String expectedResults) throws SQLException {
        StatementPlan plan = analyzer.plan(sql, catalog);
        assertThat(targets(plan)).isEqualTo(expectedTargets);
        assertThat(results(plan)).isEqualTo(expectedResults);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // ---- derived tables: outer rules on the mapped column
                Arguments.of("select t.email from (select email from customers) t order by t.email",
                        "ORDER BY on encrypted column public.customers.email", "Sort"),
                Arguments.of("select t.e from (select email as e from customers) t order by e", "ORDER BY", "public.customers.email"),
                Arguments.of("select t.email from (select email from customers) t order by 1", "ORDER BY", "public.customers.email"),
                Arguments.of("select * from (select note from customers) t where t.note = ?", "randomized", "public.customers.note"),
                Arguments.of("select * from (select email from customers) t where t.email like ?", "LIKE", "public.customers.email"),
                Arguments.of("select lower(t.m) from (select email as m from customers) t", "function lower()", "public.customers.email"),
                Arguments.of("select * from (select email from customers) t where t.email = name", "unencrypted", "public.customers.email"),
                Arguments.of("select * from (select c.email, d.ssn as email from customers c, customers d) t where t.email = ?",
                        "ambiguous", "public.customers"),
                Arguments.of("select t.email from (select email from customers) t, customers c where t.email = c.ssn",
                        "public.customers.email", "public.customers.ssn"),
                Arguments.of("select * from (select email from customers order by email) t", "ORDER BY", "public.customers.email"),
                Arguments.of("select * from (select x.*, c.email from generate_series(1, 2) x, customers c) t",
                        "cannot be expanded", "public.customers"),
                Arguments.of("select m from (select email as m from customers) t window w as (partition by m)",
                        "cannot check", "public.customers.email"),
                Arguments.of("select a from (select email from customers) as t(a, b)", "alias list", "t"),
                Arguments.of("select c.id from customers c, lateral (select d.ssn from customers d where d.ssn = c.email) x",
                        "public.customers.ssn", "public.customers.email"),
                Arguments.of("select * from (values ((select email from customers limit 1))) v", "public.customers", "VALUES list"),
                // ---- CTEs
                Arguments.of("with a as (select id, email from customers) select email from a order by email",
                        "ORDER BY", "public.customers.email"),
                Arguments.of("with a as (select note from customers) select distinct note from a", "DISTINCT", "randomized"),
                Arguments.of("with recursive r as (select id, email from customers union all select id, email from r) "
                        + "select * from r", "recursive CTE", "public.customers"),
                Arguments.of("with d as (delete from customers where id = ? returning email) select * from d",
                        "data-modifying CTE", "public.customers"),
                Arguments.of("with customers as (select ssn as email from public.customers) "
                        + "select email from customers where email like ?", "LIKE", "public.customers.ssn"),
                // ---- set operations
                Arguments.of("select email from customers union select actor from audit_log", "UNION", "public.customers.email"),
                Arguments.of("select email from customers union all select ssn from customers",
                        "encrypted column public.customers.ssn", "position 1"),
                Arguments.of("select name from customers union all select email from customers",
                        "public.customers.email", "plaintext"),
                Arguments.of("select email from customers union all select email from audit", "public.customers.email", "plaintext"),
                Arguments.of("select note from customers union select note from customers", "UNION", "randomized"),
                Arguments.of("select note from customers intersect all select note from customers", "INTERSECT", "randomized"),
                Arguments.of("select note from customers except select note from customers", "EXCEPT", "randomized"),
                Arguments.of("select email from customers union all select email from customers order by email",
                        "ORDER BY", "public.customers.email"),
                Arguments.of("select * from customers union all select * from generate_series(1, 2)",
                        "unknown or different width", "public.customers"),
                // ---- subqueries in WHERE and select lists
                Arguments.of("select id from orders where card in (select ssn from customers)",
                        "comparing encrypted column public.customers.ssn", "plaintext value"),
                Arguments.of("select id from customers where email in (select ssn from customers)",
                        "comparing encrypted column public.customers.email", "public.customers.ssn"),
                Arguments.of("select id from customers where email in (select name from customers)",
                        "with a subquery", "public.customers.email"),
                Arguments.of("select id from customers where id in (select email from customers)",
                        "public.customers.email", "refused"),
                Arguments.of("select id from customers where note in (select note from customers)", "randomized", "public.customers.note"),
                Arguments.of("select o.id from orders o where o.customer_id in (select c.id from customers c order by c.email "
                        + "fetch first 1 rows only)", "ORDER BY", "public.customers.email"),
                Arguments.of("select id from orders o where exists (select 1 from customers c where c.email like ?)",
                        "LIKE", "public.customers.email"),
                Arguments.of("select id from customers c where exists (select 1 from customers d where d.email = c.ssn)",
                        "public.customers.email", "public.customers.ssn"),
                Arguments.of("select lower((select email from customers where id = ?)) from orders",
                        "function lower()", "public.customers.email"),
                Arguments.of("select id from customers where email = (select name from customers where id = ?)",
                        "with a subquery", "public.customers.email"),
                Arguments.of("select id from customers where email in (select email, ssn from customers)",
                        "multi-column", "public.customers.email"),
                Arguments.of("select id from customers where email = any(select email from customers)",
                        "ANY/ALL", "public.customers.email"),
                // ---- copies between encrypted columns, casts that are not the bare value
                Arguments.of("update customers c set note = d.email from customers d where d.id = c.id",
                        "copying encrypted column public.customers.email into encrypted column public.customers.note", "application"),
                Arguments.of("select id from customers where email = cast(? as varchar(5))", "bare ? parameter", "public.customers.email"),
                Arguments.of("select id from customers where email = cast(? as char(20))", "bare ? parameter", "public.customers.email"),
                Arguments.of("select id from customers where email = cast(? as bytea)", "bare ? parameter", "public.customers.email"),
                Arguments.of("select id from customers where birth_date is null and email = cast(lower(?) as text)",
                        "bare ? parameter", "public.customers.email"),
                Arguments.of("select id from customers where name -> email is null", "public.customers.email", "refused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedShapes(String sql, String fragment, String fragment2) {
        Throwable thrown = catchThrowable(() -> analyzer.plan(sql, catalog));
        if (fragment.isEmpty()) { // names no configured column of the query's tables: not a refusal case
            assertThat(thrown).isNull();
            return;
        }
        assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class);
        assertThat(thrown.getMessage()).startsWith("envelope-jdbc: ").contains(fragment).contains(fragment2)
                .doesNotContain(sql);
    }

    @Test
    void castToCharacterTypeIsTheParameterOnlyForTextColumns() throws SQLException {
        // birth_date's plaintext type is date: the cast would change the value's type, so it stays refused.
        Throwable thrown = catchThrowable(() -> analyzer.plan(
                "select id from customers where birth_date is not null and email = ? and ssn = cast(? as varchar)", catalog));
        assertThat(thrown).isNull();
        assertThat(catchThrowable(() -> analyzer.plan("select id from \"Secrets\" where \"Token\" = cast(? as int)", catalog)))
                .isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("bare ? parameter");
    }

    @Test
    void jsonPathParametersAreNumberedWithTheOthers() throws SQLException {
        StatementPlan plan = analyzer.plan(
                "select id, (name ->> ?), (name -> ? ->> ?) from customers where email = ? and name #> ? is null", catalog);
        assertThat(plan.parameterCount()).isEqualTo(5);
        assertThat(targets(plan)).isEqualTo("4=email/MATCH");
        // ?? is pgJDBC's escaped ? operator: not a parameter (the parser does not read it: refused, fail closed).
        assertThat(catchThrowable(() -> analyzer.plan("select id from customers where name ?? ? and email = ?", catalog)))
                .isInstanceOf(SQLFeatureNotSupportedException.class);
    }
}
