package io.envelope.jdbc.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PlaceholderCounterTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("select ? from t where a = ?", 2),
                Arguments.of("select '?' , \"?\" from t where a = ?", 1),
                Arguments.of("select 'it''s ?' from t where a = ?", 1),
                Arguments.of("select E'\\' ?' from t where a = ?", 1),
                Arguments.of("select 'a\\' , ? from t", 1), // standard string: the backslash is a character
                Arguments.of("select 1 -- ?\n from t where a = ?", 1),
                Arguments.of("select /* ? /* ? */ ? */ 1 from t where a = ?", 1),
                Arguments.of("select $$ ? $$, $tag$ ? $ ? $tag$ from t where a = ?", 1),
                Arguments.of("select x from t where j ?? 'k' and a = ?", 1),
                Arguments.of("select x from t where a = $1 and b = ?", 1),
                Arguments.of("select x::text from t where a = ?::int", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void countsPlaceholdersLikePgJdbc(String sql, int expected) {
        assertThat(PlaceholderCounter.count(sql)).isEqualTo(expected);
    }
}
