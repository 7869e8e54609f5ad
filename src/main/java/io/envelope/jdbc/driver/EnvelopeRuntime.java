package io.envelope.jdbc.driver;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.keys.ConnectionSource;
import io.envelope.jdbc.keys.KeyConnections;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.kms.KmsProvider;
import io.envelope.jdbc.kms.KmsProviders;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.SqlAnalyzer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the connections of one configuration and one database share inside a process: the KMS provider,
 * the key ring (unwrapped key cache), the SQL analysis cache, the resolved schemas and the table layouts.
 * Built once, by the first connection; see {@link EnvelopeRuntimes}.
 */
final class EnvelopeRuntime implements AutoCloseable {

    /** Plans kept per runtime; a plan is a few hundred bytes. */
    private static final int ANALYSIS_CACHE_SIZE = 4096;

    private final EnvelopeConfig config;
    private final KmsProvider kms;
    private final KeyRing keyRing;
    private final SqlAnalyzer analyzer;
    private final TableLayouts layouts = new TableLayouts();
    private final Map<String, EncryptionSchema> schemas = new ConcurrentHashMap<>();

    EnvelopeRuntime(EnvelopeConfig config, ConnectionSource keyTableConnections) throws SQLException {
        this.config = config;
        this.kms = KmsProviders.create(config.kms());
        this.keyRing = new KeyRing(config.keyTable(), config.createKeyTable(), config.keyTableOwner(), kms,
                KeyConnections.of(keyTableConnections), new EnvelopeValueProbe(this::configuredTable),
                config.keyCacheTtl(), Clock.systemUTC());
        this.analyzer = new SqlAnalyzer(ANALYSIS_CACHE_SIZE);
    }

    EnvelopeConfig config() {
        return config;
    }

    KmsProvider kms() {
        return kms;
    }

    KeyRing keyRing() {
        return keyRing;
    }

    SqlAnalyzer analyzer() {
        return analyzer;
    }

    TableLayouts layouts() {
        return layouts;
    }

    /**
     * The configured tables resolved for a connection whose current schema is {@code currentSchema}, with the views
     * that read their encrypted columns; built once, by the first connection that opens on that schema (which
     * runs the one view query, see {@link EncryptedViews}).
     */
    EncryptionSchema schema(String currentSchema, IdentifierCase folding, Connection firstConnection)
            throws SQLException {
        EncryptionSchema cached = schemas.get(currentSchema);
        if (cached != null) {
            return cached;
        }
        EncryptionSchema tablesOnly = new EncryptionSchema(config, currentSchema, folding);
        List<EncryptionSchema.EncryptedView> views = EncryptedViews.find(firstConnection, tablesOnly);
        EncryptionSchema resolved = views.isEmpty() ? tablesOnly
                : new EncryptionSchema(config, currentSchema, folding, views);
        EncryptionSchema raced = schemas.putIfAbsent(currentSchema, resolved);
        return raced != null ? raced : resolved;
    }

    /** The configured table of a table identity, in any schema resolved so far (for the first-key probe). */
    private EncryptedTable configuredTable(String identity) {
        for (EncryptionSchema schema : schemas.values()) {
            EncryptedTable table = schema.tableByIdentity(identity);
            if (table != null) {
                return table;
            }
        }
        return null;
    }

    @Override
    public void close() {
        keyRing.close();
        kms.close();
    }
}
