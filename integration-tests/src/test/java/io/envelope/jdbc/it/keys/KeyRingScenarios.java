package io.envelope.jdbc.it.keys;

import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.keys.CountingTestKms;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.keys.KeyStatus;
import io.envelope.jdbc.keys.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key ring against a real database ({@link KeyRingTarget}): races between processes (each simulated by its
 * own KeyRing with its own connections) on the key table's creation and on a table's first key, binding of
 * wrapped keys to their rows, rotation and statuses, and a missing key table that may not be created.
 */
public abstract class KeyRingScenarios {

    protected static final Duration TTL = Duration.ofMinutes(10);
    private static final int PROCESSES = 8;

    protected final KeyRingTarget target;
    private final List<KeyRing> rings = new ArrayList<>();

    protected KeyRingScenarios(KeyRingTarget target) {
        this.target = target;
    }

    @AfterEach
    void closeRings() {
        rings.forEach(KeyRing::close);
    }

    /** A key ring (a process) on {@code keyTable} in {@code schema}, creating the table if missing. */
    protected KeyRing ring(String schema, String keyTable, CountingTestKms kms) {
        KeyRing ring = new KeyRing(keyTable, true, kms, target.connections(schema), TTL, Clock.systemUTC());
        rings.add(ring);
        return ring;
    }

    protected int countRows(String keyTable, String tableIdentity) throws SQLException {
        try (Connection c = target.plain();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + keyTable + " WHERE table_name = ?")) {
            ps.setString(1, tableIdentity);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void eightProcessesRaceOnAFreshTablesFirstKeyAndAllGetTheOneKey() throws Exception {
        String schema = target.freshSchema("keys_race");
        String keyTable = schema + ".envelope_data_keys";
        String identity = schema + ".customers";
        byte[] master = CountingTestKms.randomKey();
        ring(schema, keyTable, new CountingTestKms(master)).rows(); // key table exists; the race is on the first key

        List<CountingTestKms> kmses = new ArrayList<>();
        List<KeyRing> racers = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            CountingTestKms kms = new CountingTestKms(master);
            kmses.add(kms);
            racers.add(ring(schema, keyTable, kms));
        }
        List<byte[]> keys = race(racers, ring -> ring.randomizedWriteKey(identity));

        assertThat(countRows(keyTable, identity)).isEqualTo(1);
        for (byte[] key : keys) {
            assertThat(key).isEqualTo(keys.get(0));
        }
        // And it is the key the one row unwraps to, for a process that comes later.
        CountingTestKms laterKms = new CountingTestKms(master);
        DataKey later = ring(schema, keyTable, laterKms).key(identity, 1);
        assertThat(TestKeys.bytesOf(later)).isEqualTo(keys.get(0));
        assertThat(laterKms.decryptCalls.get()).isEqualTo(1);
        // Each racer made at most one KMS GenerateDataKey; the winner never had to unwrap.
        assertThat(kmses).allSatisfy(k -> assertThat(k.generateCalls.get()).isLessThanOrEqualTo(1));
        assertThat(kmses.stream().filter(k -> k.decryptCalls.get() == 0 && k.generateCalls.get() == 1)).hasSize(1);
    }

