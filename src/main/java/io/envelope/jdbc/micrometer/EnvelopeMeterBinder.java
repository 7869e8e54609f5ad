package io.envelope.jdbc.micrometer;

import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.RefusalReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Publishes envelope-jdbc's process-wide {@link EnvelopeMetrics} to Micrometer. The Spring Boot auto-configuration
 * registers one; elsewhere bind it by hand, once per registry:
 *
 * <pre>{@code
 * new EnvelopeMeterBinder().bindTo(registry);
 * }</pre>
 *
 * <p>Meters (all counters count since the process started, whenever the binder was bound):
 * <ul>
 *   <li>{@code envelope.kms.calls} and {@code envelope.kms.failures}, tag {@code operation} ({@code GenerateDataKey},
 *       {@code Decrypt}, {@code ReEncrypt}, {@code DescribeKey}): KMS calls, failed ones included, and the failed
 *       ones (after the SDK's retries);</li>
 *   <li>{@code envelope.kms.latency}, a timer, tags {@code operation} and {@code outcome} ({@code success},
 *       {@code failure}): how long each KMS call took, retries included (calls after the binder was bound);</li>
 *   <li>{@code envelope.data.key.cache.gets}, tag {@code result} ({@code hit}, {@code miss}): data key lookups
 *       served from memory or needing a KMS Decrypt; {@code envelope.data.key.cache.refreshes}: the misses for a key
 *       whose cache period ({@code key-cache.ttl}) had ended;</li>
 *   <li>{@code envelope.values.encrypted}, {@code envelope.values.decrypted}: column values;</li>
 *   <li>{@code envelope.refusals}, tag {@code reason} (see {@link RefusalReason#tag()}): statements and values
 *       refused before anything was sent;</li>
 *   <li>{@code envelope.plaintext.reads}, tag {@code column} ({@code schema.table.column}): stored plaintext read
 *       from an {@code accept-plaintext} column during a migration window.</li>
 * </ul>
 *
 * <p>The counters read the {@link EnvelopeMetrics} adders when the registry is scraped: nothing is added to the
 * value path. Labelled counters appear when their label is first seen (a KMS operation's first call, a column's
 * first plaintext read). {@link #close()} stops the timer and the new-label registrations (Spring calls it when the
 * context closes).
 */
public final class EnvelopeMeterBinder implements MeterBinder, AutoCloseable {

    private final Tags commonTags;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();

    /** A binder whose meters carry no extra tags. */
    public EnvelopeMeterBinder() {
        this(Tags.empty());
    }

    /** A binder whose meters all carry {@code tags} (e.g. the application's name). */
    public EnvelopeMeterBinder(Iterable<Tag> tags) {
        this.commonTags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Registration registration = new Registration(registry);
        // listening first, then registering what exists: a label that appears in between is registered twice,
        // which Micrometer turns into one meter
        EnvelopeMetrics.addListener(registration);
        registrations.add(registration);

        counter(registry, "envelope.data.key.cache.gets", Tags.of("result", "hit"),
                "data key lookups served from memory", EnvelopeMetrics.Snapshot::cacheHits);
        counter(registry, "envelope.data.key.cache.gets", Tags.of("result", "miss"),
                "data key lookups that needed a KMS Decrypt", EnvelopeMetrics.Snapshot::cacheMisses);
        counter(registry, "envelope.data.key.cache.refreshes", Tags.empty(),
                "data keys unwrapped again, ahead of their cache period's end or after it",
                EnvelopeMetrics.Snapshot::cacheRefreshes);
        FunctionCounter.builder("envelope.data.key.refresh.failures", EnvelopeMetrics.class,
                        metrics -> EnvelopeMetrics.keyRefreshFailures())
                .tags(commonTags)
                .description("background refreshes of data keys or key rows that failed (retried while the key lasts)")
                .register(registry);
        counter(registry, "envelope.values.encrypted", Tags.empty(), "column values encrypted",
                EnvelopeMetrics.Snapshot::encryptions);
        counter(registry, "envelope.values.decrypted", Tags.empty(), "column values decrypted",
                EnvelopeMetrics.Snapshot::decryptions);
        for (RefusalReason reason : RefusalReason.values()) {
            counter(registry, "envelope.refusals", Tags.of("reason", reason.tag()),
                    "statements and values refused before anything was sent", s -> s.refusals(reason));
        }
        EnvelopeMetrics.Snapshot now = EnvelopeMetrics.snapshot();
        now.kmsCalls().keySet().forEach(registration::newKmsOperation);
        now.plaintextReads().keySet().forEach(registration::newPlaintextColumn);
    }

    /** Stops the KMS timer and the registration of new labels in every registry this binder was bound to. */
    @Override
    public void close() {
        for (Registration registration : registrations) {
            EnvelopeMetrics.removeListener(registration);
        }
        registrations.clear();
    }

    private void counter(MeterRegistry registry, String name, Tags tags, String description,
                         ToLongFunction<EnvelopeMetrics.Snapshot> read) {
        // The state object is the class itself: strongly reachable, so the counter never reads as NaN after a GC.
        FunctionCounter.builder(name, EnvelopeMetrics.class, metrics -> read.applyAsLong(EnvelopeMetrics.snapshot()))
                .tags(commonTags.and(tags))
                .description(description)
                .register(registry);
    }

    /** One registry's listener: times KMS calls and registers counters for labels as they appear. */
    private final class Registration implements EnvelopeMetrics.Listener {

        private final MeterRegistry registry;

        Registration(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void kmsCall(String operation, boolean failed, long nanos) {
            Timer.builder("envelope.kms.latency")
                    .tags(commonTags.and("operation", operation, "outcome", failed ? "failure" : "success"))
                    .description("time taken by KMS calls, the SDK's retries included")
                    .register(registry)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void newKmsOperation(String operation) {
            counter(registry, "envelope.kms.calls", Tags.of("operation", operation),
                    "KMS calls, failed ones included", s -> s.kmsCalls(operation));
            counter(registry, "envelope.kms.failures", Tags.of("operation", operation),
                    "KMS calls that failed after the SDK's retries", s -> s.kmsFailures(operation));
        }

        @Override
        public void newPlaintextColumn(String column) {
            counter(registry, "envelope.plaintext.reads", Tags.of("column", column),
                    "stored plaintext values read inside an accept-plaintext window", s -> s.plaintextReads()
                            .getOrDefault(column, 0L));
        }
    }
}
