package io.envelope.jdbc.keys;

import io.envelope.jdbc.crypto.DataKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {

    private static final String T = "public.customers";
    private static final Duration TTL = Duration.ofMinutes(10);

    private String url;
    private Connection keepAlive;
    private final MutableClock clock = new MutableClock();
    private final CountingTestKms kms = new CountingTestKms();
    private final List<KeyRing> rings = new ArrayList<>();

    static {
        // Registered explicitly: until io.envelope.jdbc.EnvelopeDriver exists, the META-INF/services entry that
        // names it makes DriverManager's service loading stop before it reaches H2.
        try {
            Class.forName("org.h2.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @BeforeEach
    void openDatabase() throws SQLException {
        url = "jdbc:h2:mem:keys_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        keepAlive = DriverManager.getConnection(url);
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        rings.forEach(KeyRing::close);
        try (Statement s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        }
        keepAlive.close();
    }

    private KeyRing ring(CountingTestKms provider, Duration ttl, Clock time) {
        KeyRing ring = new KeyRing("envelope_data_keys", true, provider, () -> DriverManager.getConnection(url), ttl,
                time);
        rings.add(ring);
        return ring;
    }

    private KeyRing ring() {
        return ring(kms, TTL, clock);
    }

    private List<KeyRow> storedRows() throws SQLException {
        return ring(new CountingTestKms(), TTL, clock).rows();
    }

    @Test
    void firstKeyIsCreatedOnceAndNeverUnwrapped() throws SQLException {
        KeyRing ring = ring();
        DataKey first = ring.randomizedWriteKey(T);
        DataKey again = ring.randomizedWriteKey(T);
        DataKey det = ring.deterministicWriteKey(T);
        assertThat(ring.matchKeys(T)).hasSize(1);
        assertThat(ring.key(T, 1)).isSameAs(first);

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.tableIdentity()).isEqualTo(T);
        assertThat(again).isSameAs(first);
        assertThat(det).isSameAs(first);
        assertThat(kms.generateCalls.get()).isEqualTo(1);
        assertThat(kms.decryptCalls.get()).isZero();

        List<KeyRow> rows = storedRows();
        assertThat(rows).hasSize(1);
        KeyRow row = rows.get(0);
        assertThat(row.tableName()).isEqualTo(T);
        assertThat(row.keyVersion()).isEqualTo(1);
        assertThat(row.kmsProvider()).isEqualTo("local");
        assertThat(row.kmsKeyId()).isEqualTo(kms.masterKeyId()).matches("local:[0-9a-f]{32}");
        assertThat(row.status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(row.createdAt()).isNotNull();
        assertThat(row.encryptedKey()).isNotEmpty();
    }

    @Test
    void secondRingAdoptsTheSameKey() throws SQLException {
        DataKey first = ring().randomizedWriteKey(T);
        KeyRing other = ring(kms, TTL, clock);
        DataKey adopted = other.randomizedWriteKey(T);

        assertThat(kms.generateCalls.get()).isEqualTo(1);
        assertThat(kms.decryptCalls.get()).isEqualTo(1);
        assertThat(TestKeys.bytesOf(adopted)).isEqualTo(TestKeys.bytesOf(first));
        assertThat(storedRows()).hasSize(1);
    }

    @Test
    void lostCreationRaceAdoptsTheWinnersKey() throws Exception {
        // Two rings whose row caches both say "no keys" insert at the same moment; the primary key decides.
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<DataKey>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                KeyRing ring = ring(kms, TTL, clock);
                results.add(pool.submit(() -> {
                    start.await();
                    return ring.randomizedWriteKey(T);
                }));
            }
            byte[] expected = null;
            for (Future<DataKey> f : results) {
                byte[] bytes = TestKeys.bytesOf(f.get(30, TimeUnit.SECONDS));
                if (expected == null) {
                    expected = bytes;
                }
                assertThat(bytes).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedRows()).hasSize(1);
    }

    @Test
    void aRivalCommittingTheFirstKeyAndValuesDuringTheProbeIsAdoptedNotReportedAsLostKeys() throws SQLException {
        // Each statement of the creating connection sees its own snapshot: the rows were read empty, then a rival
        // process committed version 1 and a value under it before the probe looked. That is a lost race, not a
        // key table that lost its keys.
        KeyRing rival = ring();
        StoredValueProbe rivalWritesMeanwhile = (connection, tableIdentity) -> {
            rival.randomizedWriteKey(tableIdentity);
            return true;
        };
        KeyRing late = new KeyRing("envelope_data_keys", true, null, kms,
                KeyConnections.direct(() -> DriverManager.getConnection(url)), rivalWritesMeanwhile, TTL, clock);
        rings.add(late);

        DataKey adopted = late.randomizedWriteKey(T);

        assertThat(TestKeys.bytesOf(adopted)).isEqualTo(TestKeys.bytesOf(rival.randomizedWriteKey(T)));
        assertThat(kms.generateCalls.get()).isEqualTo(1);
        assertThat(storedRows()).hasSize(1);
    }

    @Test
    void noKeyRowsButEnvelopeValuesIsRefusedAsLostKeys() {
        KeyRing ring = new KeyRing("envelope_data_keys", true, null, kms,
                KeyConnections.direct(() -> DriverManager.getConnection(url)), (connection, table) -> true, TTL, clock);
        rings.add(ring);

        assertThatThrownBy(() -> ring.randomizedWriteKey(T))
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("already holds values in envelope format");
        assertThat(kms.generateCalls.get()).isZero();
    }

    @Test
    void ttlExpiryReUnwrapsCountedFromUnwrapNotFromUse() throws SQLException {
        ring().randomizedWriteKey(T);
        KeyRing reader = ring(kms, TTL, clock);
        DataKey k1 = reader.key(T, 1);
        assertThat(kms.decryptCalls.get()).isEqualTo(1);

        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(reader.key(T, 1)).isSameAs(k1); // used every minute: does not extend its life
        }
        assertThat(kms.decryptCalls.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(59));
        reader.key(T, 1);
        assertThat(kms.decryptCalls.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        DataKey k2 = reader.key(T, 1);
        assertThat(kms.decryptCalls.get()).isEqualTo(2);
        assertThat(k2).isNotSameAs(k1);
        assertThat(TestKeys.bytesOf(k2)).isEqualTo(TestKeys.bytesOf(k1));
    }

    @Test
    void aLeaseLastsUntilTheKeysCacheEntryEndsCountedFromUnwrap() throws SQLException {
        ring().randomizedWriteKey(T);
        KeyRing reader = ring(kms, TTL, clock);
        KeyRing.KeyLease lease = reader.lease(T, 1);
        assertThat(lease.key()).isSameAs(reader.key(T, 1));
        clock.advance(TTL.minusSeconds(1));
        assertThat(reader.isCurrent(lease)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reader.isCurrent(lease)).as("one TTL after unwrap").isFalse();
        KeyRing.KeyLease renewed = reader.lease(T, 1);
        assertThat(kms.decryptCalls.get()).isEqualTo(2);
        assertThat(reader.isCurrent(renewed)).isTrue();
    }

    @Test
    void withAZeroTtlALeaseLastsOnlyForItsStatement() throws SQLException {
        ring().randomizedWriteKey(T);
        KeyRing reader = ring(kms, Duration.ZERO, clock);
        KeyRing.KeyLease lease = reader.lease(T, 1);
        assertThat(reader.isCurrent(lease)).isTrue();
        reader.statementStarts();
        assertThat(reader.isCurrent(lease)).isFalse();
        assertThat(TestKeys.isDestroyed(lease.key())).as("wiped when its statement ended").isTrue();
    }

    @Test
    void zeroTtlUnwrapsOncePerStatementAndSeesChangesAtTheNext() throws SQLException {
        ring().randomizedWriteKey(T);
        KeyRing reader = ring(kms, Duration.ZERO, clock);
        int before = kms.decryptCalls.get();
        reader.statementStarts();
        for (int i = 0; i < 400; i++) {
            reader.key(T, 1);
        }
        reader.randomizedWriteKey(T);
        reader.deterministicWriteKey(T);
        reader.matchKeys(T);
        assertThat(kms.decryptCalls.get() - before).as("one statement, one unwrap").isEqualTo(1);
        reader.statementStarts();
        reader.key(T, 1);
        assertThat(kms.decryptCalls.get() - before).as("the next statement unwraps afresh").isEqualTo(2);

        ring().addVersion(T);
        assertThat(reader.randomizedWriteKey(T).version()).as("same statement: what it read").isEqualTo(1);
        reader.statementStarts();
        assertThat(reader.randomizedWriteKey(T).version()).isEqualTo(2);
    }

    @Test
    void writeAndLookupKeysAnsweredAgainAndAgainEndWithTheirTtl() throws SQLException {
        KeyRing ring = ring();
        DataKey first = ring.randomizedWriteKey(T);
        for (int i = 0; i < 1_000; i++) {
            assertThat(ring.randomizedWriteKey(T)).isSameAs(first);
            assertThat(ring.deterministicWriteKey(T)).isSameAs(first);
            assertThat(ring.matchKeys(T)).containsExactly(first);
        }
        clock.advance(TTL);
        DataKey randomized = ring.randomizedWriteKey(T);
        assertThat(randomized).as("unwrapped again once the TTL ended").isNotSameAs(first);
        assertThat(ring.deterministicWriteKey(T)).isSameAs(randomized);
        assertThat(ring.matchKeys(T)).containsExactly(randomized);
        assertThat(kms.decryptCalls.get()).isEqualTo(1);
    }

    @Test
    void rowListIsCachedForOneTtlThenNewVersionsAreSeen() throws SQLException {
        KeyRing admin = ring();
        admin.randomizedWriteKey(T);
        KeyRing other = ring(kms, TTL, clock);
        assertThat(other.randomizedWriteKey(T).version()).isEqualTo(1);

        admin.addVersion(T);
        assertThat(admin.randomizedWriteKey(T).version()).isEqualTo(2); // own change: at once
        clock.advance(TTL.minusSeconds(1));
        assertThat(other.randomizedWriteKey(T).version()).isEqualTo(1); // within one TTL: may lag
        // A stored value naming version 2 is readable at once (unknown version: re-read).
        assertThat(other.key(T, 2).version()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(other.randomizedWriteKey(T).version()).isEqualTo(2);
    }

    @Test
    void singleFlightSixteenColdMissesMakeOneDecrypt() throws Exception {
        ring().randomizedWriteKey(T);
        KeyRing reader = ring(kms, TTL, clock);
        reader.rows(); // key table known; row list still cold
        CountDownLatch release = new CountDownLatch(1);
        kms.holdDecrypts(release);
        int n = 16;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<DataKey>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return reader.key(T, 1);
                }));
            }
            // Wait until the one decrypt has started, give the others time to pile up behind it, then release.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (kms.decryptsEntered.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(200);
            release.countDown();
            DataKey first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<DataKey> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(kms.decryptsEntered.get()).isEqualTo(1);
        assertThat(kms.decryptCalls.get()).isEqualTo(1);
    }

    @Test
    void differentKeysLoadInParallel() throws Exception {
        KeyRing writer = ring();
        writer.randomizedWriteKey("public.a");
        writer.randomizedWriteKey("public.b");
        KeyRing reader = ring(kms, TTL, clock);
        CountDownLatch release = new CountDownLatch(1);
        kms.holdDecrypts(release, c -> c.tableIdentity().equals("public.a"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DataKey> blocked = pool.submit(() -> reader.key("public.a", 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (kms.decryptsEntered.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // public.a's KMS call is stuck; public.b still loads.
            assertThat(reader.key("public.b", 1).tableIdentity()).isEqualTo("public.b");
            assertThat(blocked.isDone()).isFalse();
            release.countDown();
            assertThat(blocked.get(30, TimeUnit.SECONDS).tableIdentity()).isEqualTo("public.a");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void failedUnwrapIsNotCached() throws SQLException {
        ring().randomizedWriteKey(T);
        KeyRing reader = ring(kms, TTL, clock);
        kms.failNextDecrypts(1);
        assertThatThrownBy(() -> reader.key(T, 1))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("Decrypt")
                .hasMessageContaining(T)
                .hasMessageContaining("version 1")
                .hasMessageContaining(kms.masterKeyId())
                .hasCauseInstanceOf(SQLException.class);
        assertThat(reader.key(T, 1).version()).isEqualTo(1);
        assertThat(kms.decryptCalls.get()).isEqualTo(2);
    }

    @Test
    void versionChoiceAfterRotation() throws SQLException {
        KeyRing ring = ring();
        ring.randomizedWriteKey(T);
        KeyRow v2 = ring.addVersion(T);
        assertThat(v2.keyVersion()).isEqualTo(2);
        assertThat(v2.status()).isEqualTo(KeyStatus.ACTIVE);
        KeyRow v3 = ring.addVersion(T);
        assertThat(v3.keyVersion()).isEqualTo(3);

        assertThat(ring.randomizedWriteKey(T).version()).isEqualTo(3);
        assertThat(ring.deterministicWriteKey(T).version()).isEqualTo(1);
        assertThat(ring.matchKeys(T)).extracting(DataKey::version).containsExactly(1, 2, 3);
        assertThat(kms.generateCalls.get()).isEqualTo(3);
        assertThat(kms.decryptCalls.get()).isZero();

        // reencrypt's first step: every version but the newest retiring.
        ring.setStatus(T, 1, KeyStatus.RETIRING);
        ring.setStatus(T, 2, KeyStatus.RETIRING);
        assertThat(ring.deterministicWriteKey(T).version()).isEqualTo(3);
        assertThat(ring.randomizedWriteKey(T).version()).isEqualTo(3);
        assertThat(ring.matchKeys(T)).extracting(DataKey::version).containsExactly(1, 2, 3);

        ring.setStatus(T, 1, KeyStatus.RETIRED);
        assertThat(ring.matchKeys(T)).extracting(DataKey::version).containsExactly(2, 3);
        assertThat(ring.key(T, 1).version()).isEqualTo(1); // retired still decrypts

        assertThat(storedRows()).extracting(KeyRow::keyVersion, KeyRow::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, KeyStatus.RETIRED),
                org.assertj.core.groups.Tuple.tuple(2, KeyStatus.RETIRING),
                org.assertj.core.groups.Tuple.tuple(3, KeyStatus.ACTIVE));
    }

    @Test
    void destroyOnlyRetiringOrRetired() throws SQLException {
        KeyRing ring = ring();
        ring.randomizedWriteKey(T);
        ring.addVersion(T);
        assertThatThrownBy(() -> ring.destroy(T, 1))
                .hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining(T).hasMessageContaining("active");
        assertThatThrownBy(() -> ring.destroy(T, 9)).hasMessageContaining("no key version 9");
        ring.setStatus(T, 1, KeyStatus.RETIRED);
        ring.destroy(T, 1);
        assertThat(storedRows()).extracting(KeyRow::keyVersion).containsExactly(2);
        assertThatThrownBy(() -> ring.key(T, 1))
                .hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("no key version 1");
        assertThatThrownBy(() -> ring.setStatus(T, 1, KeyStatus.ACTIVE)).hasMessageContaining("no key version 1");
    }

    @Test
    void noActiveVersionIsAnErrorForWrites() throws SQLException {
        KeyRing ring = ring();
        ring.randomizedWriteKey(T);
        ring.setStatus(T, 1, KeyStatus.RETIRING);
        assertThatThrownBy(() -> ring.randomizedWriteKey(T))
                .hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining(T).hasMessageContaining("no active");
        assertThatThrownBy(() -> ring.deterministicWriteKey(T)).hasMessageContaining("no active");
        assertThat(ring.matchKeys(T)).extracting(DataKey::version).containsExactly(1);
        ring.setStatus(T, 1, KeyStatus.RETIRED);
        assertThatThrownBy(() -> ring.matchKeys(T)).hasMessageContaining("no active or retiring");
        assertThat(kms.generateCalls.get()).isEqualTo(1);
    }

    @Test
    void randomizedWriteVersionNeverMovesBackwards() throws SQLException {
        KeyRing ring = ring();
        ring.randomizedWriteKey(T);
        ring.addVersion(T);
        assertThat(ring.randomizedWriteKey(T).version()).isEqualTo(2);
        // An operator sets version 2 back: version 1 is the highest active again.
        ring(kms, TTL, clock).setStatus(T, 2, KeyStatus.RETIRING);
        ring.invalidate();
        assertThatThrownBy(() -> ring.randomizedWriteKey(T))
                .hasMessageStartingWith("envelope-jdbc: audit: ")
                .hasMessageContaining(T)
                .hasMessageContaining("version 2")
                .hasMessageContaining("now 1");
        // Deterministic writes and reads are not affected.
        assertThat(ring.deterministicWriteKey(T).version()).isEqualTo(1);
        assertThat(ring.key(T, 2).version()).isEqualTo(2);
        // A fresh process starts from what it sees.
        assertThat(ring(kms, TTL, clock).randomizedWriteKey(T).version()).isEqualTo(1);
    }

    @Test
    void disallowedKmsKeyIsRefusedBeforeAnyKmsCall() throws SQLException {
        ring().randomizedWriteKey(T);
        CountingTestKms otherKms = new CountingTestKms();
        KeyRing other = ring(otherKms, TTL, clock);
        assertThatThrownBy(() -> other.key(T, 1))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(kms.masterKeyId())
                .hasMessageContaining(otherKms.masterKeyId())
                .hasMessageContaining(T)
                .hasMessageContaining("version 1");
        assertThatThrownBy(() -> other.randomizedWriteKey(T)).hasMessageContaining(kms.masterKeyId());
        assertThatThrownBy(() -> other.matchKeys(T)).hasMessageContaining(kms.masterKeyId());
        assertThat(otherKms.totalCalls()).isZero();
        assertThat(otherKms.decryptsEntered.get()).isZero();
    }

    @Test
    void allowedKeyIdsPermitUnwrap() throws SQLException {
        CountingTestKms original = new CountingTestKms();
        DataKey created = ring(original, TTL, clock).randomizedWriteKey(T);
        // A new configured key with the old one in allowed-key-ids (as during a rewrap).
        CountingTestKms allowing = original.allowing(original);
        assertThat(allowing.masterKeyId()).isNotEqualTo(original.masterKeyId());
        DataKey unwrapped = ring(allowing, TTL, clock).key(T, 1);
        assertThat(TestKeys.bytesOf(unwrapped)).isEqualTo(TestKeys.bytesOf(created));
        assertThat(allowing.decryptCalls.get()).isEqualTo(1);
    }

    @Test
    void otherProviderIsRefusedBeforeAnyKmsCall() throws SQLException {
        byte[] master = CountingTestKms.randomKey();
        ring(new CountingTestKms(master), TTL, clock).randomizedWriteKey(T);
        CountingTestKms aws = new CountingTestKms("aws-kms", master, Set.of());
        assertThatThrownBy(() -> ring(aws, TTL, clock).key(T, 1))
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("'local'")
                .hasMessageContaining("'aws-kms'");
        assertThat(aws.totalCalls()).isZero();
    }

    @Test
    void wrappedKeyCopiedToAnotherRowFailsToUnwrap() throws SQLException {
        KeyRing ring = ring();
        ring.randomizedWriteKey("public.a");
        ring.randomizedWriteKey("public.b");
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("UPDATE envelope_data_keys SET encrypted_key = "
                     + "(SELECT encrypted_key FROM envelope_data_keys WHERE table_name = 'public.a') "
                     + "WHERE table_name = 'public.b'")) {
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        KeyRing fresh = ring(kms, TTL, clock);
        assertThatThrownBy(() -> fresh.key("public.b", 1))
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("public.b")
                .hasMessageContaining("Decrypt");
        assertThat(fresh.key("public.a", 1).version()).isEqualTo(1);
    }

    @Test
    void missingKeyTableWithCreateFalseIsAnErrorNamingIt() {
        KeyRing ring = new KeyRing("keys.missing_keys", false, kms, () -> DriverManager.getConnection(url), TTL,
                clock);
        rings.add(ring);
        assertThatThrownBy(() -> ring.randomizedWriteKey(T))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("keys.missing_keys")
                .hasMessageContaining("create-key-table");
        assertThatThrownBy(ring::rows).hasMessageContaining("keys.missing_keys");
        assertThat(kms.totalCalls()).isZero();
    }

    @Test
    void existingKeyTableWithCreateFalseWorksAndSchemaQualifiedNames() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE SCHEMA keys");
        }
        KeyRing creator = new KeyRing("keys.data_keys", true, kms, () -> DriverManager.getConnection(url), TTL, clock);
        rings.add(creator);
        creator.randomizedWriteKey(T);
        KeyRing user = new KeyRing("keys.data_keys", false, kms, () -> DriverManager.getConnection(url), TTL, clock);
        rings.add(user);
        assertThat(user.key(T, 1).version()).isEqualTo(1);
        assertThat(user.rows()).hasSize(1);
    }

    @Test
    void badKeyTableNameIsRefused() {
        KeyRing ring = new KeyRing("x; DROP TABLE y", true, kms, () -> DriverManager.getConnection(url), TTL, clock);
        rings.add(ring);
        assertThatThrownBy(ring::rows).hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("key-table");
    }

    @Test
    void keyTableWorkCommitsOnItsOwnConnection() throws SQLException {
        // The source hands out connections in manual-commit mode; the key must still be committed.
        KeyRing ring = new KeyRing("envelope_data_keys", true, kms, () -> {
            Connection c = DriverManager.getConnection(url);
            c.setAutoCommit(false);
            return c;
        }, TTL, clock);
        rings.add(ring);
        ring.randomizedWriteKey(T);
        assertThat(storedRows()).hasSize(1);
    }

    @Test
    void rowsAreOrderedAndShowNoKeyMaterial() throws SQLException {
        KeyRing ring = ring();
        ring.randomizedWriteKey("public.b");
        ring.randomizedWriteKey("public.a");
        ring.addVersion("public.a");
        List<KeyRow> rows = ring.rows();
        assertThat(rows).extracting(KeyRow::tableName, KeyRow::keyVersion).containsExactly(
                org.assertj.core.groups.Tuple.tuple("public.a", 1),
                org.assertj.core.groups.Tuple.tuple("public.a", 2),
                org.assertj.core.groups.Tuple.tuple("public.b", 1));
        assertThat(rows.get(0).toString()).doesNotContain("encrypted").contains("public.a v1 active");
        assertThat(ring.key("public.a", 1).toString()).isEqualTo("DataKey[public.a v1]");
    }

    @Test
    void invalidateDropsCaches() throws SQLException {
        ring().randomizedWriteKey(T);
        KeyRing reader = ring(kms, TTL, clock);
        reader.key(T, 1);
        reader.invalidate();
        reader.key(T, 1);
        assertThat(kms.decryptCalls.get()).isEqualTo(2);
    }

    @Test
    void closedRingRefuses() throws SQLException {
        KeyRing ring = ring();
        ring.randomizedWriteKey(T);
        ring.close();
        assertThatThrownBy(() -> ring.key(T, 1)).hasMessageContaining("closed");
    }
}
