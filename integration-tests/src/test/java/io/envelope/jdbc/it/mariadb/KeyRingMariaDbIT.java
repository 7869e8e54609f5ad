package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.keys.ConnectionSource;
import io.envelope.jdbc.keys.CountingTestKms;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.keys.KeyStatus;
import io.envelope.jdbc.keys.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
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
 * The key table's MariaDB dialect against the real MariaDB server (through MariaDB Connector/J): created race-safely
 * by processes that start at once, a table's first key inserted once whoever races for it, rows read back and
 * bound to their table and version, rotation and statuses. Each simulated process is its own KeyRing with its own
 * connections.
 */
class KeyRingMariaDbIT {

    static {
        try {
            Class.forName("org.mariadb.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final int PROCESSES = 8;

    private final List<KeyRing> rings = new ArrayList<>();

    @AfterEach
    void closeRings() {
        rings.forEach(KeyRing::close);
    }

    private static ConnectionSource connections(String database) {
        return () -> DriverManager.getConnection(MariaDbDatabase.jdbcUrl(database));
    }

    private KeyRing ring(String database, String keyTable, CountingTestKms kms) {
        KeyRing ring = new KeyRing(keyTable, true, kms, connections(database), TTL, Clock.systemUTC());
        rings.add(ring);
        return ring;
    }

    private static int countRows(String keyTable, String tableIdentity) throws SQLException {
        try (Connection c = MariaDbDatabase.plainConnection();
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
        String db = MariaDbDatabase.freshDatabase("keys_race");
        String keyTable = db + ".envelope_data_keys";
        String identity = db + ".customers";
        byte[] master = CountingTestKms.randomKey();
        ring(db, keyTable, new CountingTestKms(master)).rows(); // key table exists; the race is on the first key

        List<CountingTestKms> kmses = new ArrayList<>();
        List<KeyRing> racers = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            CountingTestKms kms = new CountingTestKms(master);
            kmses.add(kms);
            racers.add(ring(db, keyTable, kms));
        }
        List<byte[]> keys = race(racers, ring -> ring.randomizedWriteKey(identity));

        assertThat(countRows(keyTable, identity)).isEqualTo(1);
        for (byte[] key : keys) {
            assertThat(key).isEqualTo(keys.get(0));
        }
        CountingTestKms laterKms = new CountingTestKms(master);
        DataKey later = ring(db, keyTable, laterKms).key(identity, 1);
        assertThat(TestKeys.bytesOf(later)).isEqualTo(keys.get(0));
        assertThat(laterKms.decryptCalls.get()).isEqualTo(1);
        assertThat(kmses).allSatisfy(k -> assertThat(k.generateCalls.get()).isLessThanOrEqualTo(1));
        assertThat(kmses.stream().filter(k -> k.decryptCalls.get() == 0 && k.generateCalls.get() == 1)).hasSize(1);
    }

    @Test
    void eightProcessesCreateTheKeyTableAtOnceWithoutErrors() throws Exception {
        for (int round = 0; round < 5; round++) {
            String db = MariaDbDatabase.freshDatabase("keys_ddl");
            // Unqualified: resolved in the connection's database (its JDBC catalog).
            String keyTable = "envelope_data_keys";
            byte[] master = CountingTestKms.randomKey();
            List<KeyRing> racers = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                racers.add(ring(db, keyTable, new CountingTestKms(master)));
            }
            List<byte[]> keys = race(racers, ring -> {
                if (racers.indexOf(ring) % 2 == 0) {
                    assertThat(ring.rows()).hasSizeLessThanOrEqualTo(1);
                    return null;
                }
                return ring.deterministicWriteKey(db + ".t");
            });
            List<byte[]> made = keys.stream().filter(k -> k != null).toList();
            assertThat(made).hasSize(PROCESSES / 2).allSatisfy(k -> assertThat(k).isEqualTo(made.get(0)));
            assertThat(countRows(db + "." + keyTable, db + ".t")).isEqualTo(1);
            try (Connection c = MariaDbDatabase.plainConnection();
                 ResultSet rs = c.getMetaData().getColumns(db, null, keyTable, null)) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME").toLowerCase());
                }
                assertThat(columns).containsExactly("table_name varchar", "key_version int", "kms_provider varchar",
                        "kms_key_id varchar", "encrypted_key blob", "status varchar", "created_at datetime",
                        "state_seq bigint", "state_mac blob");
            }
        }
    }

