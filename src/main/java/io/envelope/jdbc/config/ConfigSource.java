package io.envelope.jdbc.config;

import io.envelope.jdbc.EnvelopeErrors;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where the configuration comes from (see docs/configuration.md, Where the configuration comes from), and reading it. First match wins: connection property
 * {@code envelope.config}, URL parameter {@code envelope.config}, system property {@code envelope.config},
 * environment variable {@code ENVELOPE_CONFIG}, class path resource {@code envelope.yaml}. A value is a file path
 * or {@code classpath:NAME}; a blank value counts as not set.
 *
 * @param location the file path or {@code classpath:NAME}
 * @param from     where the location was found, for messages ("system property envelope.config")
 */
record ConfigSource(String location, String from) {

    static final String CLASSPATH_PREFIX = "classpath:";

    static final String LOOKED_AT = "connection property " + ConfigLoader.CONFIG_PROPERTY
            + ", URL parameter " + ConfigLoader.CONFIG_PROPERTY
            + ", system property " + ConfigLoader.CONFIG_PROPERTY
            + ", environment variable " + ConfigLoader.CONFIG_ENV
            + " and class path resource " + ConfigLoader.DEFAULT_RESOURCE
            + " (thread context class loader, then the driver's class loader)";

    /** The text of the file and its origin: an absolute path or {@code classpath:NAME}. */
    record Text(String text, String origin) {
    }

    /** Finds the first source that is set, or fails saying every place it looked. */
    static ConfigSource locate(Properties connectionProperties, Map<String, String> urlParameters,
                               Function<String, String> systemProperties, Function<String, String> environment,
                               List<ClassLoader> classLoaders) throws SQLException {
        String value = connectionProperties == null ? null
                : connectionProperties.getProperty(ConfigLoader.CONFIG_PROPERTY);
        if (isSet(value)) {
            return new ConfigSource(value.trim(), "connection property " + ConfigLoader.CONFIG_PROPERTY);
        }
        value = urlParameters == null ? null : urlParameters.get(ConfigLoader.CONFIG_PROPERTY);
        if (isSet(value)) {
            return new ConfigSource(value.trim(), "URL parameter " + ConfigLoader.CONFIG_PROPERTY);
        }
        value = systemProperties.apply(ConfigLoader.CONFIG_PROPERTY);
        if (isSet(value)) {
            return new ConfigSource(value.trim(), "system property " + ConfigLoader.CONFIG_PROPERTY);
        }
        value = environment.apply(ConfigLoader.CONFIG_ENV);
        if (isSet(value)) {
            return new ConfigSource(value.trim(), "environment variable " + ConfigLoader.CONFIG_ENV);
        }
        if (findResource(ConfigLoader.DEFAULT_RESOURCE, classLoaders) != null) {
            return new ConfigSource(CLASSPATH_PREFIX + ConfigLoader.DEFAULT_RESOURCE,
                    "class path resource " + ConfigLoader.DEFAULT_RESOURCE);
        }
        throw EnvelopeErrors.config("no configuration found; looked at " + LOOKED_AT
                + ". Set one of them to a file path or classpath:NAME");
    }

    /** Reads the file or resource this source names. */
    Text read(List<ClassLoader> classLoaders) throws SQLException {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String name = location.substring(CLASSPATH_PREFIX.length()).trim();
            while (name.startsWith("/")) {
                name = name.substring(1);
            }
            String origin = CLASSPATH_PREFIX + name;
            URL url = name.isEmpty() ? null : findResource(name, classLoaders);
            if (url == null) {
                throw EnvelopeErrors.config("configuration class path resource '" + name + "' (from " + from
                        + ") not found in the thread context class loader or the driver's class loader");
            }
            try (InputStream in = url.openStream()) {
                return new Text(decode(in.readAllBytes(), origin), origin);
            } catch (IOException e) {
                throw EnvelopeErrors.config("cannot read configuration " + origin + " (from " + from + "): "
                        + e.getClass().getSimpleName(), e);
            }
        }
        Path path;
        try {
            path = Path.of(location).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw EnvelopeErrors.config("configuration file '" + location + "' (from " + from
                    + ") is not a valid path");
        }
        String origin = path.toString();
        if (Files.isDirectory(path)) {
            throw EnvelopeErrors.config("configuration file '" + origin + "' (from " + from
                    + ") is a directory, not a file");
        }
        try {
            return new Text(decode(Files.readAllBytes(path), origin), origin);
        } catch (NoSuchFileException e) {
            throw EnvelopeErrors.config("configuration file '" + origin + "' (from " + from
                    + ") does not exist", e);
        } catch (IOException e) {
            throw EnvelopeErrors.config("cannot read configuration file '" + origin + "' (from " + from + "): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static String decode(byte[] bytes, String origin) throws SQLException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw EnvelopeErrors.config("configuration " + origin + " is not UTF-8 text");
        }
    }

    private static URL findResource(String name, List<ClassLoader> classLoaders) {
        for (ClassLoader loader : classLoaders) {
            if (loader != null) {
                URL url = loader.getResource(name);
                if (url != null) {
                    return url;
                }
            }
        }
        return null;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** The thread's context class loader, then the driver's own (duplicates and nulls left out). */
    static List<ClassLoader> defaultClassLoaders() {
        List<ClassLoader> loaders = new ArrayList<>(2);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            loaders.add(context);
        }
        ClassLoader own = ConfigLoader.class.getClassLoader();
        if (own == null) {
            own = ClassLoader.getSystemClassLoader();
        }
        if (!loaders.contains(own)) {
            loaders.add(own);
        }
        return loaders;
    }
}
