package io.envelope.jdbc.spring;

import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.EnvelopeConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the auto-configuration applies, and which properties make up the settings under {@code envelope.}.
 */
class EnvelopeSettingsTest {

    private static StandardEnvironment environment(Map<String, Object> properties, Map<String, Object> osEnvironment) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("application", properties));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, osEnvironment));
        return environment;
    }

    @Test
    void operatingSystemVariablesNamedEnvelopeSomethingAreNotSettings() {
        // ENVELOPE_MASTER_KEY holds a key (master-key-env names it); ENVELOPE_TEST_JDBC_URL is the test suite's
        StandardEnvironment environment = environment(Map.of(), Map.of(
                "ENVELOPE_MASTER_KEY", "c2VjcmV0LWtleS1ub3QtcmVhbC1qdXN0LWEtdGVzdA==",
                "ENVELOPE_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1/test"));
        assertThat(EnvelopeSettings.inline(environment)).isEmpty();
        assertThat(EnvelopeSettings.activatedBecause(environment)).isNull();
    }

    @Test
    void envelopeConfigAndEnvelopeEnabledMayComeFromTheOperatingSystem() {
        assertThat(EnvelopeSettings.activatedBecause(environment(Map.of(),
                Map.of("ENVELOPE_CONFIG", "/etc/app/envelope.yaml")))).isEqualTo("envelope.config is set");
        assertThat(EnvelopeSettings.activatedBecause(environment(Map.of(),
                Map.of("ENVELOPE_ENABLED", "true")))).isEqualTo("envelope.enabled is true");
    }

    @Test
    void settingsUnderEnvelopeAJdbcEnvelopeUrlOrEnabledTurnItOn() {
        assertThat(EnvelopeSettings.activatedBecause(environment(
                Map.of("envelope.kms.provider", "local"), Map.of()))).contains("settings are given");
        assertThat(EnvelopeSettings.activatedBecause(environment(
                Map.of("spring.datasource.url", "jdbc:envelope:postgresql://db/app"), Map.of())))
                .contains("jdbc:envelope: URL");
        assertThat(EnvelopeSettings.activatedBecause(environment(Map.of(), Map.of()))).isNull();
        assertThat(EnvelopeSettings.activatedBecause(environment(
                Map.of("spring.datasource.url", "jdbc:postgresql://db/app"), Map.of()))).isNull();
    }

    @Test
    void enabledFalseWinsOverEverythingElse() {
        assertThat(EnvelopeSettings.activatedBecause(environment(Map.of(
                "envelope.enabled", "false",
                "envelope.kms.provider", "local",
                "spring.datasource.url", "jdbc:envelope:postgresql://db/app"), Map.of()))).isNull();
    }

    @Test
    void theAutoConfigurationsOwnKeysAreNotPartOfTheSettings() {
        assertThat(EnvelopeSettings.inline(environment(Map.of(
                "envelope.enabled", "true",
                "envelope.key-table", "keys",
                "envelope.tables.customers.columns.email.mode", "deterministic"), Map.of())))
                .containsOnlyKeys("key-table", "tables");
    }

    @Test
    void theEnvelopeBlockOfConfigExamplesApplicationYmlIsValid() throws Exception {
        StandardEnvironment environment = environment(Map.of(), Map.of());
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml",
                new FileSystemResource("config-examples/application.yml"))) {
            environment.getPropertySources().addLast(source);
        }
        EnvelopeConfig config = new EnvelopeSettings(environment).resolve(new Properties(), Map.of());
        assertThat(config.kms().keyId()).isEqualTo("alias/app-data");
        assertThat(config.tables()).containsOnlyKeys("customers", "billing.invoices");
        assertThat(config.tables().get("billing.invoices").columns().get("iban").mode())
                .isEqualTo(EncryptionMode.DETERMINISTIC);
    }

    @Test
    void placeholdersAreResolvedBySpring() {
        Map<String, Object> tree = EnvelopeSettings.inline(environment(Map.of(
                "kms-key", "alias/app",
                "envelope.kms.key-id", "${kms-key}"), Map.of()));
        assertThat(tree.get("kms")).isEqualTo(Map.of("key-id", "alias/app"));
    }
}
