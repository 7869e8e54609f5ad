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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A per-key cache whose entries live for a fixed time counted from when they were loaded (not from last use),
 * with single-flight loading: concurrent misses for one key run one load; misses for different keys load in
 * parallel. A failed load is not cached. With a zero TTL nothing is stored (every {@link #get} loads, though
 * callers that arrive during a running load share it).
 *
 * <p>All expiry is measured with the injected {@link Clock}. Every stored value is reported to a {@link Listener}
 * (the key ring's refresher, which refreshes used entries ahead of expiry and wipes keys once they expired), and an
 * entry remembers whether it was asked for since it was stored, so only values in use are refreshed.
 */
final class KeyCache<K, V> {

    @FunctionalInterface
    interface Loader<V> {
        V load() throws SQLException;
    }

    /** Told about every value stored, with the moment it stops being served. */
    @FunctionalInterface
    interface Listener<K, V> {
        void stored(K key, V value, Instant expiresAt);
    }

    /** One cached value and until when it is served. */
    static final class Entry<V> {
        final V value;
        final Instant expiresAt;
        volatile boolean used;

        Entry(V value, Instant expiresAt) {
            this.value = value;
            this.expiresAt = expiresAt;
        }

        V value() {
            return value;
        }

        Instant expiresAt() {
            return expiresAt;
        }

        /** Records a use made without asking the cache (the refresher renews only entries in use). */
        void markUsed() {
            if (!used) {
                used = true;
            }
        }
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
    private volatile Listener<K, V> listener = (k, v, at) -> { };
    /**
     * Bumped whenever an entry is stored, replaced or removed, so that whoever remembers an answer worked out from
     * this cache's values can tell, with one read, that nothing it came from has changed since.
     */
    private final AtomicLong changes = new AtomicLong();

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

    void listen(Listener<K, V> newListener) {
        this.listener = newListener;
    }

    Duration ttl() {
        return ttl;
    }

    /** How many times an entry was stored, replaced or removed so far (see {@link #changes}). */
    long changes() {
        return changes.get();
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
            entry.used = true;
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
            if (again != null) {
                again.used = true;
                return again.value();
            }
            return loadAndStore(key, loader);
        });
    }

    /**
     * Loads the replacement of {@code expected} ahead of its expiry as the one flight of its key, so a caller that
     * misses meanwhile (the entry expired before the refresh landed) waits for this load instead of starting a
     * second one. The replacement is stored even if the entry expired meanwhile, and counts as not yet used (an
     * entry nobody asks for again is not refreshed again). Nothing is loaded when the key already holds another
     * fresh value (it was reloaded meanwhile).
     *
     * @return the value the key holds now: the replacement, or the other fresh value
     */
    V refresh(K key, V expected, Loader<V> loader) throws SQLException {
        return loads.run(key, what + " " + key, () -> {
            Entry<V> current = fresh(key);
            if (current != null && current.value() != expected) {
                return current.value();
            }
            V value = loadAndStore(key, loader, false);
            if (counted) {
                EnvelopeMetrics.cacheRefresh(); // refreshed ahead of its expiry, off the request path
            }
            return value;
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
            changes.incrementAndGet();
        }
        listener.stored(key, value, expiresAt);
    }

    /**
     * Replaces {@code expected} — the value cached for the key, fresh or just expired — by {@code replacement}, which
     * lives one TTL from now (a refresh). Nothing happens when the key holds another value or none (the entry was
     * invalidated or reloaded meanwhile): the caller then owns {@code replacement}.
     *
     * @return whether the replacement was stored
     */
    boolean replace(K key, V expected, V replacement) {
        if (!caching()) {
            return false;
        }
        Instant expiresAt = clock.instant().plus(ttl);
        boolean replaced;
        synchronized (this) {
            Entry<V> current = entries.get(key);
            replaced = current != null && current.value() == expected;
            if (replaced) {
                entries.put(key, new Entry<>(replacement, expiresAt));
                changes.incrementAndGet();
            }
        }
        if (replaced) {
            listener.stored(key, replacement, expiresAt);
        }
        return replaced;
    }

    /** The entry of {@code key} while it holds {@code value} (fresh or not yet swept), else null. */
    Entry<V> entry(K key, V value) {
        Entry<V> entry = entries.get(key);
        return entry != null && entry.value() == value ? entry : null;
    }

    /** Whether {@code value} is what the key holds and it was asked for since it was stored. */
    boolean usedSinceStored(K key, V value) {
        Entry<V> entry = entries.get(key);
        return entry != null && entry.value() == value && entry.used;
    }

    /** Whether {@code value} is still what the key holds (fresh or not yet swept). */
    boolean holds(K key, V value) {
        Entry<V> entry = entries.get(key);
        return entry != null && entry.value() == value;
    }

    /** Removes the entry if it still holds {@code value}. */
    boolean removeIfHolds(K key, V value) {
        Entry<V> entry = entries.get(key);
        return entry != null && entry.value() == value && removed(key, entry);
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
        if (entries.remove(key) != null) {
            changes.incrementAndGet();
        }
    }

    private boolean removed(K key, Entry<V> entry) {
        if (entries.remove(key, entry)) {
            changes.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Removes the entries whose key matches; returns their values. */
    List<V> removeIf(Predicate<K> matching) {
        List<V> removed = new ArrayList<>();
        for (Map.Entry<K, Entry<V>> e : entries.entrySet()) {
            if (matching.test(e.getKey()) && removed(e.getKey(), e.getValue())) {
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
            changes.incrementAndGet();
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
        removed(key, entry);
        return null;
    }

    private V loadAndStore(K key, Loader<V> loader) throws SQLException {
        return loadAndStore(key, loader, true);
    }

    /** @param used whether the stored entry counts as asked for (a caller's load) or not yet (a refresh) */
    private V loadAndStore(K key, Loader<V> loader, boolean used) throws SQLException {
        long startedIn;
        synchronized (this) {
            startedIn = generation;
        }
        V value = loader.load();
        if (caching()) {
            // Counted from when the value was obtained (for a data key: when it was unwrapped).
            Instant expiresAt = clock.instant().plus(ttl);
            boolean stored = false;
            synchronized (this) {
                if (generation == startedIn) {
                    Entry<V> entry = new Entry<>(value, expiresAt);
                    entry.used = used;
                    entries.put(key, entry);
                    changes.incrementAndGet();
                    stored = true;
                }
            }
            if (stored) {
                listener.stored(key, value, expiresAt);
            }
        }
        return value;
    }
}
