package io.envelope.jdbc.driver;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.keys.ConnectionSource;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process-wide registry of runtimes: connections with an equal configuration to the same database share one
 * runtime, so a table's data key is unwrapped once per process (per TTL), not once per connection.
 */
public final class EnvelopeRuntimes {

    /**
     * @param config   the validated configuration (a record: equal files give equal keys)
     * @param database what identifies the target database: the target URL and user, or the wrapped DataSource
     */
    private record Key(EnvelopeConfig config, Object database) {
    }

    private static final Map<Key, EnvelopeRuntime> RUNTIMES = new ConcurrentHashMap<>();

    private EnvelopeRuntimes() {
    }

    static EnvelopeRuntime get(EnvelopeConfig config, Object database, ConnectionSource keyTableConnections)
            throws SQLException {
        Key key = new Key(config, database);
        EnvelopeRuntime existing = RUNTIMES.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (RUNTIMES) {
            existing = RUNTIMES.get(key);
            if (existing == null) {
                existing = new EnvelopeRuntime(config, keyTableConnections);
                RUNTIMES.put(key, existing);
            }
            return existing;
        }
    }

    /**
     * Drops every runtime and its cached keys (tests, and applications that reload their configuration).
     * Connections already open keep the runtime they have.
     */
    public static void clear() {
        synchronized (RUNTIMES) {
            RUNTIMES.values().forEach(EnvelopeRuntime::close);
            RUNTIMES.clear();
        }
    }
}
