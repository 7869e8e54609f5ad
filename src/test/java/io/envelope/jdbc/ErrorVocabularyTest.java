package io.envelope.jdbc;

import org.junit.jupiter.api.Test;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorVocabularyTest {

    /** What HikariCP (and the other common pools) treat as a broken connection, besides class 08. */
    private static final Set<String> FATAL_TO_POOLS = Set.of("0A000", "57P01", "57P02", "57P03", "01002", "JZ0C0",
            "JZ0C1");

    @Test
    void eachKindHasItsJdbcClassItsStateAndThePrefix() {
        assertKind(EnvelopeErrors.config("c"), ConfigurationException.class,
                SQLNonTransientConnectionException.class, SqlState.CONFIGURATION);
        assertKind(EnvelopeErrors.configInUse("c"), ConfigurationMismatchException.class,
                SQLSyntaxErrorException.class, SqlState.CONFIGURATION_MISMATCH);
        assertKind(EnvelopeErrors.refused(RefusalReason.ORDER_BY, "r"), StatementRefusedException.class,
                SQLFeatureNotSupportedException.class, SqlState.REFUSED);
        assertKind(EnvelopeErrors.data("d"), ValueException.class, SQLDataException.class, SqlState.DATA);
        assertKind(EnvelopeErrors.outOfRange("d"), ValueException.class, SQLDataException.class,
                SqlState.OUT_OF_RANGE);
        assertKind(EnvelopeErrors.key("k"), KeyException.class, SQLException.class, SqlState.KEY);
    }

    @Test
    void aRefusalCarriesItsReason() {
        StatementRefusedException refused =
                (StatementRefusedException) EnvelopeErrors.refused(RefusalReason.ORDER_BY, "ORDER BY");
        assertThat(refused.reason()).isEqualTo(RefusalReason.ORDER_BY);
        assertThat(((StatementRefusedException) EnvelopeErrors.refused("x")).reason())
                .isEqualTo(RefusalReason.OTHER);
    }

    @Test
    void onlyTheConnectTimeConfigurationErrorIsOneAPoolTreatsAsABrokenConnection() {
        List<SqlState> fatal = Arrays.stream(SqlState.values())
                .filter(s -> s.code().startsWith("08") || FATAL_TO_POOLS.contains(s.code())).toList();
        assertThat(fatal).containsExactly(SqlState.CONFIGURATION);
        List<String> codes = Arrays.stream(SqlState.values()).map(SqlState::code).toList();
        assertThat(codes).allMatch(c -> c.length() == 5).doesNotHaveDuplicates();
    }

    private static void assertKind(SQLException e, Class<?> type, Class<?> jdbcClass, SqlState state) {
        assertThat((Object) e).isExactlyInstanceOf(type).isInstanceOf(jdbcClass).isInstanceOf(EnvelopeError.class);
        assertThat(e.getSQLState()).isEqualTo(state.code());
        assertThat(((EnvelopeError) e).envelopeState()).isEqualTo(state);
        assertThat(e.getMessage()).startsWith(EnvelopeErrors.PREFIX);
    }
}
