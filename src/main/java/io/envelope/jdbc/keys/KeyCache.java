package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeMetrics;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A per-key cache whose entries live for a fixed time counted from when they were loaded (not from last use),
 * with single-flight loading: concurrent misses for one key run one load; misses for different keys load in
 * parallel. A failed load is not cached. With a zero TTL nothing is stored (every {@link #get} loads, though
 * callers that arrive during a running load share it).
 *
 * <p>All expiry is measured with the injected {@link Clock}.
 */
final class KeyCache<K, V> {

    @FunctionalInterface
    interface Loader<V> {
        V load() throws SQLException;
    }

    private record Entry<V>(V value, Instant expiresAt) {
    }

    private final Duration ttl;
    private final Clock clock;
    private final String what;
    /** Whether lookups count as data key cache hits and misses in {@link EnvelopeMetrics}. */
    private final boolean counted;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final SingleFlight<K, V> loads = new SingleFlight<>();
    /** Bumped by {@link #clear()}, so a load that started before it does not store its (older) result. */
    private long generation;

    /**
     * @param what what the values are ("data key", "key rows"), for error messages
     */
    KeyCache(Duration ttl, Clock clock, String what) {
        this(ttl, clock, what, false);
    }

    /**
     * @param counted whether {@link #get} counts hits and misses in {@link EnvelopeMetrics} (the data key cache)
     */
    KeyCache(Duration ttl, Clock clock, String what, boolean counted) {
        this.ttl = ttl;
        this.clock = clock;
        this.what = what;
        this.counted = counted;
    }

    /** Whether anything is kept at all (TTL above zero). */
    boolean caching() {
        return !ttl.isZero();
    }

    /**
     * Until when {@code value} — the very object cached for {@code key} — is served, or null when the key holds
     * another value or nothing (with a zero TTL, always null).
     */
    Instant expiresAt(K key, V value) {
        Entry<V> entry = entries.get(key);
        return entry != null && entry.value() == value ? entry.expiresAt() : null;
    }

    /** The cached value while it is fresh, else loaded (once, however many callers miss at the same time). */
    V get(K key, Loader<V> loader) throws SQLException {
        Entry<V> cached = entries.get(key);
        Entry<V> entry = fresh(key, cached);
        if (entry != null) {
            if (counted) {
                EnvelopeMetrics.cacheHit();
            }
            return entry.value();
        }
        if (counted) {
            EnvelopeMetrics.cacheMiss();
            if (cached != null) {
                EnvelopeMetrics.cacheRefresh(); // it was cached, and its period ended
            }
        }
        return loads.run(key, what + " " + key, () -> {
            Entry<V> again = fresh(key);
            return again != null ? again.value() : loadAndStore(key, loader);
        });
    }

    /** Loads afresh whatever is cached (joining a load that is already running for the key). */
    V reload(K key, Loader<V> loader) throws SQLException {
        return loads.run(key, what + " " + key, () -> loadAndStore(key, loader));
    }

    /** Stores a value obtained elsewhere; it lives one TTL from now. */
    void put(K key, V value) {
        if (!caching()) {
            return;
        }
        Instant expiresAt = clock.instant().plus(ttl);
        synchronized (this) {
            entries.put(key, new Entry<>(value, expiresAt));
        }
    }

    /** How many values are cached and still fresh. */
    int freshCount() {
        Instant now = clock.instant();
        int fresh = 0;
        for (Entry<V> entry : entries.values()) {
            if (now.isBefore(entry.expiresAt())) {
                fresh++;
            }
        }
        return fresh;
    }

    void remove(K key) {
        entries.remove(key);
    }

    /** Removes the entries whose key matches; returns their values. */
    List<V> removeIf(Predicate<K> matching) {
        List<V> removed = new ArrayList<>();
        for (Map.Entry<K, Entry<V>> e : entries.entrySet()) {
            if (matching.test(e.getKey()) && entries.remove(e.getKey(), e.getValue())) {
                removed.add(e.getValue().value());
            }
        }
        return removed;
    }

    /** Drops everything; returns the values that were cached. */
    List<V> clear() {
        List<V> removed = new ArrayList<>();
        synchronized (this) {
            generation++;
            for (Entry<V> e : entries.values()) {
                removed.add(e.value());
            }
            entries.clear();
        }
        loads.forget();
        return removed;
    }

    private Entry<V> fresh(K key) {
        return fresh(key, entries.get(key));
    }

    /** {@code entry} (what the cache holds for {@code key}) while it is fresh; an expired one is removed. */
    private Entry<V> fresh(K key, Entry<V> entry) {
        if (entry == null) {
            return null;
        }
        if (clock.instant().isBefore(entry.expiresAt())) {
            return entry;
        }
        entries.remove(key, entry);
        return null;
    }

    private V loadAndStore(K key, Loader<V> loader) throws SQLException {
        long startedIn;
        synchronized (this) {
            startedIn = generation;
        }
        V value = loader.load();
        if (caching()) {
            // Counted from when the value was obtained (for a data key: when it was unwrapped).
            Instant expiresAt = clock.instant().plus(ttl);
            synchronized (this) {
                if (generation == startedIn) {
                    entries.put(key, new Entry<>(value, expiresAt));
                }
            }
        }
        return value;
    }
}
