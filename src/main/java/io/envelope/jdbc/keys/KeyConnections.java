package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connections of the driver's own for key work that must commit independently of the application (creating keys
 * and the key table) or that runs off the request path (background refresh): opened through a
 * {@link ConnectionSource} within a time limit, so a pool with no free connection or an unreachable database
 * never blocks a caller for longer than that. An open that outlives its limit is abandoned: the connection it
 * brings later is closed at once (returned, for a pool).
 *
 * <ul>
 *   <li>{@link #direct}: the target driver itself (URL mode, the command line): a new physical connection,
 *       outside any pool;</li>
 *   <li>{@link #fromPool}: the application's pool ({@code new EnvelopeDataSource(pool, config)}), with a short
 *       limit, since the application's own request may hold every connection of it.</li>
 * </ul>
 */
public final class KeyConnections {

    /** How long an open from the target driver may take. */
    static final Duration DIRECT_LIMIT = Duration.ofSeconds(10);
    /** How long to wait for a free connection of the application's pool. */
    static final Duration POOL_LIMIT = Duration.ofSeconds(2);

    /** Daemon threads that run the (blocking) opens; idle ones end after a minute. */
    private static final ExecutorService OPENERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "envelope-jdbc-key-connection");
                t.setDaemon(true);
                return t;
            });

    private final ConnectionSource source;
    private final Duration limit;
    private final boolean pooled;

    private KeyConnections(ConnectionSource source, Duration limit, boolean pooled) {
        this.source = source;
        this.limit = limit;
        this.pooled = pooled;
    }

    /** New physical connections from the target driver (URL mode, the command line). */
    public static KeyConnections direct(ConnectionSource source) {
        return new KeyConnections(source, DIRECT_LIMIT, false);
    }

    /** {@link #fromPool} or {@link #direct}, as {@link ConnectionSource#pooled()} says. */
    public static KeyConnections of(ConnectionSource source) {
        return source.pooled() ? fromPool(source) : direct(source);
    }

    /** Connections borrowed from the application's pool, waiting at most {@link #POOL_LIMIT} for a free one. */
    public static KeyConnections fromPool(ConnectionSource pool) {
        return new KeyConnections(pool, POOL_LIMIT, true);
    }

    /** Whether connections come from the application's pool (which its requests may have exhausted). */
    boolean pooled() {
        return pooled;
    }

    /**
     * A connection of its own, in autocommit mode, or an {@code envelope-jdbc:} error naming {@code purpose} and
     * the limit. The caller closes it.
     */
    Connection open(String keyTable, String purpose) throws SQLException {
        CompletableFuture<Connection> opening = new CompletableFuture<>();
        try {
            OPENERS.execute(() -> {
                try {
                    opening.complete(source.open());
                } catch (Throwable e) {
                    opening.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            throw EnvelopeErrors.key("key table " + keyTable + ": cannot open a connection for " + purpose, e);
        }
        Connection connection;
        try {
            connection = opening.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            var unused = opening.thenAccept(KeyConnections::closeQuietly); // closed when it opens after all
            throw EnvelopeErrors.key("key table " + keyTable + ": no connection for " + purpose + " within "
                    + limit.toMillis() + " ms" + (pooled ? " (every connection of the application's pool is in use)"
                    : ""), e);
        } catch (InterruptedException e) {
            var unused = opening.thenAccept(KeyConnections::closeQuietly); // closed when it opens after all
            Thread.currentThread().interrupt();
            throw EnvelopeErrors.key("key table " + keyTable + ": interrupted while opening a connection for "
                    + purpose, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw EnvelopeErrors.key("key table " + keyTable + ": cannot open a connection for " + purpose + ": "
                    + cause.getMessage(), cause);
        }
        if (connection == null) {
            throw EnvelopeErrors.key("key table " + keyTable + ": the connection source gave no connection for "
                    + purpose);
        }
        try {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw EnvelopeErrors.key("key table " + keyTable + ": the connection for " + purpose
                    + " cannot be set to autocommit: " + e.getMessage(), e);
        }
        return connection;
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // nothing more to do with an abandoned connection
            }
        }
    }
}
