package io.envelope.jdbc.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final Properties connection = new Properties();
    private final Map<String, String> url = new HashMap<>();
    private final Map<String, String> system = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private ClassLoader contextLoader;
    private ClassLoader ownLoader;

    /** Each source gets a file whose key table names it, so the winner is visible in the result. */
    private String file(String name) throws IOException {
        Path path = dir.resolve(name + ".yaml");
        Files.writeString(path, yaml(name));
        return path.toString();
    }

    private static String yaml(String keyTable) {
        return "version: 1\nkms: {provider: local, master-key-env: K}\nkey-table: " + keyTable + "\n"
                + "tables: {t: {columns: {c: {}}}}\n";
    }

    /** A class loader that sees only the given directory. */
    private ClassLoader loaderWith(String keyTable, String resourceName) throws IOException {
        Path root = Files.createDirectories(dir.resolve("cp-" + keyTable));
        Path resource = root.resolve(resourceName);
        Files.createDirectories(resource.getParent());
        Files.writeString(resource, yaml(keyTable));
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    @BeforeEach
    void emptyLoaders() {
        contextLoader = new URLClassLoader(new URL[0], null);
        ownLoader = new URLClassLoader(new URL[0], null);
    }

    private EnvelopeConfig load() throws SQLException {
        return ConfigLoader.load(connection, url, system::get, env::get, List.of(contextLoader, ownLoader));
    }

    @Test
    void theConnectionPropertyWinsOverEverythingElse() throws Exception {
        everySourceSet();
        assertThat(load().keyTable()).isEqualTo("from_connection");
    }

    @Test
    void theUrlParameterWinsOverSystemPropertyEnvironmentAndClassPath() throws Exception {
        everySourceSet();
        connection.clear();
        assertThat(load().keyTable()).isEqualTo("from_url");
    }

    @Test
    void theSystemPropertyWinsOverEnvironmentAndClassPath() throws Exception {
        everySourceSet();
        connection.clear();
        url.clear();
        assertThat(load().keyTable()).isEqualTo("from_system");
    }

    @Test
    void theEnvironmentWinsOverTheClassPath() throws Exception {
        everySourceSet();
        connection.clear();
        url.clear();
        system.clear();
        assertThat(load().keyTable()).isEqualTo("from_env");
    }

    @Test
    void theClassPathResourceComesLastContextLoaderFirst() throws Exception {
        everySourceSet();
        connection.clear();
        url.clear();
        system.clear();
        env.clear();
        EnvelopeConfig config = load();
        assertThat(config.keyTable()).isEqualTo("from_context");
        assertThat(config.origin()).isEqualTo("classpath:envelope.yaml");
    }

    @Test
    void theDriversOwnLoaderIsAskedWhenTheContextLoaderHasNoResource() throws Exception {
        ownLoader = loaderWith("from_own", "envelope.yaml");
        assertThat(load().keyTable()).isEqualTo("from_own");
    }

    @Test
    void blankValuesCountAsNotSet() throws Exception {
        connection.setProperty("envelope.config", " ");
        url.put("envelope.config", "");
        env.put("ENVELOPE_CONFIG", file("from_env"));
        assertThat(load().keyTable()).isEqualTo("from_env");
    }

    @Test
    void nothingFoundSaysEveryPlaceItLooked() {
        assertThatThrownBy(this::load)
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: no configuration found; looked at")
                .hasMessageContaining("connection property envelope.config")
                .hasMessageContaining("URL parameter envelope.config")
                .hasMessageContaining("system property envelope.config")
                .hasMessageContaining("environment variable ENVELOPE_CONFIG")
                .hasMessageContaining("class path resource envelope.yaml");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        system.put("envelope.config", missing.toString());
        assertThatThrownBy(this::load)
                .hasMessageStartingWith("envelope-jdbc: configuration file '" + missing.toAbsolutePath().normalize()
                        + "' (from system property envelope.config) does not exist");
    }

    @Test
    void aDirectoryIsNotAFile() {
        url.put("envelope.config", dir.toString());
        assertThatThrownBy(this::load).hasMessageContaining("is a directory, not a file");
    }

    @Test
    void classpathPrefixReadsAResource() throws Exception {
        contextLoader = loaderWith("from_resource", "config/app-envelope.yaml");
        connection.setProperty("envelope.config", "classpath:config/app-envelope.yaml");
        EnvelopeConfig config = load();
        assertThat(config.keyTable()).isEqualTo("from_resource");
        assertThat(config.origin()).isEqualTo("classpath:config/app-envelope.yaml");
        connection.setProperty("envelope.config", "classpath:/config/app-envelope.yaml");
        assertThat(load().keyTable()).isEqualTo("from_resource");
    }

    @Test
    void aMissingClasspathResourceIsNamed() {
        env.put("ENVELOPE_CONFIG", "classpath:missing.yaml");
        assertThatThrownBy(this::load)
                .hasMessage("envelope-jdbc: configuration class path resource 'missing.yaml' (from environment"
                        + " variable ENVELOPE_CONFIG) not found in the thread context class loader or the driver's"
                        + " class loader");
    }

    @Test
    void errorsInTheFileNameTheAbsolutePath() throws Exception {
        Path path = dir.resolve("bad.yaml");
        Files.writeString(path, "version: 1\nkms: {provider: local, master-key-env: K}\nkey-cache: {ttl: soon}\n");
        connection.setProperty("envelope.config", path.toString());
        assertThatThrownBy(this::load).hasMessage("envelope-jdbc: key-cache.ttl: 'soon' is not a duration (use"
                + " 500ms, 30s, 10m, 2h, 1d or ISO-8601 such as PT10M) (line 3 of " + path.toAbsolutePath() + ")");
    }

    @Test
    void theFileIsInterpolatedFromTheGivenEnvironment() throws Exception {
        Path path = dir.resolve("env.yaml");
        Files.writeString(path, "version: 1\nkms: {provider: local, master-key-env: K}\nkey-table: ${KT}\n");
        connection.setProperty("envelope.config", path.toString());
        env.put("KT", "interpolated");
        assertThat(load().keyTable()).isEqualTo("interpolated");
    }

    @Test
    void aByteOrderMarkIsSkippedAndNonUtf8IsRefused() throws Exception {
        Path bom = dir.resolve("bom.yaml");
        Files.write(bom, ("\uFEFF" + yaml("with_bom")).getBytes(StandardCharsets.UTF_8));
        connection.setProperty("envelope.config", bom.toString());
        assertThat(load().keyTable()).isEqualTo("with_bom");

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, (yaml("x") + "# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        connection.setProperty("envelope.config", latin1.toString());
        assertThatThrownBy(this::load).hasMessageContaining("is not UTF-8 text");
    }

    @Test
    void thePublicLoadReadsTheConnectionProperty() throws Exception {
        Properties props = new Properties();
        props.setProperty("envelope.config", file("public_entry"));
        assertThat(ConfigLoader.load(props, Map.of()).keyTable()).isEqualTo("public_entry");
        assertThat(ConfigLoader.loadFrom(dir.resolve("public_entry.yaml").toString()).keyTable())
                .isEqualTo("public_entry");
    }

    private void everySourceSet() throws IOException {
        connection.setProperty("envelope.config", file("from_connection"));
        url.put("envelope.config", file("from_url"));
        system.put("envelope.config", file("from_system"));
        env.put("ENVELOPE_CONFIG", file("from_env"));
        contextLoader = loaderWith("from_context", "envelope.yaml");
        ownLoader = loaderWith("from_own", "envelope.yaml");
    }
}
