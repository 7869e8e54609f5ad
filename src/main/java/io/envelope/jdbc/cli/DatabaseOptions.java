package io.envelope.jdbc.cli;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.driver.EnvelopeUrl;
import io.envelope.jdbc.keys.KeyConnections;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.StoredValueProbe;
import io.envelope.jdbc.kms.KmsProvider;
import io.envelope.jdbc.kms.KmsProviders;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;

/**
 * The options every database command takes: {@code --config}, {@code --url} (the target URL or the
 * {@code jdbc:envelope:} URL), {@code --user}, {@code --password}; and what they open: the configuration, plain
 * target connections, the key ring.
 */
final class DatabaseOptions {

    @Option(names = "--config", description = "Configuration: a file path or classpath:NAME."
            + " Default: searched as the driver does (ENVELOPE_CONFIG, envelope.yaml on the class path, ...).")
    String config;

    @Option(names = "--url", required = true,
            description = "Database URL: jdbc:postgresql://..., jdbc:mariadb://... or jdbc:envelope:<either>")
    String url;

    @Option(names = "--user", description = "Database user.")
    String user;

    @Option(names = "--password", description = "Database password.")
    String password;

    /** The configuration, fully validated. */
    EnvelopeConfig loadConfig() throws SQLException {
        if (config != null) {
            return ConfigLoader.loadFrom(config);
        }
        if (EnvelopeUrl.accepts(url)) {
            return ConfigLoader.load(new Properties(), EnvelopeUrl.parse(url).envelopeParameters());
        }
        return ConfigLoader.load(new Properties(), Map.of());
    }

    /** The target database's URL, without the wrapper's prefix and parameters. */
    String targetUrl() {
        return EnvelopeUrl.accepts(url) ? EnvelopeUrl.parse(url).targetUrl() : url;
    }

    /** A plain connection to the target database (no encryption: the commands work on stored values). */
    Connection openTarget() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(targetUrl(), properties);
    }

    /** The configuration, its KMS provider and a key ring over its key table: what the key commands work with. */
    record KeyAccess(EnvelopeConfig config, KmsProvider kms, KeyRing ring) implements AutoCloseable {
        @Override
        public void close() {
            ring.close();
            kms.close();
        }
    }

    /** Loads the configuration and opens its KMS provider and key ring for this command's run. */
    KeyAccess openKeys() throws SQLException {
        EnvelopeConfig loaded = loadConfig();
        KmsProvider kms = KmsProviders.create(loaded.kms());
        KeyRing ring = new KeyRing(loaded.keyTable(), loaded.createKeyTable(), loaded.keyTableOwner(), kms,
                KeyConnections.direct(this::openTarget), StoredValueProbe.NONE, loaded.keyCacheTtl(),
                Clock.systemUTC());
        return new KeyAccess(loaded, kms, ring);
    }

    /**
     * The configured table a {@code --table} argument names (as in the configuration or SQL: {@code customers},
     * {@code billing.customers}, quoted names), resolved against the database as the driver resolves it.
     */
    EncryptedTable configuredTable(EnvelopeConfig loaded, Connection connection, String table) throws SQLException {
        IdentifierCase folding = IdentifierCase.of(connection.getMetaData());
        String currentSchema = connection.getSchema() != null ? connection.getSchema() : connection.getCatalog();
        EncryptionSchema schema = new EncryptionSchema(loaded, currentSchema, folding);
        String[] parts = EncryptionSchema.splitQualifiedName(table);
        EncryptedTable resolved = parts.length == 2
                ? schema.table(folding.normalize(parts[0]), folding.normalize(parts[1]))
                : schema.table(null, folding.normalize(parts[0]));
        if (resolved == null) {
            throw EnvelopeErrors.config("--table " + table + " is not a configured table of " + loaded.origin()
                    + " (configured: " + schema.tables() + ")");
        }
        return resolved;
    }
}
