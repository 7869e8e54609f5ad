package io.envelope.jdbc.it.kms;

import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.kms.AuditCapture;
import io.envelope.jdbc.kms.TestKmsEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The aws-kms provider through the driver, against real PostgreSQL and the in-suite KMS endpoint (the real SDK
 * KmsClient over HTTP). Tests marked "real or endpoint" run against real AWS KMS when
 * {@code ENVELOPE_TEST_AWS_KMS_KEY} is set, and count calls with {@link EnvelopeMetrics}; failure injection always
 * uses the endpoint. {@link EnvelopeRuntimes#clear()} stands for a new process (a cold cache).
 */
class AwsKmsIT {

    private static final String TABLES = """
              customers:
                columns:
                  email: { mode: deterministic }
                  note:  { mode: randomized }
              orders:
                columns:
                  note: { mode: randomized }
            """;

    private static TestKmsEndpoint kms;
    private String keyArn;

    @BeforeAll
    static void startKms() throws Exception {
        AwsKmsDatabase.useDummyCredentialsUnlessReal();
        kms = TestKmsEndpoint.start();
    }

    @AfterAll
    static void stopKms() {
        kms.close();
        EnvelopeRuntimes.clear();
    }

    @BeforeEach
    void freshKey() throws Exception {
        kms.restart();
        kms.latency(0);
        kms.throttleNext(0);
        keyArn = kms.createKey();
        kms.alias("alias/app-data", keyArn);
        kms.resetCounts();
    }

    private AwsKmsDatabase endpointDb(String prefix, String extraYaml) throws Exception {
        AwsKmsDatabase db = AwsKmsDatabase.onEndpoint(prefix, kms, "alias/app-data", TABLES, extraYaml);
        createTables(db);
        return db;
    }

    private static void createTables(AwsKmsDatabase db) throws SQLException {
        db.executePlain("CREATE TABLE customers (id bigint PRIMARY KEY, email bytea, note bytea)",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, note bytea)");
    }

    private static void insertCustomer(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email, note) VALUES (?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, "user" + id + "@example.com");
            ps.setString(3, "note " + id);
            ps.executeUpdate();
        }
    }

    private static void insertOrder(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, customer_id, note) VALUES (?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, id);
            ps.setString(3, "order " + id);
            ps.executeUpdate();
        }
    }

    private static String emailOf(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT email FROM customers WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String orderNoteOf(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT note FROM orders WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Every message of a cause chain, joined: what a user sees in a stack trace. */
    private static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable e = t; e != null; e = e.getCause()) {
            out.append(e.getMessage()).append(" | ");
        }
        return out.toString();
    }

    private static long delta(EnvelopeMetrics.Snapshot before, String operation) {
        return EnvelopeMetrics.snapshot().kmsCalls(operation) - before.kmsCalls(operation);
    }

    // ---- call counts ------------------------------------------------------------------------------------------

    /** Real or endpoint. */
    @Test
    void oneGenerateDataKeyPerTableAndOneDecryptPerKeyUnder8ThreadsX10000Operations() throws Exception {
        EnvelopeRuntimes.clear();
        AwsKmsDatabase db = AwsKmsDatabase.onRealOrEndpoint("kmsload", kms, "alias/app-data", TABLES,
                "key-cache:\n  ttl: 10m\n");
        createTables(db);
        EnvelopeMetrics.Snapshot created = EnvelopeMetrics.snapshot();
        try (Connection c = db.connect()) {
            insertCustomer(c, 0);
            insertOrder(c, 0);
            insertCustomer(c, -1);
            assertThat(emailOf(c, 0)).isEqualTo("user0@example.com");
        }
        assertThat(delta(created, "GenerateDataKey")).as("one GenerateDataKey per table").isEqualTo(2);
        assertThat(delta(created, "Decrypt")).as("the creating process keeps the key it generated").isZero();
        if (!AwsKmsDatabase.realKms()) {
            assertThat(kms.calls("GenerateDataKey")).isEqualTo(2);
        }

        // a new process: cold cache, 8 threads miss at the same moment, then 10,000 operations each
        EnvelopeRuntimes.clear();
        kms.resetCounts();
        kms.latency(100);
        EnvelopeMetrics.Snapshot before = EnvelopeMetrics.snapshot();
        int threads = 8;
        int perThread = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = 1_000_000L * (t + 1);
                results.add(pool.submit(() -> mixedLoad(db, base, perThread, go)));
            }
            go.countDown();
            long operations = 0;
            for (Future<Long> result : results) {
                operations += result.get(120, TimeUnit.SECONDS);
            }
            assertThat(operations).isGreaterThanOrEqualTo((long) threads * perThread);
        } finally {
            pool.shutdownNow();
            kms.latency(0);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        EnvelopeMetrics.Snapshot after = EnvelopeMetrics.snapshot();
        long valueOps = (after.encryptions() - before.encryptions()) + (after.decryptions() - before.decryptions());
        System.out.println("kms load: " + valueOps + " value encryptions+decryptions in " + seconds + " s; KMS calls "
                + (AwsKmsDatabase.realKms() ? "(real AWS KMS, by metrics) " + after.kmsCalls()
                : "(endpoint) " + kms.callCounts()) + "; cache hits " + (after.cacheHits() - before.cacheHits())
                + ", misses " + (after.cacheMisses() - before.cacheMisses()));
        assertThat(valueOps).isGreaterThanOrEqualTo((long) threads * perThread);
        assertThat(delta(before, "Decrypt")).as("one Decrypt per table and key version").isEqualTo(2);
        assertThat(delta(before, "GenerateDataKey")).isZero();
        assertThat(delta(before, "DescribeKey")).as("the key id is resolved once per process").isEqualTo(1);
        if (!AwsKmsDatabase.realKms()) {
            assertThat(kms.callCounts()).containsEntry("Decrypt", 2).containsEntry("DescribeKey", 1)
                    .doesNotContainKey("GenerateDataKey");
        }
    }

    /**
     * Batches of 25 customers and 25 orders, read back, and a deterministic lookup, until {@code operations}
     * column values have been encrypted or decrypted by this thread (each counted once).
     */
    private static long mixedLoad(AwsKmsDatabase db, long base, int operations, CountDownLatch go) throws Exception {
        go.await();
        long done = 0;
        long next = base;
        try (Connection c = db.connect();
             PreparedStatement customers = c.prepareStatement("INSERT INTO customers (id, email, note) VALUES (?, ?, ?)");
             PreparedStatement orders = c.prepareStatement("INSERT INTO orders (id, customer_id, note) VALUES (?, ?, ?)");
             PreparedStatement readCustomers = c.prepareStatement(
                     "SELECT id, email, note FROM customers WHERE id >= ? AND id < ?");
             PreparedStatement readOrders = c.prepareStatement("SELECT id, note FROM orders WHERE id >= ? AND id < ?");
             PreparedStatement lookup = c.prepareStatement("SELECT id, note FROM customers WHERE email = ?")) {
            // reads first: the cold misses of all threads happen together
            done += readBack(readCustomers, readOrders, 0, 1);
            while (done < operations) {
                long from = next;
                for (int i = 0; i < 25; i++, next++) {
                    customers.setLong(1, next);
                    customers.setString(2, "user" + next + "@example.com");
                    customers.setString(3, "note " + next);
                    customers.addBatch();
                    orders.setLong(1, next);
                    orders.setLong(2, next);
                    orders.setString(3, "order " + next);
                    orders.addBatch();
                }
                customers.executeBatch();
                orders.executeBatch();
                done += 75;
                done += readBack(readCustomers, readOrders, from, next);
                lookup.setString(1, "user" + from + "@example.com");
                try (ResultSet rs = lookup.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(from);
                    assertThat(rs.getString(2)).isEqualTo("note " + from);
                }
                done += 2;
            }
        }
        return done;
    }

    private static long readBack(PreparedStatement customers, PreparedStatement orders, long from, long to)
            throws SQLException {
        long done = 0;
        customers.setLong(1, from);
        customers.setLong(2, to);
        try (ResultSet rs = customers.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                assertThat(rs.getString(2)).isEqualTo("user" + id + "@example.com");
                assertThat(rs.getString(3)).isEqualTo("note " + id);
                done += 2;
            }
        }
        orders.setLong(1, from);
        orders.setLong(2, to);
        try (ResultSet rs = orders.executeQuery()) {
            while (rs.next()) {
                assertThat(rs.getString(2)).isEqualTo("order " + rs.getLong(1));
                done += 1;
            }
        }
        return done;
    }

    @Test
    void concurrentColdMissesForOneKeyMakeOneDecrypt() throws Exception {
        AwsKmsDatabase db = endpointDb("kmsflight", "");
        try (Connection c = db.connect()) {
            insertCustomer(c, 1);
        }
        EnvelopeRuntimes.clear();
        try (Connection warmUp = db.connect()) {
            // the runtime (and its DescribeKey) exists; the data key is not unwrapped yet
            assertThat(warmUp.isValid(5)).isTrue();
        }
        kms.resetCounts();
        kms.latency(300);
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> reads = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                reads.add(pool.submit(() -> {
                    try (Connection c = db.connect()) {
                        go.await();
                        return emailOf(c, 1);
                    }
                }));
            }
            go.countDown();
            for (Future<String> read : reads) {
                assertThat(read.get(60, TimeUnit.SECONDS)).isEqualTo("user1@example.com");
            }
        } finally {
            pool.shutdownNow();
            kms.latency(0);
        }
        assertThat(kms.callCounts()).containsOnly(java.util.Map.entry("Decrypt", 1));
    }

    @Test
    void anUnwrappedKeyIsUnwrappedAgainAfterItsTtl() throws Exception {
        AwsKmsDatabase db = endpointDb("kmsttl", "key-cache:\n  ttl: 2s\n");
        try (Connection c = db.connect()) {
            insertCustomer(c, 1);
        }
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect()) {
            kms.resetCounts();
            for (int i = 0; i < 20; i++) {
                assertThat(emailOf(c, 1)).isEqualTo("user1@example.com");
            }
            assertThat(kms.calls("Decrypt")).isEqualTo(1);
            Thread.sleep(2200); // past the TTL; 20 reads take far less than another TTL even on a loaded machine
            for (int i = 0; i < 20; i++) {
                assertThat(emailOf(c, 1)).isEqualTo("user1@example.com");
            }
            // unwrapped again once: ahead of the TTL in the background (the key was in use), or, if that refresh
            // landed before the reads stopped using the old key, at the first read past the refreshed key's TTL
            assertThat(kms.calls("Decrypt")).isBetween(2, 3);
        }
    }

    // ---- retries and errors -------------------------------------------------------------------------------

    @Test
    void throttlingIsAnsweredByRetriesThatSucceed() throws Exception {
        AwsKmsDatabase db = endpointDb("kmsthrottle", "");
        try (Connection c = db.connect()) {
            kms.resetCounts();
            kms.throttleNext(2);
            insertCustomer(c, 1);
            assertThat(kms.calls("GenerateDataKey")).as("two throttled attempts, then success").isEqualTo(3);
            EnvelopeRuntimes.clear();
        }
        try (Connection c = db.connect()) {
            kms.resetCounts();
            kms.throttleNext(3);
            assertThat(emailOf(c, 1)).isEqualTo("user1@example.com");
            assertThat(kms.calls("Decrypt")).as("three throttled attempts, then success").isEqualTo(4);
        }
        assertThat(db.countPlain("SELECT count(*) FROM " + db.keyTable())).isEqualTo(1);
    }

    @Test
    void accessDeniedIsAClearErrorNamingOperationKeyTableAndCode() throws Exception {
        AwsKmsDatabase db = endpointDb("kmsdenied", "");
        try (Connection c = db.connect()) {
            insertCustomer(c, 1);
        }
        EnvelopeRuntimes.clear();
        kms.deny("Decrypt");
        try (Connection c = db.connect()) {
            Throwable failure = catchThrowable(() -> emailOf(c, 1));
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).startsWith("envelope-jdbc: KMS Decrypt of the data key of table "
                    + db.schema() + ".customers key version 1 under KMS key " + keyArn
                    + " failed: AccessDeniedException");
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("58000");
            assertThat(messages(failure)).contains("is not authorized to perform: kms:Decrypt");
        } finally {
            kms.allow("Decrypt");
        }
        // and writing a new table's first key
        kms.deny("GenerateDataKey");
        try (Connection c = db.connect()) {
            Throwable failure = catchThrowable(() -> insertOrder(c, 1));
            assertThat(failure.getMessage()).startsWith("envelope-jdbc: KMS GenerateDataKey of the data key of table "
                    + db.schema() + ".orders key version 1 under KMS key " + keyArn + " failed: AccessDeniedException");
        } finally {
            kms.allow("GenerateDataKey");
        }
        assertThat(db.countPlain("SELECT count(*) FROM orders")).isZero();
    }

    @Test
    void aDisabledKeyIsAClearErrorAndNothingIsWritten() throws Exception {
        AwsKmsDatabase db = endpointDb("kmsdisabled", "");
        try (Connection c = db.connect()) {
            insertCustomer(c, 1);
        }
        EnvelopeRuntimes.clear();
        kms.disable(keyArn);
        try (Connection c = db.connect()) {
            Throwable read = catchThrowable(() -> emailOf(c, 1));
            assertThat(read.getMessage()).contains("KMS Decrypt of the data key of table " + db.schema()
                    + ".customers key version 1 under KMS key " + keyArn + " failed: DisabledException");
            Throwable write = catchThrowable(() -> insertOrder(c, 1));
            assertThat(write.getMessage()).contains("KMS GenerateDataKey", db.schema() + ".orders", "DisabledException");
        } finally {
            kms.enable(keyArn);
        }
        assertThat(db.countPlain("SELECT count(*) FROM orders")).isZero();
        assertThat(db.countPlain("SELECT count(*) FROM " + db.keyTable())).isEqualTo(1);
    }

    @Test
    void aWrappedKeyCopiedToAnotherTablesRowFailsToUnwrap() throws Exception {
        AwsKmsDatabase db = endpointDb("kmscontext", "");
        try (Connection c = db.connect()) {
            insertCustomer(c, 1);
            insertOrder(c, 1);
        }
        // a DBA copies customers' wrapped key over orders' one
        db.executePlain("UPDATE " + db.keyTable() + " SET encrypted_key = (SELECT encrypted_key FROM " + db.keyTable()
                + " WHERE table_name = '" + db.schema() + ".customers') WHERE table_name = '" + db.schema() + ".orders'");
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect()) {
            Throwable failure = catchThrowable(() -> orderNoteOf(c, 1));
            assertThat(failure.getMessage()).startsWith("envelope-jdbc: KMS Decrypt of the data key of table "
                    + db.schema() + ".orders key version 1 under KMS key " + keyArn
                    + " failed: InvalidCiphertextException");
            assertThat(emailOf(c, 1)).isEqualTo("user1@example.com");
        }
    }

    @Test
    void aKeyRowNamingAKmsKeyOutsideTheAllowListIsRefusedWithZeroKmsCalls() throws Exception {
        AwsKmsDatabase db = endpointDb("kmsallow", "");
        try (Connection c = db.connect()) {
            insertCustomer(c, 1);
        }
        assertThat(db.kmsKeyIdOf("customers")).isEqualTo(keyArn);
        // the DBA points the row at a key they control (a working key of the same KMS)
        String attackerKey = kms.createKey();
        db.executePlain("UPDATE " + db.keyTable() + " SET kms_key_id = '" + attackerKey + "'");
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect()) {
            kms.resetCounts();
            Throwable failure = catchThrowable(() -> emailOf(c, 1));
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).startsWith("envelope-jdbc: ").contains(db.schema() + ".customers",
                    "'" + attackerKey + "'", "'" + keyArn + "'", "kms.allowed-key-ids");
            assertThat(kms.totalCalls()).as("refused before any KMS call").isZero();
        }
    }

    @Test
    void withKmsDownAWarmCacheKeepsServingAndAColdStartFailsWithNothingWritten() throws Exception {
        AwsKmsDatabase db = endpointDb("kmsdown", "key-cache:\n  ttl: 10m\n");
        try (Connection c = db.connect()) {
            insertCustomer(c, 1);
            insertOrder(c, 1);
        }
        kms.stop();
        // warm: this process's runtime has both keys; new connections share it
        try (Connection c = db.connect()) {
            insertCustomer(c, 2);
            assertThat(emailOf(c, 1)).isEqualTo("user1@example.com");
            assertThat(emailOf(c, 2)).isEqualTo("user2@example.com");
            insertOrder(c, 2);
            assertThat(orderNoteOf(c, 2)).isEqualTo("order 2");
        }
        // cold: a new process cannot resolve its key, so it cannot connect, and writes nothing
        EnvelopeRuntimes.clear();
        long customers = db.countPlain("SELECT count(*) FROM customers");
        Throwable failure = catchThrowable(() -> {
            try (Connection c = db.connect()) {
                insertCustomer(c, 3);
            }
        });
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc: KMS DescribeKey of kms.key-id 'alias/app-data'"
                + " failed: Unreachable");
        assertThat(db.countPlain("SELECT count(*) FROM customers")).isEqualTo(customers);

        // KMS back: works again
        kms.restart();
        try (Connection c = db.connect()) {
            assertThat(emailOf(c, 2)).isEqualTo("user2@example.com");
        }
    }

    @Test
    void aColdKeyDuringAnOutageFailsClearlyWithNothingWritten() throws Exception {
        AwsKmsDatabase db = endpointDb("kmscold", "");
        try (Connection c = db.connect()) {
            insertCustomer(c, 1);
            kms.stop();
            // orders has no key yet: its first write needs GenerateDataKey
            Throwable failure = catchThrowable(() -> insertOrder(c, 1));
            assertThat(failure.getMessage()).startsWith("envelope-jdbc: KMS GenerateDataKey of the data key of table "
                    + db.schema() + ".orders key version 1 under KMS key " + keyArn + " failed: Unreachable");
        } finally {
            kms.restart();
        }
        assertThat(db.countPlain("SELECT count(*) FROM orders")).isZero();
        assertThat(db.countPlain("SELECT count(*) FROM " + db.keyTable() + " WHERE table_name LIKE '%.orders'"))
                .isZero();
    }

    // ---- audit --------------------------------------------------------------------------------------------

    @Test
    void theAuditLogHasOneLinePerKmsCallAndNoKeyBytes() throws Exception {
        AwsKmsDatabase db = endpointDb("kmsaudit", "");
        EnvelopeRuntimes.clear();
        kms.resetCounts();
        String text;
        List<String> calls;
        List<String> audit;
        try (AuditCapture capture = AuditCapture.start()) {
            try (Connection c = db.connect()) {
                insertCustomer(c, 1);
                insertOrder(c, 1);
            }
            EnvelopeRuntimes.clear();
            try (Connection c = db.connect()) {
                assertThat(emailOf(c, 1)).isEqualTo("user1@example.com");
                assertThat(orderNoteOf(c, 1)).isEqualTo("order 1");
                kms.deny("Decrypt");
                EnvelopeRuntimes.clear();
            }
            try (Connection c = db.connect()) {
                assertThat(catchThrowable(() -> emailOf(c, 1))).isInstanceOf(SQLException.class);
            } finally {
                kms.allow("Decrypt");
            }
            text = capture.text();
            calls = capture.kmsCallLines();
            audit = capture.auditLines();
        }
        // DescribeKey ×3, GenerateDataKey ×2, Decrypt ×2 + 1 denied
        assertThat(kms.totalCalls()).isEqualTo(8);
        assertThat(calls).hasSize(kms.totalCalls());
        assertThat(calls.stream().filter(l -> l.contains("operation=DescribeKey"))).hasSize(3);
        assertThat(calls.stream().filter(l -> l.contains("operation=GenerateDataKey") && l.contains("outcome=ok")))
                .hasSize(2);
        assertThat(calls.stream().filter(l -> l.contains("operation=Decrypt") && l.contains("outcome=ok"))).hasSize(2);
        assertThat(calls.stream().filter(l -> l.contains("error_code=AccessDeniedException"))).hasSize(1);
        assertThat(calls).allSatisfy(l -> assertThat(l).contains("kms_key_id=" + keyArn, "latency_ms="));
        assertThat(calls.stream().filter(l -> l.contains("table=" + db.schema() + ".customers version=1"))).hasSize(3);
        assertThat(audit.stream().filter(l -> l.contains("data key created:"))).hasSize(2);
        assertThat(audit.stream().filter(l -> l.contains("data key unwrap failed:"))).hasSize(1);
        assertThat(kms.issuedDataKeys()).isNotEmpty();
        for (byte[] key : kms.issuedDataKeys()) {
            assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(key))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(key));
        }
    }
}
