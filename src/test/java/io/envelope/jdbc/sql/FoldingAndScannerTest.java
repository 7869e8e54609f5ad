package io.envelope.jdbc.sql;

import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;

import static io.envelope.jdbc.sql.TestCatalogs.col;
import static io.envelope.jdbc.sql.TestCatalogs.config;
import static io.envelope.jdbc.sql.TestCatalogs.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FoldingAndScannerTest {

    @Test
    void upperCaseFoldingDatabaseResolvesUnquotedNamesToUpperCase() throws SQLException {
        EncryptionSchema schema = new EncryptionSchema(config(
                table("customers", col("email", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT))),
                "APP", IdentifierCase.UPPER);
        TestCatalogs.MapCatalog catalog = new TestCatalogs.MapCatalog(schema).with("APP.CUSTOMERS", "ID", "EMAIL");
        SqlAnalyzer analyzer = new SqlAnalyzer(10);

        StatementPlan plan = analyzer.plan("select * from customers c where c.Email = ?", catalog);
        assertThat(plan.parameter(1).column().qualifiedName()).isEqualTo("APP.CUSTOMERS.EMAIL");
        assertThat(plan.results().column(2).qualifiedName()).isEqualTo("APP.CUSTOMERS.EMAIL");
        assertThat(plan.results().columnCount()).isEqualTo(2);
        // Quoted lower-case names are other identifiers on such a database.
        assertThat(analyzer.plan("select \"email\" from \"customers\"", catalog).isPassThrough()).isTrue();
        assertThat(analyzer.plan("select \"EMAIL\" from \"CUSTOMERS\"", catalog).results().column(1)).isNotNull();
    }

    @Test
    void scannerMatchesAnySpellingCaseInsensitively() {
        TableNameScanner scanner = new TableNameScanner(Set.of("customers", "Weird\"Name"));
        assertThat(scanner.mayNameConfiguredTable("SELECT * FROM \"CUSTOMERS\"")).isTrue();
        assertThat(scanner.mayNameConfiguredTable("select * from public./*x*/Customers")).isTrue();
        assertThat(scanner.mayNameConfiguredTable("select * from \"weird\"\"name\"")).isTrue();
        assertThat(scanner.mayNameConfiguredTable("select * from u&\"\\0063ustomers\"")).isTrue();
        assertThat(scanner.mayNameConfiguredTable("select * from orders")).isFalse();
        assertThat(new TableNameScanner(Set.of()).mayNameConfiguredTable("select * from customers")).isFalse();
    }

    @Test
    void wholeRowReferencesToConfiguredTablesAreRefused() {
        EncryptionSchema schema = TestCatalogs.standardSchema();
        TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
        SqlAnalyzer analyzer = new SqlAnalyzer(10);
        assertThatThrownBy(() -> analyzer.plan("select row_to_json(c) from customers c", catalog))
                .isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("whole-row reference")
                .hasMessageContaining("public.customers");
        assertThatThrownBy(() -> analyzer.plan("select row_to_json(t) from (select email from customers) t", catalog))
                .isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("whole-row reference")
                .hasMessageContaining("public.customers.email");
    }
}
