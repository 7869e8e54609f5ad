package io.envelope.jdbc.spring;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.driver.EnvelopeUrl;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * envelope-jdbc's settings in a Spring Boot application: whether the auto-configuration is on, and which
 * configuration the application's DataSources get.
 *
 * <p>The configuration comes from the first of:
 * <ol>
 *   <li>{@code envelope.config}: a file path or {@code classpath:NAME} (the {@code ENVELOPE_CONFIG} environment
 *       variable is the same property to Spring);</li>
 *   <li>the settings under {@code envelope.} themselves — the file's keys, bound relaxed, checked by the file's
 *       parser with its messages; {@code version} may be left out (it is 1);</li>
 *   <li>the driver's own search, per DataSource: its {@code envelope.config} connection property or URL parameter,
 *       the system property, {@code ENVELOPE_CONFIG}, the class path resource {@code envelope.yaml}.</li>
 * </ol>
 * Giving both 1 and 2 is an error. The settings of 2 are read from every property source but the operating system's
 * environment: variables such as {@code ENVELOPE_MASTER_KEY} (which holds a key) would otherwise turn up as
 * {@code envelope.master.key}. Use placeholders ({@code key-id: ${KMS_KEY_ID}}) to take values from there.
 */
final class EnvelopeSettings {

    static final String PREFIX = "envelope";
    static final String ENABLED = "envelope.enabled";
    static final String CONFIG = "envelope.config";
    static final String DATASOURCE_URL = "spring.datasource.url";
    static final String ORIGIN = "Spring Boot properties under envelope.";

    /** Keys under {@code envelope.} that belong to the auto-configuration, not to the configuration file. */
    private static final List<String> OWN_KEYS = List.of("enabled", "config");

    private final Environment environment;
    private EnvelopeConfig shared;
    private boolean sharedResolved;

    EnvelopeSettings(Environment environment) {
        this.environment = environment;
    }

    /**
     * Why the auto-configuration applies, or null when it does not: {@code envelope.enabled=true}; a
     * {@code jdbc:envelope:} URL; {@code envelope.config}; or configuration settings under {@code envelope.}.
     * {@code envelope.enabled=false} turns it off whatever else is set.
     */
    static String activatedBecause(Environment environment) {
        Boolean enabled = environment.getProperty(ENABLED, Boolean.class);
        if (Boolean.FALSE.equals(enabled)) {
            return null;
        }
        if (Boolean.TRUE.equals(enabled)) {
            return ENABLED + " is true";
        }
        String url = environment.getProperty(DATASOURCE_URL);
        if (url != null && EnvelopeUrl.accepts(url)) {
            return DATASOURCE_URL + " is a jdbc:envelope: URL";
        }
        if (hasText(environment.getProperty(CONFIG))) {
            return CONFIG + " is set";
        }
        if (!inline(environment).isEmpty()) {
            return "envelope-jdbc settings are given under " + PREFIX + ".";
        }
        return null;
    }

    /**
     * The configuration for a DataSource: the application-wide one (from {@code envelope.config} or the settings
     * under {@code envelope.}), loaded once; else the driver's search with this DataSource's connection properties
     * and URL parameters.
     */
    synchronized EnvelopeConfig resolve(Properties connectionProperties, Map<String, String> urlParameters)
            throws SQLException {
        if (!sharedResolved) {
            shared = loadShared();
            sharedResolved = true;
        }
        return shared != null ? shared : ConfigLoader.load(connectionProperties, urlParameters);
    }

    private EnvelopeConfig loadShared() throws SQLException {
        String location = environment.getProperty(CONFIG);
        Map<String, Object> inline = inline(environment);
        if (hasText(location) && !inline.isEmpty()) {
            throw EnvelopeErrors.config("both " + CONFIG + " and settings under " + PREFIX + ". ("
                    + String.join(", ", inline.keySet()) + ") are given; keep one: the file, or the settings");
        }
        if (hasText(location)) {
            return ConfigLoader.loadFrom(location.trim(), "Spring Boot property " + CONFIG);
        }
        if (inline.isEmpty()) {
            return null;
        }
        if (inline.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("version"))) {
            inline.put("version", 1);
        }
        return ConfigLoader.loadTree(inline, ORIGIN, System::getenv);
    }

    /** The settings under {@code envelope.} but the auto-configuration's own, from every source but the OS env. */
    static Map<String, Object> inline(Environment environment) {
        Map<String, Object> tree = new LinkedHashMap<>(binder(environment)
                .bind(PREFIX, Bindable.mapOf(String.class, Object.class))
                .orElse(Map.of()));
        tree.keySet().removeIf(key -> OWN_KEYS.contains(key.toLowerCase(Locale.ROOT)));
        return tree;
    }

    private static Binder binder(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return Binder.get(environment);
        }
        List<PropertySource<?>> sources = new ArrayList<>();
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (!(source instanceof SystemEnvironmentPropertySource)
                    && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                sources.add(source);
            }
        }
        return new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(configurable));
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
