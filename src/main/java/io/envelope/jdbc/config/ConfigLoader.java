package io.envelope.jdbc.config;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Finds, reads, interpolates, parses and validates the configuration (see docs/configuration.md, Where the configuration comes from; docs/configuration.md).
 *
 * <p>{@link #load} is what {@code connect()} calls: it finds the file, parses it strictly and logs the startup
 * warnings (once per distinct configuration). {@link #parse} turns text into a configuration without looking
 * anywhere or logging (tests, the command line).
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
     * Finds the configuration in the documented order (docs/configuration.md, Where the configuration comes from: connection property, URL parameter, system property,
     * environment variable, class path resource {@code envelope.yaml}) and loads it.
     *
     * @param connectionProperties the properties given to {@code connect()} (may be empty)
     * @param urlParameters        the {@code envelope.*} parameters taken from the URL query
     * @throws SQLException an {@code envelope-jdbc:} config error; when nothing is found, it says where it looked
     */
    public static EnvelopeConfig load(Properties connectionProperties, Map<String, String> urlParameters)
            throws SQLException {
        return load(connectionProperties, urlParameters, ConfigLoader::systemProperty, System::getenv,
                ConfigSource.defaultClassLoaders());
    }

    /** {@link #load(Properties, Map)} with the system properties, environment and class loaders given (tests). */
    static EnvelopeConfig load(Properties connectionProperties, Map<String, String> urlParameters,
                               Function<String, String> systemProperties, Function<String, String> environment,
                               List<ClassLoader> classLoaders) throws SQLException {
        ConfigSource source = ConfigSource.locate(connectionProperties, urlParameters, systemProperties,
                environment, classLoaders);
        ConfigSource.Text text = source.read(classLoaders);
        EnvelopeConfig config = ConfigParser.parse(text.text(), text.origin(), environment);
        ConfigWarnings.log(config);
        return config;
    }

    /**
     * Loads the file or {@code classpath:NAME} resource at a location given directly (the command line's
     * {@code --config}), with the process environment.
     */
    public static EnvelopeConfig loadFrom(String location) throws SQLException {
        return loadFrom(location, "--config");
    }

    /**
     * As {@link #loadFrom(String)}, saying in messages where the location was given ({@code "Spring Boot property
     * envelope.config"}).
     */
    public static EnvelopeConfig loadFrom(String location, String from) throws SQLException {
        List<ClassLoader> loaders = ConfigSource.defaultClassLoaders();
        ConfigSource.Text text = new ConfigSource(location, from).read(loaders);
        EnvelopeConfig config = ConfigParser.parse(text.text(), text.origin(), System::getenv);
        ConfigWarnings.log(config);
        return config;
    }

    /**
     * Loads a configuration given as nested maps rather than a file — Spring Boot binds the properties under
     * {@code envelope.} this way. The keys are the file's, matched relaxed where the format fixes them
     * ({@code keyCache} is {@code key-cache}); table and column names stay as given. Checked by the same rules, with
     * the same messages, as a file (which name {@code origin} instead of a line); logs the startup warnings.
     *
     * @param tree        keys to nested maps, lists (or maps with index keys) and scalar values
     * @param origin      where the settings came from, for messages
     * @param environment variable name to value (null when unset), for {@code ${VAR}} references left in values
     */
    public static EnvelopeConfig loadTree(Map<String, ?> tree, String origin, Function<String, String> environment)
            throws SQLException {
        EnvelopeConfig config = ConfigParser.parse(PropertyTree.toNode(tree, origin), origin, environment);
        ConfigWarnings.log(config);
        return config;
    }

    /**
     * Parses and validates the text of a configuration file. Looks nowhere else and logs nothing.
     *
     * @param yamlText    the file's text
     * @param origin      where it came from, for messages (a path or {@code classpath:NAME})
     * @param environment variable name to value (null when unset), for {@code ${VAR}} references
     */
    public static EnvelopeConfig parse(String yamlText, String origin, Function<String, String> environment)
            throws SQLException {
        return ConfigParser.parse(yamlText, origin, environment);
    }

    private static String systemProperty(String name) {
        try {
            return System.getProperty(name);
        } catch (SecurityException e) {
            return null;
        }
    }
}
