package io.envelope.jdbc.driver;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeUrlTest {

    @Test
    void stripsThePrefixAndKeepsTheTargetUrl() {
        EnvelopeUrl url = EnvelopeUrl.parse("jdbc:envelope:postgresql://db:5432/app");
        assertThat(url.targetUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(url.envelopeParameters()).isEmpty();
    }

    @Test
    void removesEveryEnvelopeParameterAndKeepsTheRestInOrder() {
        EnvelopeUrl url = EnvelopeUrl.parse(
                "jdbc:envelope:postgresql://db/app?ssl=true&envelope.config=%2Fetc%2Fe.yaml&user=u&envelope.x=1");
        assertThat(url.targetUrl()).isEqualTo("jdbc:postgresql://db/app?ssl=true&user=u");
        assertThat(url.envelopeParameters()).isEqualTo(Map.of("envelope.config", "/etc/e.yaml", "envelope.x", "1"));
    }

    @Test
    void dropsTheQuestionMarkWhenOnlyEnvelopeParametersWereThere() {
        EnvelopeUrl url = EnvelopeUrl.parse("jdbc:envelope:h2:mem:x?envelope.config=classpath:e.yaml");
        assertThat(url.targetUrl()).isEqualTo("jdbc:h2:mem:x");
    }

    @Test
    void acceptsOnlyEnvelopeUrls() {
        assertThat(EnvelopeUrl.accepts("jdbc:envelope:postgresql://x/y")).isTrue();
        assertThat(EnvelopeUrl.accepts("jdbc:postgresql://x/y")).isFalse();
        assertThat(EnvelopeUrl.accepts(null)).isFalse();
    }

    @Test
    void targetPropertiesLeaveOutTheWrappersOwn() {
        Properties info = new Properties();
        info.setProperty("user", "app");
        info.setProperty("envelope.config", "/x.yaml");
        Properties target = EnvelopeUrl.targetProperties(info);
        assertThat(target.stringPropertyNames()).containsExactly("user");
    }
}
