package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyCacheTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger loads = new AtomicInteger();

    private String load() {
        return "v" + loads.incrementAndGet();
    }

    @Test
    void entryLivesOneTtlFromLoad() throws SQLException {
        KeyCache<String, String> cache = new KeyCache<>(Duration.ofSeconds(30), clock, "test");
        assertThat(cache.get("k", this::load)).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(29));
        assertThat(cache.get("k", this::load)).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("k", this::load)).isEqualTo("v2");
        assertThat(cache.get("other", this::load)).isEqualTo("v3");
    }

    @Test
    void zeroTtlStoresNothing() throws SQLException {
        KeyCache<String, String> cache = new KeyCache<>(Duration.ZERO, clock, "test");
        assertThat(cache.caching()).isFalse();
        cache.get("k", this::load);
        cache.put("k", "x");
        assertThat(cache.get("k", this::load)).isEqualTo("v2");
    }

    @Test
    void failureIsNotCached() throws SQLException {
        KeyCache<String, String> cache = new KeyCache<>(Duration.ofMinutes(1), clock, "test");
        assertThatThrownBy(() -> cache.get("k", () -> {
            throw EnvelopeErrors.key("boom");
        })).hasMessageContaining("boom");
        assertThat(cache.get("k", this::load)).isEqualTo("v1");
    }

    @Test
    void waitersShareOneLoadAndItsFailure() throws Exception {
        KeyCache<String, String> cache = new KeyCache<>(Duration.ofMinutes(1), clock, "test");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> {
            try {
                cache.get("k", () -> {
                    loads.incrementAndGet();
                    started.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw EnvelopeErrors.key("kms down");
                });
                return null;
            } catch (SQLException | RuntimeException e) {
                return e;
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Throwable> second = CompletableFuture.supplyAsync(() -> {
            try {
                cache.get("k", this::load);
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
        Thread.sleep(100);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).hasMessageContaining("kms down");
        Throwable waited = second.get(10, TimeUnit.SECONDS);
        if (waited != null) { // joined the failing load (usual) rather than starting its own after it
            assertThat(waited).hasMessageContaining("kms down").hasMessageStartingWith("envelope-jdbc: ");
            assertThat(loads.get()).isEqualTo(1);
        }
        assertThat(cache.get("k", this::load)).startsWith("v");
    }

    @Test
    void clearDuringLoadKeepsTheOldResultOut() throws Exception {
        KeyCache<String, String> cache = new KeyCache<>(Duration.ofMinutes(1), clock, "test");
        assertThat(cache.get("k", () -> {
            cache.clear();
            return "stale";
        })).isEqualTo("stale");
        assertThat(cache.get("k", this::load)).isEqualTo("v1");
    }
}
