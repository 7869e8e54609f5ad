package io.envelope.jdbc.sql;

import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.StatementRefusedException;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The locking reads Hibernate 7 writes for MySQL and MariaDB ({@code PESSIMISTIC_WRITE} with and without lock
 * timeouts, and {@code PESSIMISTIC_READ}, which the MariaDB dialect writes as {@code LOCK IN SHARE MODE}, a clause
 * JSqlParser 5.3 cannot parse; see {@link ShareModeLock}): analysed like the same SELECT without the clause, sent as
 * written. Found by the Hibernate scenarios on MariaDB (HibernateMariaDbDialectIT), where
 * {@code find(…, PESSIMISTIC_READ)} was refused as unparsable.
 */
class MySqlLockingReadsTest {

    private final EncryptionSchema schema = TestCatalogs.standardSchema(IdentifierCase.MYSQL);
    private final TestCatalogs.MapCatalog catalog = TestCatalogs.standardCatalog(schema);
    private final SqlAnalyzer analyzer = new SqlAnalyzer(100);

    private static SqlDialect[] mySqlFamily() throws SQLException {
        return new SqlDialect[] {
            SqlDialect.mysql("MariaDB", "IGNORE_SPACE,STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION", 0),
            SqlDialect.mysql("MySQL", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION", 0)};
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("select c1_0.id,c1_0.email,c1_0.note from customers c1_0 where c1_0.id=? "
                        + "lock in share mode", "", "2=email 3=note #3"),
                Arguments.of("SELECT id, ssn FROM customers WHERE email = ? LOCK IN SHARE MODE", "1=email/MATCH",
                        "2=ssn #2"),
                Arguments.of("select email from customers where email in (?, ?)\nLock In\n  Share Mode;",
                        "1=email/MATCH 2=email/MATCH", "1=email #1"),
                Arguments.of("select c1_0.id,c1_0.email from customers c1_0 where c1_0.email=? for update nowait",
                        "1=email/MATCH", "2=email #2"),
                Arguments.of("select c1_0.id from customers c1_0 where c1_0.ssn=? for update wait 3", "1=ssn/MATCH",
                        "#1"),
                Arguments.of("select c1_0.id from customers c1_0 where c1_0.email=? for update skip locked",
                        "1=email/MATCH", "#1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void analysedAsTheSelectAndSentAsWritten(String sql, String targets, String results) throws SQLException {
        for (SqlDialect dialect : mySqlFamily()) {
            StatementPlan plan = analyzer.plan(sql, catalog, dialect);
            assertThat(SqlAnalyzerTest.targets(plan)).as(dialect.toString()).isEqualTo(targets);
            assertThat(SqlAnalyzerTest.results(plan)).as(dialect.toString()).isEqualTo(results);
            assertThat(plan.sql()).isSameAs(sql);
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // the clause hides nothing from the rules
                Arguments.of("SELECT id FROM customers WHERE note = ? LOCK IN SHARE MODE",
                        RefusalReason.RANDOMIZED_COMPARISON),
                Arguments.of("SELECT id FROM customers ORDER BY email LOCK IN SHARE MODE", RefusalReason.ORDER_BY),
                // not the plain spelling at the end of the statement: unparsable as before
                Arguments.of("SELECT id FROM customers WHERE email = ? LOCK /* c */ IN SHARE MODE",
                        RefusalReason.UNPARSABLE),
                Arguments.of("SELECT t.id FROM (SELECT id FROM customers WHERE email = ? LOCK IN SHARE MODE) t",
                        RefusalReason.UNPARSABLE),
                Arguments.of("SELECT id FROM customers LOCK IN SHARE MODE WHERE email = ?", RefusalReason.UNPARSABLE),
                Arguments.of("UPDATE customers SET email = ? LOCK IN SHARE MODE", RefusalReason.UNPARSABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedAsBefore(String sql, RefusalReason reason) throws SQLException {
        for (SqlDialect dialect : mySqlFamily()) {
            Throwable thrown = catchThrowable(() -> analyzer.plan(sql, catalog, dialect));
            assertThat(thrown).as(dialect.toString()).isInstanceOf(StatementRefusedException.class);
            assertThat(((StatementRefusedException) thrown).reason()).as(thrown.getMessage()).isEqualTo(reason);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void onPostgresAndH2TheMySqlClauseStaysUnparsable(String sql) {
        if (!sql.toLowerCase(java.util.Locale.ROOT).contains("share mode")) {
            return;
        }
        EncryptionSchema pgSchema = TestCatalogs.standardSchema();
        TestCatalogs.MapCatalog pgCatalog = TestCatalogs.standardCatalog(pgSchema);
        for (SqlDialect dialect : new SqlDialect[] {SqlDialect.POSTGRESQL, SqlDialect.H2}) {
            Throwable thrown = catchThrowable(() -> analyzer.plan(sql, pgCatalog, dialect));
            assertThat(thrown).as(dialect.toString()).isInstanceOf(StatementRefusedException.class);
            assertThat(((StatementRefusedException) thrown).reason()).isEqualTo(RefusalReason.UNPARSABLE);
        }
    }
}
