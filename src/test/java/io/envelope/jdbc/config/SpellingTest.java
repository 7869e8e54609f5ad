package io.envelope.jdbc.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpellingTest {

    @Test
    void aSwapOfNeighbouringLettersIsOneEdit() {
        assertThat(Spelling.distance("emial", "email")).isEqualTo(1);
        assertThat(Spelling.closest("emial", List.of("id", "email", "name"))).isEqualTo("email");
    }

    @Test
    void aMissingLetterIsFound() {
        assertThat(Spelling.suggestion("colums", List.of("columns"))).isEqualTo(" (did you mean columns?)");
    }

    @Test
    void caseOnlyDifferencesAreSuggested() {
        assertThat(Spelling.closest("Email", List.of("email"))).isEqualTo("email");
    }

    @Test
    void farNamesAreNotSuggested() {
        assertThat(Spelling.closest("ssn", List.of("email", "address"))).isNull();
        assertThat(Spelling.suggestion("birthday", List.of("id", "note"))).isEmpty();
    }

    @Test
    void theClosestOfSeveralWins() {
        assertThat(Spelling.closest("phone_numbr", List.of("phone_number", "phone_numbers_old"))).isEqualTo("phone_number");
    }
}
