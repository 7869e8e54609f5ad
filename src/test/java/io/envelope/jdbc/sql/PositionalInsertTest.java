package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptionSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An INSERT into a configured table without a column list is sent with the column list the analysis used, so
 * the database maps values by name: a table whose columns were reordered since its layout was read (by another
 * process) cannot receive plaintext in an encrypted column.
 */
class PositionalInsertTest {

    private static final String COLUMNS = "(\"id\", \"email\", \"ssn\", \"note\", \"birth_date\", \"name\") ";

    private final EncryptionSchema schema = TestCatalogs.standardSchema();
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)",
                        "INSERT INTO customers " + COLUMNS + "VALUES (?, ?, ?, ?, ?, ?)"),
                Arguments.of("insert into public.customers /* c */ values (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)",
                        "insert into public.customers /* c */ " + COLUMNS + "values (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)"),
                Arguments.of("INSERT INTO customers AS c VALUES (?, ?, ?, ?, ?, ?) RETURNING c.id",
                        "INSERT INTO customers AS c " + COLUMNS + "VALUES (?, ?, ?, ?, ?, ?) RETURNING c.id"),
                Arguments.of("INSERT INTO customers SELECT * FROM customers WHERE id = ?",
                        "INSERT INTO customers " + COLUMNS + "SELECT * FROM customers WHERE id = ?"),
                Arguments.of("INSERT INTO customers\n(SELECT * FROM customers)",
                        "INSERT INTO customers\n" + COLUMNS + "(SELECT * FROM customers)"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theColumnListTheAnalysisUsedIsWrittenIn(String sql, String sent) throws SQLException {
        StatementPlan plan = analyzer.plan(sql, catalog);
        StatementPlan.Rendered rendered = plan.render(LiteralRewriteTest.candidates(1));
        assertThat(rendered.sql()).isEqualTo(sent);
        assertThat(rendered.isIdentity()).isFalse(); // a CallableStatement, which sends SQL as written, refuses it
        for (int i = 1; i <= plan.parameterCount(); i++) {
            assertThat(rendered.first(i)).isEqualTo(i);
            assertThat(rendered.width(i)).isEqualTo(1);
        }
    }

    @Test
    void literalsAndTheColumnListAreBothWritten() throws SQLException {
        String sql = "INSERT INTO customers VALUES (1, 'a@b.c', ?, ?, ?, 'n')";
        String sent = analyzer.plan(sql, catalog).render(LiteralRewriteTest.candidates(1)).sql();
        assertThat(sent).isEqualTo("INSERT INTO customers " + COLUMNS
                + "VALUES (1, <email:STORE:a@b.c:1>, ?, ?, ?, 'n')");
    }

    @Test
    void anInsertWithAColumnListIsSentAsWritten() throws SQLException {
        String sql = "INSERT INTO customers (id, email) VALUES (?, ?)";
        assertThat(analyzer.plan(sql, catalog).render(LiteralRewriteTest.candidates(1)).sql()).isSameAs(sql);
    }

    @Test
    void anInsertIntoAnUnconfiguredTableIsSentAsWritten() throws SQLException {
        String sql = "INSERT INTO orders VALUES (?, ?, ?)";
        assertThat(analyzer.plan(sql, catalog).render(LiteralRewriteTest.candidates(1)).sql()).isSameAs(sql);
    }
}
