package io.envelope.jdbc.it;

import io.envelope.jdbc.EnvelopeDriver;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.kms.LocalKmsProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;

/**
 * What {@link EncryptedDatabase} (a PostgreSQL schema) and {@code EncryptedMariaDb} (a MariaDB database) share: a
 * test's own place in a real database, a fresh local master key, the key table inside that place, and a
 * configuration file listing the test's encrypted columns. A subclass says how to reach the place, through the
 * wrapper ({@link #envelopeUrl}) and plainly ({@link #plain}).
 */
public abstract class EncryptedPlace implements EncryptedTarget {

    static {
        // make sure the wrapper is registered even when no test touched the class yet
        new EnvelopeDriver();
    }

    /** The files a place's tests configure the wrapper with. */
    protected record Configuration(Path configFile, Path masterKeyFile) {
    }

    private final String name;
    private final Configuration configuration;

    protected EncryptedPlace(String name, Configuration configuration) {
        this.name = name;
        this.configuration = configuration;
    }

    /**
     * Writes a fresh 256-bit local master key and a configuration file whose key table is in {@code place}.
     *
     * @param prefix     a name for the temporary directory (the test's)
     * @param tablesYaml the {@code tables:} section's body, indented by two spaces
     * @param extraYaml  more top-level configuration (e.g. {@code key-cache:}), each line ending in a newline
     */
    protected static Configuration writeConfiguration(String prefix, String place, String tablesYaml,
                                                      String extraYaml) throws IOException {
        Path dir = Files.createTempDirectory("envelope-it-" + prefix);
        Path masterKey = dir.resolve("master.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(masterKey, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        Path config = dir.resolve("envelope.yaml");
        Files.writeString(config, "version: 1\n"
                + "kms:\n  provider: local\n  master-key-file: " + masterKey + "\n"
                + "key-table: " + place + ".envelope_data_keys\n"
                + extraYaml
                + "tables:\n" + tablesYaml);
        return new Configuration(config, masterKey);
    }

    /** The schema (PostgreSQL) or database (MariaDB) the test's tables and key table are in. */
    protected String name() {
        return name;
    }

    /** The key table, qualified by the test's schema or database. */
    public String keyTable() {
        return name + ".envelope_data_keys";
    }

    public Path configFile() {
        return configuration.configFile();
    }

    public Path masterKeyFile() {
        return configuration.masterKeyFile();
    }

    /** The wrapper's URL for this place. */
    public abstract String envelopeUrl();

    /** A connection through envelope-jdbc. */
    @Override
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("envelope.config", configFile().toString());
        return DriverManager.getConnection(envelopeUrl(), properties);
    }

    /** Runs statements on a plain connection (DDL, tampering). */
    @Override
    public void executePlain(String... sql) throws SQLException {
        try (Connection c = plain(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /**
     * A key ring on this place's key table and master key, separate from the wrapper's (as an administrator's
     * process or the command-line tool would have): for adding versions and changing statuses in tests.
     */
    public KeyRing adminKeyRing() throws IOException, SQLException {
        byte[] master = Base64.getDecoder().decode(Files.readString(masterKeyFile()).trim());
        return new KeyRing(keyTable(), true, LocalKmsProvider.ofKey(master, "test"), this::plain,
                Duration.ofMinutes(10), Clock.systemUTC());
    }
}