    @Test
    void tableIdentitiesKeepTheirCase() throws SQLException {
        String db = MariaDbDatabase.freshDatabase("keys_case");
        String keyTable = db + ".envelope_data_keys";
        KeyRing ring = ring(db, keyTable, new CountingTestKms());
        DataKey lower = ring.randomizedWriteKey(db + ".customers");
        // Under the server's default collation these would share one key row; with lower_case_table_names = 0
        // they are two tables.
        DataKey upper = ring.randomizedWriteKey(db + ".Customers");
        assertThat(TestKeys.bytesOf(upper)).isNotEqualTo(TestKeys.bytesOf(lower));
        assertThat(countRows(keyTable, db + ".customers")).isEqualTo(1);
        assertThat(ring.rows()).hasSize(2);
        // The collation ignores trailing spaces (no table name has one): the row found is bound to its own name,
        // so it is refused, never handed out as this name's key.
        assertThatThrownBy(() -> ring.randomizedWriteKey(db + ".customers "))
                .hasMessageStartingWith("envelope-jdbc: ");
        assertThat(ring.rows()).hasSize(2);
    }

    @Test
    void wrappedKeyCopiedToAnotherTablesOrVersionsRowFailsToUnwrap() throws SQLException {
        String db = MariaDbDatabase.freshDatabase("keys_bind");
        String keyTable = db + ".envelope_data_keys";
        String a = db + ".a";
        String b = db + ".b";
        byte[] master = CountingTestKms.randomKey();
        KeyRing creator = ring(db, keyTable, new CountingTestKms(master));
        creator.randomizedWriteKey(a);
        creator.randomizedWriteKey(b);
        try (Connection c = MariaDbDatabase.plainConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + keyTable + " k JOIN (SELECT encrypted_key FROM " + keyTable
                    + " WHERE table_name = '" + a + "' AND key_version = 1) src SET k.encrypted_key = src.encrypted_key"
                    + " WHERE k.table_name = '" + b + "'");
            s.executeUpdate("INSERT INTO " + keyTable + " (table_name, key_version, kms_provider, kms_key_id,"
                    + " encrypted_key, status, created_at) SELECT table_name, 2, kms_provider, kms_key_id,"
                    + " encrypted_key, 'active', created_at FROM " + keyTable + " WHERE table_name = '" + a
                    + "' AND key_version = 1");
        }
        KeyRing reader = ring(db, keyTable, new CountingTestKms(master));
        assertThatThrownBy(() -> reader.key(b, 1))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(b)
                .hasMessageContaining("version 1");
        assertThatThrownBy(() -> reader.key(a, 2))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(a)
                .hasMessageContaining("version 2");
        assertThat(reader.key(a, 1).version()).isEqualTo(1);
    }

    @Test
    void missingKeyTableWithCreateFalseNamesIt() {
        String db;
        try {
            db = MariaDbDatabase.freshDatabase("keys_nocreate");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        CountingTestKms kms = new CountingTestKms();
        KeyRing ring = new KeyRing(db + ".envelope_data_keys", false, kms, connections(db), TTL, Clock.systemUTC());
        rings.add(ring);
        assertThatThrownBy(() -> ring.randomizedWriteKey(db + ".t"))
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(db + ".envelope_data_keys")
                .hasMessageContaining("create-key-table");
        assertThat(kms.totalCalls()).isZero();
    }

    @Test
    void rotationAndStatusesOnMariaDb() throws SQLException {
        String db = MariaDbDatabase.freshDatabase("keys_rotate");
        String keyTable = db + ".envelope_data_keys";
        String identity = db + ".t";
        KeyRing ring = ring(db, keyTable, new CountingTestKms());
        ring.deterministicWriteKey(identity);
        assertThat(ring.addVersion(identity).keyVersion()).isEqualTo(2);
        assertThat(ring.randomizedWriteKey(identity).version()).isEqualTo(2);
        assertThat(ring.deterministicWriteKey(identity).version()).isEqualTo(1);
        ring.setStatus(identity, 1, KeyStatus.RETIRED);
        ring.destroy(identity, 1);
        assertThat(ring.rows()).extracting(KeyRow::keyVersion).containsExactly(2);
        assertThat(ring.rows().get(0).createdAt()).isNotNull();
        // A process that starts now reads the same state.
        KeyRing later = ring(db, keyTable, new CountingTestKms());
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