    @Test
    void eightProcessesCreateTheKeyTableAtOnceWithoutErrors() throws Exception {
        for (int round = 0; round < target.keyTableRaces(); round++) {
            String schema = target.freshSchema("keys_ddl");
            String keyTable = target.racedKeyTableName(schema);
            byte[] master = CountingTestKms.randomKey();
            List<KeyRing> racers = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                racers.add(ring(schema, keyTable, new CountingTestKms(master)));
            }
            // Half race on listing (table creation only), half on a first key (creation, then the first-key race).
            List<byte[]> keys = race(racers, ring -> {
                if (racers.indexOf(ring) % 2 == 0) {
                    assertThat(ring.rows()).hasSizeLessThanOrEqualTo(1);
                    return null;
                }
                return ring.deterministicWriteKey(schema + ".t");
            });
            List<byte[]> made = keys.stream().filter(k -> k != null).toList();
            assertThat(made).hasSize(PROCESSES / 2).allSatisfy(k -> assertThat(k).isEqualTo(made.get(0)));
            assertThat(countRows(schema + ".envelope_data_keys", schema + ".t")).isEqualTo(1);
            // the documented columns, then the two that authenticate the key rows (docs/format.md, "Key rows")
            assertThat(target.keyTableColumns(schema)).containsExactlyElementsOf(target.expectedKeyTableColumns());
        }
    }

    @Test
    void wrappedKeyCopiedToAnotherTablesOrVersionsRowFailsToUnwrap() throws SQLException {
        String schema = target.freshSchema("keys_bind");
        String keyTable = schema + ".envelope_data_keys";
        String a = schema + ".a";
        String b = schema + ".b";
        byte[] master = CountingTestKms.randomKey();
        KeyRing creator = ring(schema, keyTable, new CountingTestKms(master));
        creator.randomizedWriteKey(a);
        creator.randomizedWriteKey(b);
        try (Connection c = target.plain(); Statement s = c.createStatement()) {
            // b's row now holds a's wrapped key.
            s.executeUpdate(target.copyWrappedKey(keyTable, a, b));
            // a version 2 row holding a's version 1 wrapped key.
            s.executeUpdate("INSERT INTO " + keyTable + " (table_name, key_version, kms_provider, kms_key_id,"
                    + " encrypted_key, status, created_at) SELECT table_name, 2, kms_provider, kms_key_id,"
                    + " encrypted_key, 'active', created_at FROM " + keyTable + " WHERE table_name = '" + a
                    + "' AND key_version = 1");
        }
        KeyRing reader = ring(schema, keyTable, new CountingTestKms(master));
        assertThatThrownBy(() -> reader.key(b, 1))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(b)
                .hasMessageContaining("version 1")
                .hasMessageContaining("Decrypt");
        assertThatThrownBy(() -> reader.key(a, 2))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(a)
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> reader.randomizedWriteKey(a)).hasMessageStartingWith("envelope-jdbc: ");
        assertThat(reader.key(a, 1).version()).isEqualTo(1);
    }

    @Test
    void missingKeyTableWithCreateFalseNamesIt() throws SQLException {
        String schema = target.freshSchema("keys_nocreate");
        CountingTestKms kms = new CountingTestKms();
        KeyRing ring = new KeyRing(schema + ".envelope_data_keys", false, kms, target.connections(schema), TTL,
                Clock.systemUTC());
        rings.add(ring);
        assertThatThrownBy(() -> ring.randomizedWriteKey(schema + ".t"))
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(schema + ".envelope_data_keys")
                .hasMessageContaining("create-key-table");
        assertThat(kms.totalCalls()).isZero();
    }

    @Test
    void rotationAndStatuses() throws SQLException {
        String schema = target.freshSchema("keys_rotate");
        String keyTable = schema + ".envelope_data_keys";
        String identity = schema + ".t";
        KeyRing ring = ring(schema, keyTable, new CountingTestKms());
        ring.deterministicWriteKey(identity);
        assertThat(ring.addVersion(identity).keyVersion()).isEqualTo(2);
        assertThat(ring.randomizedWriteKey(identity).version()).isEqualTo(2);
        assertThat(ring.deterministicWriteKey(identity).version()).isEqualTo(1);
        ring.setStatus(identity, 1, KeyStatus.RETIRED);
        ring.destroy(identity, 1);
        assertThat(ring.rows()).extracting(KeyRow::keyVersion).containsExactly(2);
        assertThat(ring.rows().get(0).createdAt()).isNotNull();
        // A process that starts now reads the same state.
        KeyRing later = ring(schema, keyTable, new CountingTestKms());
        assertThat(later.rows()).extracting(KeyRow::keyVersion, KeyRow::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, KeyStatus.ACTIVE));
    }

    @FunctionalInterface
    private interface RingCall {
        DataKey call(KeyRing ring) throws Exception;
    }

    /** Runs one call per ring, all released at the same moment; returns each ring's key bytes (null for none). */
    private static List<byte[]> race(List<KeyRing> racers, RingCall call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            CyclicBarrier start = new CyclicBarrier(racers.size());
            List<Future<byte[]>> results = new ArrayList<>();
            for (KeyRing ring : racers) {
                results.add(pool.submit(() -> {
                    start.await();
                    DataKey key = call.call(ring);
                    return key == null ? null : TestKeys.bytesOf(key);
                }));
            }
            List<byte[]> keys = new ArrayList<>();
            for (Future<byte[]> f : results) {
                keys.add(f.get(60, TimeUnit.SECONDS));
            }
            return keys;
        } finally {
            pool.shutdownNow();
        }
    }
}
