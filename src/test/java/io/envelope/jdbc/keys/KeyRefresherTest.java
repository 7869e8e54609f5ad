package io.envelope.jdbc.keys;

import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.kms.EncryptionContext;
import io.envelope.jdbc.kms.GeneratedDataKey;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The background refresher: refreshes keys in use ahead of their TTL, wipes keys once they expired, daemon threads. */
class KeyRefresherTest {

    private static final String T = "public.customers";

    private final CountingTestKms kms = new CountingTestKms();

    private KeyRow row() throws SQLException {
        GeneratedDataKey generated = kms.generateDataKey(new EncryptionContext(T, 1));
        return new KeyRow(T, 1, kms.providerName(), generated.kmsKeyId(), generated.wrapped(), KeyStatus.ACTIVE,
                LocalDateTime.now());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static DataKey cached(KeyCache<DataKeyId, DataKey> keys, DataKeyId id) {
        try {
            return keys.get(id, () -> {
                throw new AssertionError("served from the cache");
            });
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUnusedKeyExpiresAndIsWipedAfterTheGracePeriod() throws Exception {
        KeyCache<DataKeyId, DataKey> keys = new KeyCache<>(Duration.ofMillis(300), Clock.systemUTC(), "key");
        KeyCache<String, RowSnapshot> rows = new KeyCache<>(Duration.ofMillis(300), Clock.systemUTC(), "rows");
        KeyRefresher refresher = new KeyRefresher(rows, keys, new KeyUnwrapper(kms, "k"), t -> null,
                Clock.systemUTC(), Duration.ofMillis(300), Duration.ofMillis(100));
        try {
            DataKey key = new DataKey(T, 1, new byte[32]);
            keys.put(DataKeyId.of(row()), key);
            assertThat(TestKeys.isDestroyed(key)).isFalse();
            await(() -> TestKeys.isDestroyed(key));
            assertThat(kms.decryptCalls.get()).as("an unused key is not refreshed").isZero();
        } finally {
            refresher.close();
        }
    }

    @Test
    void aUsedKeyIsUnwrappedAgainBeforeItsTtlEndsAndTheOldOneIsWipedLater() throws Exception {
        KeyCache<DataKeyId, DataKey> keys = new KeyCache<>(Duration.ofMillis(600), Clock.systemUTC(), "key");
        KeyCache<String, RowSnapshot> rows = new KeyCache<>(Duration.ofMillis(600), Clock.systemUTC(), "rows");
        KeyUnwrapper unwrapper = new KeyUnwrapper(kms, "k");
        KeyRefresher refresher = new KeyRefresher(rows, keys, unwrapper, t -> null, Clock.systemUTC(),
                Duration.ofMillis(600), Duration.ofMillis(100));
        try {
            KeyRow row = row();
            DataKeyId id = DataKeyId.of(row);
            DataKey first = keys.get(id, () -> unwrapper.unwrap(row));   // loaded on use
            long loaded = System.nanoTime();
            await(() -> kms.decryptCalls.get() == 2);
            long refreshedAfterMillis = (System.nanoTime() - loaded) / 1_000_000L;
            // the refresh thread stores the new key right after its Decrypt call returns
            await(() -> cached(keys, id) != first);
            assertThat(cached(keys, id)).isNotSameAs(first);
            assertThat(refreshedAfterMillis).as("refreshed ahead of the 600 ms TTL").isLessThan(600);
            await(() -> TestKeys.isDestroyed(first));
        } finally {
            refresher.close();
        }
    }

    @Test
    void theExecutorRunsOnDaemonThreadsAndEachRingReleasesItWhenItCloses() throws Exception {
        int before = RefreshExecutor.users();
        ScheduledExecutorService executor = RefreshExecutor.acquire();
        try {
            CompletableFuture<Boolean> daemon = new CompletableFuture<>();
            executor.execute(() -> daemon.complete(Thread.currentThread().isDaemon()));
            assertThat(daemon.get(5, TimeUnit.SECONDS)).isTrue();
            KeyRing ring = new KeyRing("envelope_data_keys", true, kms, () -> {
                throw new SQLException("no database needed");
            }, Duration.ofMinutes(1), Clock.systemUTC());
            assertThat(RefreshExecutor.users()).isEqualTo(before + 2);
            ring.close();
            assertThat(RefreshExecutor.users()).isEqualTo(before + 1);
            KeyRing zeroTtl = new KeyRing("envelope_data_keys", true, kms, () -> null, Duration.ZERO,
                    Clock.systemUTC());
            assertThat(RefreshExecutor.users()).as("nothing to refresh with a zero TTL").isEqualTo(before + 1);
            zeroTtl.close();
        } finally {
            RefreshExecutor.release(executor);
        }
        assertThat(RefreshExecutor.users()).isEqualTo(before);
    }
}
