package io.envelope.jdbc.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationParserTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "30s, PT30S",
            "10m, PT10M",
            "2h, PT2H",
            "1d, PT24H",
            "0s, PT0S",
            "0ms, PT0S",
            "PT10M, PT10M",
            "pt90s, PT1M30S",
            "P1D, PT24H",
            "PT0.25S, PT0.25S",
    })
    void parsesEveryForm(String text, String expected) {
        assertThat(DurationParser.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10 m", "10min", "1w", "-1s", "1.5h", "PT", "P-1D", "ten minutes", "10M"})
    void rejectsEverythingElse(String text) {
        assertThatThrownBy(() -> DurationParser.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999d", "9223372036854775807d"})
    void rejectsOverflow(String text) {
        assertThatThrownBy(() -> DurationParser.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT0.5S, 500ms", "PT10M, 10m", "PT2H, 2h", "PT24H, 1d", "PT90S, 90s"})
    void formatsShortForms(String iso, String expected) {
        assertThat(DurationParser.format(Duration.parse(iso))).isEqualTo(expected);
    }
}
