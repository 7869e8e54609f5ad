package io.envelope.jdbc.driver;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.keys.ConnectionSource;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The process-wide registry of runtimes: connections with an equal configuration to the same database (see
 * {@link DatabaseIdentity}: not the same URL string) share one runtime, so a table's data key is unwrapped once per
 * process (per TTL), not once per connection or URL.
 *
 * <p>A runtime counts its open connections. When the last one closes, the runtime is closed — its keys
 * destroyed, its caches dropped — after {@link EnvelopeRuntime#linger()} (the key cache TTL, at most a minute)
 * unless a new connection takes it up meanwhile: an application that opens a connection per request keeps its
 * keys, and one that is done with a database does not keep them in memory.
 */
public final class EnvelopeRuntimes {

    /**
     * @param config   the validated configuration (a record: equal files give equal keys)
     * @param database what identifies the target database: a {@link DatabaseIdentity}, or the wrapped DataSource
     */
    private record Key(EnvelopeConfig config, Object database) {
    }

    private static final Map<Key, EnvelopeRuntime> RUNTIMES = new HashMap<>();

    /** Closes idle runtimes when their linger ends; a daemon thread, so it never keeps a JVM alive. */
    private static final class Closer {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "envelope-jdbc-runtime-closer");
            t.setDaemon(true);
            return t;
        });
    }

    private EnvelopeRuntimes() {
    }

    /** The runtime for a configuration and database, counted as used by one more connection. */
    static EnvelopeRuntime acquire(EnvelopeConfig config, Object database, ConnectionSource keyTableConnections)
            throws SQLException {
        Key key = new Key(config, database);
        synchronized (RUNTIMES) {
            EnvelopeRuntime runtime = RUNTIMES.get(key);
            if (runtime == null) {
                runtime = new EnvelopeRuntime(config, keyTableConnections, key);
                RUNTIMES.put(key, runtime);
            }
            runtime.acquired();
            return runtime;
        }
    }

    /** A connection of the runtime closed (or failed to open); the last one schedules the runtime's close. */
    static void release(EnvelopeRuntime runtime) {
        synchronized (RUNTIMES) {
            if (runtime.released() > 0 || RUNTIMES.get((Key) runtime.registryKey()) != runtime) {
                return;
            }
            long lingerNanos = runtime.linger().toNanos();
            if (lingerNanos > 0) {
                runtime.closeLater(Closer.EXECUTOR.schedule(() -> closeIfIdle(runtime), lingerNanos,
                        TimeUnit.NANOSECONDS));
                return;
            }
        }
        closeIfIdle(runtime);
    }

    private static void closeIfIdle(EnvelopeRuntime runtime) {
        synchronized (RUNTIMES) {
            if (runtime.users() > 0 || !RUNTIMES.remove((Key) runtime.registryKey(), runtime)) {
                return;
            }
        }
        runtime.close();
    }

    /** How many runtimes the process holds now (monitoring and tests). */
    public static int count() {
        synchronized (RUNTIMES) {
            return RUNTIMES.size();
        }
    }

    /**
     * Drops every runtime and its cached keys (tests, and applications that reload their configuration).
     * Connections already open keep the runtime they have.
     */
    public static void clear() {
        List<EnvelopeRuntime> all;
        synchronized (RUNTIMES) {
            all = new ArrayList<>(RUNTIMES.values());
            RUNTIMES.clear();
        }
        all.forEach(EnvelopeRuntime::close);
    }
}
