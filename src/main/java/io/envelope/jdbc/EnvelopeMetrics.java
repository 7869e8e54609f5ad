package io.envelope.jdbc;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters of envelope-jdbc: KMS calls (by operation and outcome), data key cache hits and misses,
 * value encryptions and decryptions. Read with {@link #snapshot()}; export them to whatever metrics system the
 * application uses (a gauge per field). Counting is a single {@link LongAdder} increment, no allocation on the
 * value path; the counters are never reset, so compare two snapshots for a rate.
 *
 * <p>A KMS call is one API operation as the application sees it (the SDK's retries inside it are not counted
 * separately). A cache miss is a lookup of an unwrapped data key that had to wait for a KMS Decrypt (its own, or
 * one already running for the same key).
 */
public final class EnvelopeMetrics {

    private static final ConcurrentHashMap<String, LongAdder> KMS_CALLS = new ConcurrentHashMap<>();
    private static final LongAdder KMS_FAILURES = new LongAdder();
    private static final LongAdder CACHE_HITS = new LongAdder();
    private static final LongAdder CACHE_MISSES = new LongAdder();
    private static final LongAdder ENCRYPTIONS = new LongAdder();
    private static final LongAdder DECRYPTIONS = new LongAdder();
    private static final ConcurrentHashMap<String, LongAdder> PLAINTEXT_READS = new ConcurrentHashMap<>();
    private static final LongAdder KEY_REFRESH_FAILURES = new LongAdder();

    private EnvelopeMetrics() {
    }

    /**
     * The counters at one moment.
     *
     * @param kmsCalls       KMS calls by operation ({@code GenerateDataKey}, {@code Decrypt}, {@code ReEncrypt},
     *                       {@code DescribeKey}), failed ones included
     * @param kmsFailures    KMS calls that failed (after the SDK's retries)
     * @param cacheHits      data keys served from the in-memory cache
     * @param cacheMisses    data key lookups that needed a KMS Decrypt
     * @param encryptions    column values encrypted
     * @param decryptions    column values decrypted
     * @param plaintextReads per column ({@code schema.table.column}), stored values read as plaintext inside an
     *                       {@code accept-plaintext} migration window
     */
    public record Snapshot(Map<String, Long> kmsCalls, long kmsFailures, long cacheHits, long cacheMisses,
                           long encryptions, long decryptions, Map<String, Long> plaintextReads) {

        /** Every KMS call, whatever the operation. */
        public long kmsCallsTotal() {
            return kmsCalls.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The calls of one operation, 0 if none. */
        public long kmsCalls(String operation) {
            return kmsCalls.getOrDefault(operation, 0L);
        }
    }

    /** The current values of every counter. */
    public static Snapshot snapshot() {
        Map<String, Long> calls = new TreeMap<>();
        KMS_CALLS.forEach((operation, adder) -> calls.put(operation, adder.sum()));
        Map<String, Long> plaintext = new TreeMap<>();
        PLAINTEXT_READS.forEach((column, adder) -> plaintext.put(column, adder.sum()));
        return new Snapshot(Collections.unmodifiableMap(calls), KMS_FAILURES.sum(), CACHE_HITS.sum(),
                CACHE_MISSES.sum(), ENCRYPTIONS.sum(), DECRYPTIONS.sum(), Collections.unmodifiableMap(plaintext));
    }

    // ---- recording (internal API: called by the providers, the key ring and the column cipher) -------------

    /** Counts one KMS call. */
    public static void kmsCall(String operation, boolean failed) {
        KMS_CALLS.computeIfAbsent(operation, o -> new LongAdder()).increment();
        if (failed) {
            KMS_FAILURES.increment();
        }
    }

    public static void cacheHit() {
        CACHE_HITS.increment();
    }

    public static void cacheMiss() {
        CACHE_MISSES.increment();
    }

    public static void encrypted() {
        ENCRYPTIONS.increment();
    }

    public static void decrypted() {
        DECRYPTIONS.increment();
    }

    /** Counts one plaintext value read from an accept-plaintext column; returns that column's count so far. */
    public static long plaintextRead(String column) {
        LongAdder adder = PLAINTEXT_READS.computeIfAbsent(column, c -> new LongAdder());
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
}
