package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.crypto.DataKey;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the cached keys and key rows that are in use fresh ahead of their TTL, off the request path: every stored
 * entry is refreshed at a random 75–85% of the TTL (so a fleet of processes does not call KMS in the same second)
 * and at least 5 s before it expires (see {@link #refreshTime}), if it was used since it was stored — data keys unwrapped again through the KMS, key rows read again on a
 * connection of the driver's own. A failed refresh is audited, counted
 * ({@link EnvelopeMetrics#keyRefreshFailures()}) and retried with backoff while the entry lasts; the entry is never
 * served past its TTL whatever the refresh did. Every data key is destroyed (its bytes overwritten) a grace period
 * after it stops being served, when no lease can use it any more.
 */
final class KeyRefresher {

    /** After expiry, how long before a key's bytes are overwritten (a value being decrypted at expiry finishes). */
    static final Duration WIPE_GRACE = Duration.ofSeconds(10);
    /** The least time a refresh is given to land before its entry expires (KMS latency spikes last seconds). */
    static final Duration REFRESH_HEADROOM = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** Reads a table's key rows on a connection of the driver's own (never the application's). */
    @FunctionalInterface
    interface RowSource {
        RowSnapshot read(String table) throws SQLException;
    }

    private final KeyCache<String, RowSnapshot> rows;
    private final KeyCache<DataKeyId, DataKey> keys;
    private final KeyUnwrapper unwrapper;
    private final RowSource rowSource;
    private final Clock clock;
    private final Duration ttl;
    private final ScheduledExecutorService executor;
    private final Duration wipeGrace;
    private volatile boolean closed;
    /** The key each refreshed key replaced (identity), until the refreshed key's own refresh is decided. */
    private final Map<DataKey, DataKey> predecessors = Collections.synchronizedMap(new IdentityHashMap<>());

    KeyRefresher(KeyCache<String, RowSnapshot> rows, KeyCache<DataKeyId, DataKey> keys, KeyUnwrapper unwrapper,
                 RowSource rowSource, Clock clock, Duration ttl) {
        this(rows, keys, unwrapper, rowSource, clock, ttl, WIPE_GRACE);
    }

    KeyRefresher(KeyCache<String, RowSnapshot> rows, KeyCache<DataKeyId, DataKey> keys, KeyUnwrapper unwrapper,
                 RowSource rowSource, Clock clock, Duration ttl, Duration wipeGrace) {
        this.wipeGrace = wipeGrace;
        this.rows = rows;
        this.keys = keys;
        this.unwrapper = unwrapper;
        this.rowSource = rowSource;
        this.clock = clock;
        this.ttl = ttl;
        this.executor = RefreshExecutor.acquire();
        rows.listen(this::rowsStored);
        keys.listen(this::keyStored);
    }

    void close() {
        closed = true;
        RefreshExecutor.release(executor);
    }

    private void keyStored(DataKeyId id, DataKey key, Instant expiresAt) {
        schedule(refreshTime(expiresAt), () -> refreshKey(id, key, expiresAt, 0));
        schedule(expiresAt.plus(wipeGrace), () -> {
            keys.removeIfHolds(id, key);
            predecessors.remove(key);
            key.destroy();
        });
    }

    private void rowsStored(String table, RowSnapshot snapshot, Instant expiresAt) {
        schedule(refreshTime(expiresAt), () -> refreshRows(table, snapshot, expiresAt, 0));
    }

    /**
     * When to refresh an entry that expires at {@code expiresAt}: at a random 75–85% of the way from storing to
     * expiry (so a fleet of processes does not call KMS in the same second), but never later than
     * {@link #REFRESH_HEADROOM} before expiry, so a KMS call slowed by seconds still lands while the old key
     * serves. Short TTLs are refreshed at 10% of their length (a 2 s TTL: 0.2 s after the unwrap).
     */
    private Instant refreshTime(Instant expiresAt) {
        long ttlNanos = ttl.toNanos();
        double jitter = ThreadLocalRandom.current().nextDouble();
        long lead = (long) (ttlNanos * (0.15 + 0.10 * jitter));
        long headroom = Math.min(REFRESH_HEADROOM.toNanos(), (long) (ttlNanos * 0.9));
        return expiresAt.minusNanos(Math.max(lead, (long) (headroom * (0.95 + 0.05 * jitter))));
    }

    private void refreshKey(DataKeyId id, DataKey key, Instant expiresAt, int attempt) {
        DataKey predecessor = attempt == 0 ? predecessors.remove(key) : null;
        // In use: asked for through the cache since it was stored, or used by readers that keep their key for its
        // whole life (leases): this key, or the one it replaced, which such readers keep using until it expires.
        @SuppressWarnings("ShortCircuitBoolean") // every takeUsed() must run: each clears its flag
        boolean inUse = keys.usedSinceStored(id, key) | key.takeUsed()
                | (predecessor != null && predecessor.takeUsed());
        if (closed || (attempt == 0 && !inUse)) {
            return;   // unused since it was stored (or replaced): it expires, and the wipe task destroys it
        }
        try {
            // one flight with the key's loads: a read that misses while this runs waits for it, not for a second call
            DataKey now = keys.refresh(id, key, () -> unwrapper.unwrap(id.row));
            if (now != key) {
                predecessors.put(now, key);
            }
        } catch (SQLException | RuntimeException e) {
            failed("data key of table " + id.tableIdentity() + " version " + id.version(), attempt, e, expiresAt,
                    () -> refreshKey(id, key, expiresAt, attempt + 1));
        }
    }

    private void refreshRows(String table, RowSnapshot snapshot, Instant expiresAt, int attempt) {
        if (closed || !rows.usedSinceStored(table, snapshot)) {
            return;
        }
        try {
            RowSnapshot fresh = rowSource.read(table);
            unwrapNewVersions(snapshot, fresh);
            rows.replace(table, snapshot, fresh);
        } catch (SQLException | RuntimeException e) {
            failed("key rows of table " + table, attempt, e, expiresAt,
                    () -> refreshRows(table, snapshot, expiresAt, attempt + 1));
        }
    }

    /**
     * Unwraps, here in the background, each active version that appeared since the rows were last read (a
     * {@code keys rotate} elsewhere), before the new rows are served: the first write under the new version then
     * finds its key cached instead of waiting on the KMS. A failure is left to the request path, which tries again
     * and reports it.
     */
    private void unwrapNewVersions(RowSnapshot before, RowSnapshot after) {
        for (KeyRow row : after.rows) {
            if (row.status() == KeyStatus.ACTIVE && before.version(row.keyVersion()) == null) {
                try {
                    keys.get(DataKeyId.of(row), () -> unwrapper.unwrap(row));
                } catch (SQLException | RuntimeException e) {
                    // the request path unwraps it when it needs it, and reports what fails then
                }
            }
        }
    }

    private void failed(String what, int attempt, Exception e, Instant expiresAt, Runnable retry) {
        if (closed) {
            // The ring closed while this refresh ran (closing interrupts the opening of its connection): nothing
            // failed that anyone relies on, so it is neither audited nor counted.
            return;
        }
        EnvelopeMetrics.keyRefreshFailed();
        KeyAudit.refreshFailed(what, attempt + 1, e);
        Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(attempt, 7));
        if (backoff.compareTo(MAX_RETRY) > 0) {
            backoff = MAX_RETRY;
        }
        Instant next = clock.instant().plus(backoff);
        if (next.isBefore(expiresAt)) {
            schedule(next, retry);
        }
    }

    private void schedule(Instant at, Runnable task) {
        if (closed) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
        try {
            var unused = executor.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error ignored) {
                    // a refresh must never kill the executor's thread; failures were audited where they happened
                }
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDown) {
            // the last key ring closed meanwhile
        }
    }
}
