package io.envelope.jdbc.sql;

import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.StatementRefusedException;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.envelope.jdbc.sql.TestCatalogs.col;
import static io.envelope.jdbc.sql.TestCatalogs.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The MySQL-shaped statement corpus ({@code corpus/mysql-statements.yaml}): what Hibernate 7's MySQL and MariaDB
 * dialects, Spring Data JDBC, jOOQ and MyBatis mappers send, analysed with the MySQL dialect of a MariaDB and of a
 * MySQL session. Each statement's plan must encrypt exactly the parameters and literals the file lists and decrypt
 * exactly the result positions it lists, or the statement must be refused for the reason it names, with a message
 * that names the column and quotes no literal of the statement. (MariaDbCorpusIT runs them against the real
 * MariaDB server through the wrapper.)
 */
class MySqlCorpusTest {

    private static final String RESOURCE = "corpus/mysql-statements.yaml";

    private static final EncryptionSchema SCHEMA = new EncryptionSchema(TestCatalogs.config(
            table("customers",
                    col("email", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT),
                    col("ssn", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT),
                    col("note", EncryptionMode.RANDOMIZED, PlaintextType.TEXT),
                    col("birth_date", EncryptionMode.RANDOMIZED, PlaintextType.DATE),
                    col("balance", EncryptionMode.RANDOMIZED, PlaintextType.DECIMAL)),
            table("orders",
                    col("card_number", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT),
                    col("shipping_address", EncryptionMode.RANDOMIZED, PlaintextType.TEXT))),
            "public", IdentifierCase.MYSQL);

    private static final TestCatalogs.MapCatalog CATALOG = new TestCatalogs.MapCatalog(SCHEMA)
            .with("public.customers", "id", "email", "ssn", "note", "birth_date", "balance", "name", "status", "tier",
                    "prefs", "version")
            .with("public.orders", "id", "customer_id", "card_number", "shipping_address", "total", "status",
                    "placed_on", "meta", "version")
            .with("public.order_items", "id", "order_id", "sku", "qty", "price")
            .with("public.audit_log", "id", "actor", "action", "detail", "at");

    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements() throws IOException {
        try (InputStream in = MySqlCorpusTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            Map<String, Object> document = new Yaml(new LoaderOptions()).load(in);
            return (List<Map<String, Object>>) document.get("statements");
        }
    }

    static Stream<Arguments> corpus() throws IOException {
        return statements().stream().map(s -> Arguments.of(s.get("id"), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void analysedAsExpected(String id, Map<String, Object> entry) throws SQLException {
        String sql = (String) entry.get("sql");
        for (SqlDialect dialect : new SqlDialect[] {
                SqlDialect.mysql("MariaDB", "IGNORE_SPACE,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
                        + "NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION", 0),
                SqlDialect.mysql("MySQL", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                        + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION", 0)}) {
            String as = id + " on " + dialect;
            if (entry.containsKey("refused")) {
                Throwable thrown = catchThrowable(() -> analyzer.plan(sql, CATALOG, dialect));
                assertThat(thrown).as(as).isInstanceOf(StatementRefusedException.class)
                        .hasMessageStartingWith("envelope-jdbc: ")
                        .hasMessageContaining((String) entry.get("names"));
                assertThat(((StatementRefusedException) thrown).reason()).as(as + ": " + thrown.getMessage())
                        .isEqualTo(RefusalReason.valueOf((String) entry.get("refused")));
                for (String literal : literals(sql)) {
                    assertThat(thrown.getMessage()).as(as).doesNotContain(literal);
                }
                continue;
            }
            StatementPlan plan = analyzer.plan(sql, CATALOG, dialect);
            assertThat(targets(plan)).as(as).isEqualTo(entry.get("targets"));
            assertThat(literalColumns(plan)).as(as).isEqualTo(entry.getOrDefault("literals", ""));
            assertThat(results(plan)).as(as).isEqualTo(entry.getOrDefault("results", ""));
            if (!plan.isPassThrough()) {
                assertThat(plan.parameterCount()).as(as).isEqualTo(entry.get("params"));
            }
        }
    }

    @Test
    void everyEntryIsWellFormed() throws IOException {
        Set<String> ids = new HashSet<>();
        Set<String> sources = new HashSet<>();
        for (Map<String, Object> s : statements()) {
            assertThat(ids.add((String) s.get("id"))).as("unique id " + s.get("id")).isTrue();
            assertThat(s.get("sql")).as((String) s.get("id")).isInstanceOf(String.class);
            assertThat(s.containsKey("refused") ^ s.containsKey("targets")).as((String) s.get("id")).isTrue();
            if (s.containsKey("refused")) {
                assertThat(s).as((String) s.get("id")).containsKey("names");
            } else {
                assertThat(s.get("params")).as((String) s.get("id")).isInstanceOf(Integer.class);
            }
            sources.add((String) s.get("source"));
        }
        assertThat(sources).contains("hibernate", "spring-data-jdbc", "jooq", "mybatis");
        assertThat(ids).hasSizeGreaterThan(50);
    }

    /** The quoted literals of the text (what a refusal must not repeat). */
    private static List<String> literals(String sql) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']{3,})'").matcher(sql);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String name(EncryptedColumn c) {
        return c.qualifiedName().startsWith("public.") ? c.qualifiedName().substring("public.".length())
                : c.qualifiedName();
    }

    private static String targets(StatementPlan plan) {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= plan.parameterCount(); i++) {
            ParameterTarget t = plan.parameter(i);
            if (t != null) {
                parts.add(i + "=" + name(t.column()) + "/" + t.use());
            }
        }
        return String.join(" ", parts);
    }

    private static String literalColumns(StatementPlan plan) {
        List<String> parts = new ArrayList<>();
        for (EncryptedLiteral l : plan.literals()) {
            parts.add(name(l.column()) + "/" + l.use());
        }
        return String.join(" ", parts);
    }

    private static String results(StatementPlan plan) {
        ResultShape shape = plan.results();
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= Math.max(shape.columnCount(), 64); i++) {
            if (shape.column(i) != null) {
                parts.add(i + "=" + name(shape.column(i)));
            }
        }
        return String.join(" ", parts);
    }
}
