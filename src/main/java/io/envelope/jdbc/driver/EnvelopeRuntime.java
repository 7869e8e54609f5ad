package io.envelope.jdbc.driver;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.keys.ConnectionSource;
import io.envelope.jdbc.keys.KeyConnections;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.kms.KmsProvider;
import io.envelope.jdbc.kms.KmsProviders;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.sql.SqlAnalyzer;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the connections of one configuration and one database share inside a process: the KMS provider,
 * the key ring (unwrapped key cache), the SQL analysis cache, the resolved schemas with their catalog facts, and
 * the table layouts. Built by the first connection and closed (keys destroyed, caches dropped) a short while
 * after its last connection closed; see {@link EnvelopeRuntimes}.
 */
final class EnvelopeRuntime implements AutoCloseable {

    /** Plans kept per runtime (and at most {@link SqlAnalyzer#DEFAULT_CACHE_BYTES} of them). */
    private static final int ANALYSIS_CACHE_SIZE = 4096;
    /** The longest an idle runtime (no open connection) keeps its keys: non-pooled applications reconnect often. */
    private static final Duration MAX_LINGER = Duration.ofSeconds(60);

    private final EnvelopeConfig config;
    private final Object registryKey;
    private final KmsProvider kms;
    private final KeyRing keyRing;
    private final SqlAnalyzer analyzer;
    private final TableLayouts layouts = new TableLayouts();
    private final ResolvedSchemas schemas;
    private final AtomicLong lastResultReread = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

    // guarded by EnvelopeRuntimes' registry lock
    private int users;
    private ScheduledFuture<?> pendingClose;

    EnvelopeRuntime(EnvelopeConfig config, ConnectionSource keyTableConnections, Object registryKey)
            throws SQLException {
        this.config = config;
        this.registryKey = registryKey;
        this.kms = KmsProviders.create(config.kms());
        this.keyRing = new KeyRing(config.keyTable(), config.createKeyTable(), config.keyTableOwner(), kms,
                KeyConnections.of(keyTableConnections), new EnvelopeValueProbe(this::configuredTable),
                config.keyCacheTtl(), Clock.systemUTC());
        this.analyzer = new SqlAnalyzer(ANALYSIS_CACHE_SIZE);
        this.schemas = new ResolvedSchemas(config, () -> {
            layouts.invalidate();
            analyzer.forgetPlans();
        });
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

    ResolvedSchemas schemas() {
        return schemas;
    }

    /**
     * The tables may have changed (DDL seen through the wrapper, or a result that does not match its plan):
     * layouts are read again, catalog facts re-read at the next statement, and every plan analysed again.
     */
    void schemaChanged() {
        layouts.invalidate();
        schemas.invalidate();
        analyzer.forgetPlans();
    }

    /**
     * Whether a result that matched no plan may make the runtime read the table definitions again now: at most
     * once per {@code intervalNanos}, so a statement the analysis keeps getting wrong cannot make every
     * connection re-read every table at every execution.
     */
    boolean mayRereadForResult(long intervalNanos) {
        long now = System.nanoTime();
        long last = lastResultReread.get();
        return now - last >= intervalNanos && lastResultReread.compareAndSet(last, now);
    }

    // ---- sharing (EnvelopeRuntimes holds its lock around these) ---------------------------------------------

    Object registryKey() {
        return registryKey;
    }

    /** One more connection uses this runtime; a pending close is called off. */
    void acquired() {
        users++;
        if (pendingClose != null) {
            pendingClose.cancel(false);
            pendingClose = null;
        }
    }

    /** One connection fewer; returns how many remain. */
    int released() {
        users = Math.max(0, users - 1);
        return users;
    }

    int users() {
        return users;
    }

    void closeLater(ScheduledFuture<?> close) {
        this.pendingClose = close;
    }

    /** How long the runtime stays after its last connection closed: its keys expire by then anyway. */
    Duration linger() {
        Duration ttl = config.keyCacheTtl();
        return ttl.compareTo(MAX_LINGER) < 0 ? ttl : MAX_LINGER;
    }

    /** The configured table of a table identity, in any schema resolved so far (for the first-key probe). */
    private EncryptedTable configuredTable(String identity) {
        return schemas.tableByIdentity(identity);
    }

    @Override
    public void close() {
        keyRing.close();
        kms.close();
        analyzer.forgetPlans();
        layouts.invalidate();
    }
}
