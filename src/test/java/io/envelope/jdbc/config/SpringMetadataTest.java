package io.envelope.jdbc.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE completion metadata for {@code envelope.*} in application.yml (written by hand) lists exactly the keys the
 * configuration parser knows, plus the auto-configuration's own {@code enabled} and {@code config}: a key added to
 * the format without its metadata fails here.
 */
class SpringMetadataTest {

    @Test
    void metadataListsEveryKeyOfTheFormat() throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("spring-configuration-metadata.json on the class path").isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> properties = new TreeSet<>();
        Matcher name = Pattern.compile("\"name\"\\s*:\\s*\"(envelope[^\"]*)\"\\s*,\\s*\"type\"").matcher(json);
        while (name.find()) {
            properties.add(name.group(1));
        }

        Set<String> expected = new TreeSet<>(Set.of("envelope.enabled", "envelope.config"));
        for (String key : ConfigParser.ROOT_KEYS) {
            if (!key.equals("kms") && !key.equals("key-cache")) {
                expected.add("envelope." + key);
            }
        }
        ConfigParser.AWS_KEYS.forEach(key -> expected.add("envelope.kms." + key));
        ConfigParser.LOCAL_KEYS.forEach(key -> expected.add("envelope.kms." + key));
        ConfigParser.KEY_CACHE_KEYS.forEach(key -> expected.add("envelope.key-cache." + key));
        assertThat(properties).isEqualTo(expected);
        // the column settings are described where the tables map is
        for (String key : ConfigParser.COLUMN_KEYS) {
            assertThat(json).contains(key);
        }
    }
}
