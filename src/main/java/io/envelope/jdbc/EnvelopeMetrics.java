package io.envelope.jdbc;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Process-wide counters of envelope-jdbc: KMS calls (by operation and outcome, with the time they took), data key
 * cache hits, misses and refreshes, value encryptions and decryptions, refusals by reason, and plaintext values read
 * inside {@code accept-plaintext} windows. Read them with {@link #snapshot()}, or publish them to Micrometer with
 * {@code io.envelope.jdbc.micrometer.EnvelopeMeterBinder} (registered by the Spring Boot auto-configuration).
 *
 * <p>Counting is a single {@link LongAdder} increment, no allocation on the value path; the counters are never reset,
 * so compare two snapshots for a rate. A {@link Listener} hears the rare events (a KMS call, a label seen for the first
 * time), never the per-value ones, so a metrics library can time KMS calls and register labelled meters as they
 * appear.
 *
 * <p>A KMS call is one API operation as the application sees it (the SDK's retries inside it are not counted
 * separately). A cache miss is a lookup of an unwrapped data key that had to wait for a KMS Decrypt (its own, or
 * one already running for the same key); a refresh is a miss for a key that was cached and whose cache period
 * ({@code key-cache.ttl}) ended.
 */
public final class EnvelopeMetrics {

    /**
     * Hears the rare events, on the thread that caused them: keep the work short and never throw (a listener's
     * exception is dropped).
     */
    public interface Listener {
        /** A KMS call ended, successfully or not, after {@code nanos} (the SDK's retries included). */
        default void kmsCall(String operation, boolean failed, long nanos) {
        }

        /** The first call of a KMS operation in this process (its counters exist from now on). */
        default void newKmsOperation(String operation) {
        }

        /** The first plaintext value read from an {@code accept-plaintext} column ({@code schema.table.column}). */
        default void newPlaintextColumn(String column) {
        }
    }

    private static final ConcurrentHashMap<String, LongAdder> KMS_CALLS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, LongAdder> KMS_FAILURES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, LongAdder> KMS_NANOS = new ConcurrentHashMap<>();
    private static final LongAdder CACHE_HITS = new LongAdder();
    private static final LongAdder CACHE_MISSES = new LongAdder();
    private static final LongAdder CACHE_REFRESHES = new LongAdder();
    private static final LongAdder ENCRYPTIONS = new LongAdder();
    private static final LongAdder DECRYPTIONS = new LongAdder();
    private static final Map<RefusalReason, LongAdder> REFUSALS = new EnumMap<>(RefusalReason.class);
    private static final ConcurrentHashMap<String, LongAdder> PLAINTEXT_READS = new ConcurrentHashMap<>();
    private static final LongAdder KEY_REFRESH_FAILURES = new LongAdder();
    private static final CopyOnWriteArrayList<Listener> LISTENERS = new CopyOnWriteArrayList<>();

    static {
        for (RefusalReason reason : RefusalReason.values()) {
            REFUSALS.put(reason, new LongAdder());
        }
    }

    private EnvelopeMetrics() {
    }

    /**
     * The counters at one moment.
     *
     * @param kmsCalls       KMS calls by operation ({@code GenerateDataKey}, {@code Decrypt}, {@code ReEncrypt},
     *                       {@code DescribeKey}), failed ones included
     * @param kmsFailuresByOperation KMS calls that failed (after the SDK's retries), by operation
     * @param kmsTime        time spent in KMS calls, by operation
     * @param cacheHits      data keys served from the in-memory cache
     * @param cacheMisses    data key lookups that needed a KMS Decrypt
     * @param cacheRefreshes misses for keys whose cache period had ended (a subset of {@code cacheMisses})
     * @param encryptions    column values encrypted
     * @param decryptions    column values decrypted
     * @param refusals       refused statements and values, by {@link RefusalReason#tag()}; every reason is present
     * @param plaintextReads per column ({@code schema.table.column}), stored values read as plaintext inside an
     *                       {@code accept-plaintext} migration window
     */
    public record Snapshot(Map<String, Long> kmsCalls, Map<String, Long> kmsFailuresByOperation,
                           Map<String, Duration> kmsTime, long cacheHits, long cacheMisses, long cacheRefreshes,
                           long encryptions, long decryptions, Map<String, Long> refusals,
                           Map<String, Long> plaintextReads) {

        /** Every KMS call, whatever the operation. */
        public long kmsCallsTotal() {
            return kmsCalls.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The calls of one operation, 0 if none. */
        public long kmsCalls(String operation) {
            return kmsCalls.getOrDefault(operation, 0L);
        }

        /** Every failed KMS call, whatever the operation. */
        public long kmsFailures() {
            return kmsFailuresByOperation.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The failed calls of one operation, 0 if none. */
        public long kmsFailures(String operation) {
            return kmsFailuresByOperation.getOrDefault(operation, 0L);
        }

        /** The refusals for one reason. */
        public long refusals(RefusalReason reason) {
            return refusals.getOrDefault(reason.tag(), 0L);
        }
    }

    /** The current values of every counter. */
    public static Snapshot snapshot() {
        Map<String, Duration> time = new TreeMap<>();
        KMS_NANOS.forEach((operation, adder) -> time.put(operation, Duration.ofNanos(adder.sum())));
        Map<String, Long> refusals = new TreeMap<>();
        REFUSALS.forEach((reason, adder) -> refusals.put(reason.tag(), adder.sum()));
        return new Snapshot(sums(KMS_CALLS), sums(KMS_FAILURES), Collections.unmodifiableMap(time),
                CACHE_HITS.sum(), CACHE_MISSES.sum(), CACHE_REFRESHES.sum(), ENCRYPTIONS.sum(), DECRYPTIONS.sum(),
                Collections.unmodifiableMap(refusals), sums(PLAINTEXT_READS));
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> sums = new TreeMap<>();
        adders.forEach((key, adder) -> sums.put(key, adder.sum()));
        return Collections.unmodifiableMap(sums);
    }

    /** Starts telling {@code listener} about KMS calls and new labels. */
    public static void addListener(Listener listener) {
        LISTENERS.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener} anything. */
    public static void removeListener(Listener listener) {
        LISTENERS.remove(listener);
    }

    // ---- recording (internal API: called by the providers, the key ring, the column cipher and the refusals) -----

    /** Counts one KMS call that took {@code nanos}. */
    public static void kmsCall(String operation, boolean failed, long nanos) {
        LongAdder calls = KMS_CALLS.get(operation);
        if (calls == null) {
            // the failure and time adders exist before the call counter that announces the operation
            KMS_FAILURES.computeIfAbsent(operation, o -> new LongAdder());
            KMS_NANOS.computeIfAbsent(operation, o -> new LongAdder());
            calls = adder(KMS_CALLS, operation, l -> l.newKmsOperation(operation));
        }
        calls.increment();
        KMS_NANOS.get(operation).add(nanos);
        if (failed) {
            KMS_FAILURES.get(operation).increment();
        }
        tell(l -> l.kmsCall(operation, failed, nanos));
    }

    public static void cacheHit() {
        CACHE_HITS.increment();
    }

    public static void cacheMiss() {
        CACHE_MISSES.increment();
    }

    /** A miss for a key whose cache period ended (counted besides {@link #cacheMiss()}). */
    public static void cacheRefresh() {
        CACHE_REFRESHES.increment();
    }

    public static void encrypted() {
        ENCRYPTIONS.increment();
    }

    public static void decrypted() {
        DECRYPTIONS.increment();
    }

    /** Counts one refusal. */
    public static void refused(RefusalReason reason) {
        REFUSALS.get(reason).increment();
    }

    /** Counts one plaintext value read from an accept-plaintext column; returns that column's count so far. */
    public static long plaintextRead(String column) {
        LongAdder adder = PLAINTEXT_READS.get(column);
        if (adder == null) {
            adder = adder(PLAINTEXT_READS, column, l -> l.newPlaintextColumn(column));
        }
        adder.increment();
        return adder.sum();
    }

    /**
     * Background key refreshes (re-reading key rows or re-unwrapping a cached key ahead of its TTL) that failed and
     * will be retried while the cached key lasts; each is also in the audit log.
     */
    public static long keyRefreshFailures() {
        return KEY_REFRESH_FAILURES.sum();
    }

    public static void keyRefreshFailed() {
        KEY_REFRESH_FAILURES.increment();
    }

    /** The adder of a label, made on its first use; the thread that makes it tells the listeners. */
    private static LongAdder adder(ConcurrentHashMap<String, LongAdder> adders, String label,
                                   Consumer<Listener> announce) {
        boolean[] created = new boolean[1];
        LongAdder adder = adders.computeIfAbsent(label, l -> {
            created[0] = true;
            return new LongAdder();
        });
        if (created[0]) {
            tell(announce);
        }
        return adder;
    }

    private static void tell(Consumer<Listener> event) {
        for (Listener listener : LISTENERS) {
            try {
                event.accept(listener);
            } catch (RuntimeException ignored) {
                // a metrics library's problem must never fail a statement
            }
        }
    }
}
