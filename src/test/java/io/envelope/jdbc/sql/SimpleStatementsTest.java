package io.envelope.jdbc.sql;

import io.envelope.jdbc.EnvelopeError;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.lexer.LexedSql;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The simple-statement reader against JSqlParser: for every statement it reads, the tree prints as the parser's
 * does, and the analysis gives the same plan (or the same refusal) from either tree — over hand-written ORM
 * statements, the two statement corpora, and generated statements of the shapes it reads. It must also leave
 * everything else to the parser.
 */
class SimpleStatementsTest {

    private static final SqlDialect MYSQL = mysql();

    private final EncryptionSchema schema = TestCatalogs.standardSchema();
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
    private final EncryptionSchema mySqlSchema = TestCatalogs.standardSchema(IdentifierCase.MYSQL);
    private final TestCatalogs.MapCatalog mySqlCatalog = TestCatalogs.standardCatalog(mySqlSchema);

    private static SqlDialect mysql() {
        try {
            return SqlDialect.mysql("MariaDB", "STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION", 0);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hibernateShapedStatementsAreReadWithoutTheParser() throws Exception {
        List<String> statements = List.of(
                "select c1_0.id,c1_0.email,c1_0.name from customers c1_0 where c1_0.email=?",
                "select c1_0.id,c1_0.note,c1_0.ssn from customers c1_0 where c1_0.id=? and c1_0.name<>?",
                "insert into customers (birth_date,email,name,note,ssn,id) values (?,?,?,?,?,?)",
                "update customers set email=?,name=?,note=? where id=? and ssn=?",
                "delete from customers where id=?",
                "DELETE FROM billing.invoices AS i WHERE i.iban = ?",
                "SELECT email FROM customers");
        SqlAnalyzer analyzer = new SqlAnalyzer(100);
        for (String sql : statements) {
            assertThat(SimpleStatements.read(SqlDialect.POSTGRESQL.lexer().lex(sql))).as(sql).isNotNull();
            analyzer.plan(sql, catalog);
        }
        assertThat(analyzer.parseCount()).as("JSqlParser runs").isZero();
        assertAgrees(statements, SqlDialect.POSTGRESQL, schema, catalog);
    }

    @Test
    void everythingElseIsLeftToTheParser() {
        List<String> statements = List.of(
                "select c1_0.id from customers c1_0 where c1_0.email=? or c1_0.id=?",
                "select c1_0.id from customers c1_0 where c1_0.email='a@x'",
                "select c1_0.id from customers c1_0 where c1_0.id=1",
                "select c1_0.id from customers c1_0 where c1_0.email=? order by c1_0.id",
                "select c1_0.id from customers c1_0 join orders o on o.customer_id=c1_0.id where c1_0.email=?",
                "select distinct email from customers",
                "select * from customers",
                "select c.email as e from customers c",
                "select \"email\" from customers",
                "select email from customers; select 1",
                "select email from customers -- comment",
                "select email /* c */ from customers",
                "select email from customers where email != ?",
                "select email from customers where (email = ?)",
                "insert into customers values (?, ?)",
                "insert into customers (id, email) values (?, ?), (?, ?)",
                "insert into customers (id, email) values (?, ?) returning id",
                "insert into customers (id, email) select id, email from customers",
                "update customers set email = lower(?) where id = ?",
                "update customers c set email = ? from orders o where o.customer_id = c.id",
                "delete from customers using orders where customers.id = orders.customer_id",
                "select email from customers where email = ? for update",
                "select email from from where email = ?",
                "update ignore customers set email = ? where id = ?",
                "update low_priority customers set email = ?",
                "delete quick from customers where id = ?",
                "delete low_priority from customers",
                "insert ignore into customers (id, email) values (?, ?)",
                "select sql_no_cache email from customers",
                "select email from customers force index (primary) where id = ?",
                "select email from customers partition (p0) where id = ?",
                "select count(email) from customers");
        for (String sql : statements) {
            assertThat(SimpleStatements.read(SqlDialect.POSTGRESQL.lexer().lex(sql))).as(sql).isNull();
        }
    }

    @Test
    void theCorporaGiveTheSamePlansFromEitherTree() throws Exception {
        List<String> postgres = corpus(Path.of("integration-tests/src/test/resources/corpus/statements.yaml"));
        List<String> mySql = corpus(Path.of("src/test/resources/corpus/mysql-statements.yaml"));
        assertThat(postgres).hasSizeGreaterThan(200);
        int read = assertAgrees(postgres, SqlDialect.POSTGRESQL, schema, catalog)
                + assertAgrees(mySql, MYSQL, mySqlSchema, mySqlCatalog);
        assertThat(read).as("statements of the corpora the simple reader takes").isGreaterThan(10);
    }

    @Test
    void generatedStatementsOfTheSimpleShapesGiveTheSamePlansFromEitherTree() {
        String[] columns = {"id", "email", "ssn", "note", "birth_date", "name", "EMAIL", "Note", "missing"};
        String[] tables = {"customers", "public.customers", "orders", "billing.invoices", "CUSTOMERS", "audit"};
        String[] ops = {"=", "<>", "<", ">=", "="};
        // words a dialect reads as a modifier, a hint or a clause where the reader might see a name
        String[] words = {"", "", "", "ignore ", "low_priority ", "only ", "quick ", "straight_join ", "x "};
        Gen<List<Integer>> picks = lists().of(integers().between(0, 1000)).ofSizeBetween(2, 8);
        qt().withExamples(400).forAll(integers().between(0, 3), picks, integers().between(0, 2))
                .checkAssert((kind, p, alias) -> {
                    String table = tables[p.get(0) % tables.length];
                    String word = words[p.get(p.size() - 1) % words.length];
                    String a = alias == 0 ? "" : alias == 1 ? "t" : "t1_0";
                    String q = a.isEmpty() ? "" : a + ".";
                    List<String> cols = new ArrayList<>();
                    for (int i = 1; i < p.size(); i++) {
                        cols.add(columns[p.get(i) % columns.length]);
                    }
                    StringBuilder where = new StringBuilder();
                    for (int i = 1; i < p.size(); i += 2) {
                        where.append(where.length() == 0 ? " where " : " and ").append(q)
                                .append(columns[p.get(i) % columns.length]).append(ops[p.get(i) % ops.length])
                                .append('?');
                    }
                    String sql = switch (kind) {
                        case 0 -> "select " + word + String.join(",", cols.stream().map(c -> q + c).toList()) + " from "
                                + table + (a.isEmpty() ? "" : " " + a) + where;
                        case 1 -> "insert " + word + "into " + table + " (" + String.join(",", cols) + ") values ("
                                + String.join(",", cols.stream().map(c -> "?").toList()) + ")";
                        case 2 -> "update " + word + table + (a.isEmpty() ? "" : " " + a) + " set "
                                + String.join(",", cols.stream().map(c -> c + "=?").toList()) + where;
                        default -> "delete " + word + "from " + table + (a.isEmpty() ? "" : " as " + a) + where;
                    };
                    try {
                        assertAgrees(List.of(sql), SqlDialect.POSTGRESQL, schema, catalog);
                        assertAgrees(List.of(sql), MYSQL, mySqlSchema, mySqlCatalog);
                    } catch (Exception e) {
                        throw new AssertionError(sql, e);
                    }
                });
    }

    /**
     * For each statement the simple reader takes: its tree prints as JSqlParser's, and the analysis gives the same
     * plan or the same refusal from both. Returns how many it took.
     */
    private static int assertAgrees(List<String> statements, SqlDialect dialect, EncryptionSchema schema,
                                    Catalog catalog) throws Exception {
        int read = 0;
        for (String sql : statements) {
            LexedSql lexed = dialect.lexer().lex(sql);
            Statement simple = SimpleStatements.read(lexed);
            if (simple == null) {
                continue;
            }
            read++;
            assertThat(simple.toString()).as(sql).isEqualTo(CCJSqlParserUtil.parse(sql).toString());
            assertThat(outcome(new SqlAnalyzer(10), sql, catalog, dialect)).as(sql)
                    .isEqualTo(outcome(new SqlAnalyzer(10).parserOnly(), sql, catalog, dialect));
        }
        return read;
    }

    /** Everything a plan says, or the refusal, as text. */
    private static String outcome(SqlAnalyzer analyzer, String sql, Catalog catalog, SqlDialect dialect) {
        StatementPlan plan;
        try {
            plan = analyzer.plan(sql, catalog, dialect);
        } catch (SQLException e) {
            return "refused " + e.getClass().getSimpleName() + " " + (e instanceof EnvelopeError) + " "
                    + e.getSQLState() + " " + e.getMessage();
        }
        StringBuilder out = new StringBuilder(plan.isPassThrough() ? "pass-through" : "encrypted");
        out.append(" sql=").append(plan.sql() == sql).append(" parameters=").append(plan.parameterCount());
        for (int i = 1; i <= plan.parameterCount(); i++) {
            ParameterTarget t = plan.parameter(i);
            out.append(' ').append(i).append('=').append(t == null ? "-" : t.column().qualifiedName() + "/" + t.use())
                    .append('/').append(plan.shape(i));
        }
        out.append(" literals=").append(plan.literals().size());
        ResultShape results = plan.results();
        out.append(" results=").append(results.columnCount());
        for (int i = 1; i <= Math.max(results.columnCount(), 10); i++) {
            if (results.column(i) != null || results.label(i) != null) {
                out.append(' ').append(i).append(':').append(results.column(i) == null ? "-"
                        : results.column(i).qualifiedName()).append('/').append(results.label(i));
            }
        }
        out.append(" write=").append(plan.writeTarget() == null ? "-" : plan.writeTarget().identity())
                .append(" rewrite=").append(plan.mayRewrite()).append(" ignored=").append(plan.errorsIgnored());
        return out.toString();
    }

    /** Every {@code sql:} of a corpus file, wherever it sits in the document, with {@code ${schema}} as public. */
    private static List<String> corpus(Path file) throws Exception {
        Object document;
        try (InputStream in = Files.newInputStream(file)) {
            document = new Yaml(new LoaderOptions()).load(in);
        }
        List<String> out = new ArrayList<>();
        collect(document, out);
        return out;
    }

    private static void collect(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("sql".equals(key) && value instanceof String sql) {
                    out.add(sql.replace("${schema}", "public"));
                } else {
                    collect(value, out);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, out));
        }
    }
}
