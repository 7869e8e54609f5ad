package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Runs at most one piece of work per key at a time: callers that arrive while the work for their key runs wait
 * for its result instead of repeating it. Work for different keys runs in parallel (no shared lock). A failure is
 * handed to the callers that waited for it and is not remembered: the next caller tries again.
 *
 * <p>Not reentrant for one key: the work must not ask this instance for its own key.
 */
final class SingleFlight<K, V> {

    @FunctionalInterface
    interface Work<V> {
        V run() throws SQLException;
    }

    private final ConcurrentHashMap<K, CompletableFuture<V>> flights = new ConcurrentHashMap<>();

    /**
     * @param what what the work is, for the error raised when a waiting caller is interrupted
     */
    V run(K key, String what, Work<V> work) throws SQLException {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return await(running, what);
        }
        try {
            V value = work.run();
            mine.complete(value);
            return value;
        } catch (SQLException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(key, mine);
        }
    }

    /** Forgets running work, so callers that come later start their own (those already waiting still get it). */
    void forget() {
        flights.clear();
    }

    private static <V> V await(CompletableFuture<V> running, String what) throws SQLException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EnvelopeErrors.key("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException failure) {
                // A fresh exception per waiter (own stack trace), same message and state, the original chained.
                throw new SQLException(failure.getMessage(), failure.getSQLState(), failure.getErrorCode(), failure);
            }
            if (cause instanceof RuntimeException failure) {
                throw failure;
            }
            if (cause instanceof Error failure) {
                throw failure;
            }
            throw EnvelopeErrors.key(what + " failed", cause);
        }
    }
}
