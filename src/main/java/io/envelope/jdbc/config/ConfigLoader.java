package io.envelope.jdbc.config;

import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Finds, reads, interpolates, parses and validates the configuration (contract §2–§3).
 *
 * <p>API skeleton: implemented by the config work.
 */
public final class ConfigLoader {

    /** The name of the connection property, URL parameter and system property. */
    public static final String CONFIG_PROPERTY = "envelope.config";
    /** The environment variable. */
    public static final String CONFIG_ENV = "ENVELOPE_CONFIG";
    /** The class path resource looked up last. */
    public static final String DEFAULT_RESOURCE = "envelope.yaml";

    private ConfigLoader() {
    }

    /**
     * Finds the configuration in the contract §2 order (connection property, URL parameter, system property,
     * environment variable, class path resource {@code envelope.yaml}) and loads it.
     *
     * @param connectionProperties the properties given to {@code connect()} (may be empty)
     * @param urlParameters        the {@code envelope.*} parameters taken from the URL query
     * @throws SQLException an {@code envelope-jdbc:} config error; when nothing is found, it says where it looked
     */
    public static EnvelopeConfig load(Properties connectionProperties, Map<String, String> urlParameters)
            throws SQLException {
        throw new UnsupportedOperationException("implemented by the config work");
    }
}
