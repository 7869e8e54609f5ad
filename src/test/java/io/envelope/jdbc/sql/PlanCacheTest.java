package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptionSchema;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan cache is bounded by the bytes its entries keep alive, not only by their number. */
class PlanCacheTest {

    private final EncryptionSchema schema = TestCatalogs.standardSchema();
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);

    @Test
    void largeUniqueStatementsStayWithinTheByteBound() throws SQLException {
        long bound = 4L << 20;
        SqlAnalyzer analyzer = new SqlAnalyzer(4096, bound);
        String padding = "x".repeat(20_000);
        for (int i = 0; i < 400; i++) {
            analyzer.plan("select email from customers where id = " + i + " /* " + padding + " */", catalog);
        }
        // 400 statements of 20 KB would be 16 MB at two bytes a character; the bound keeps about 100 of them.
        assertThat(analyzer.cachedBytes()).isLessThanOrEqualTo(bound);
        assertThat(analyzer.cachedPlans()).isBetween(90, 110);
    }

    @Test
    void aPlanHeavierThanASixtyFourthOfTheBoundIsNotKept() throws SQLException {
        SqlAnalyzer analyzer = new SqlAnalyzer(4096, 4L << 20);
        String sql = "select email from customers where id = 1 /* " + "x".repeat(40_000) + " */";
        analyzer.plan(sql, catalog);
        assertThat(analyzer.cachedPlans()).isZero();
        analyzer.plan("select email from customers where id = 1", catalog);
        assertThat(analyzer.cachedPlans()).isEqualTo(1);
    }

    @Test
    void forgettingPlansEmptiesTheCache() throws SQLException {
        SqlAnalyzer analyzer = new SqlAnalyzer(100);
        analyzer.plan("select email from customers where email = ?", catalog);
        assertThat(analyzer.cachedPlans()).isEqualTo(1);
        analyzer.forgetPlans();
        assertThat(analyzer.cachedPlans()).isZero();
        assertThat(analyzer.cachedBytes()).isZero();
    }
}
