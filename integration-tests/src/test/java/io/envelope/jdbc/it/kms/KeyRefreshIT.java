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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Keys are refreshed ahead of their TTL in the background (issue 11): a KMS latency spike after warm-up never
 * reaches a read, and a refresh that fails keeps the key until its TTL ends and no longer, audited and counted.
 * Against the in-suite KMS endpoint with failure injection.
 */
class KeyRefreshIT {

    private static final String TABLES = """
              customers:
                columns:
                  email: { mode: deterministic }
                  note:  { mode: randomized }
            """;

    private static TestKmsEndpoint kms;

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
    void freshKey() {
        EnvelopeRuntimes.clear();
        kms.latency(0);
        kms.allow("Decrypt");
        kms.alias("alias/app-data", kms.createKey());
    }

    private static AwsKmsDatabase database(String prefix, String ttl) throws Exception {
        AwsKmsDatabase db = AwsKmsDatabase.onEndpoint(prefix, kms, "alias/app-data", TABLES,
                "key-cache:\n  ttl: " + ttl + "\n");
        db.executePlain("CREATE TABLE customers (id bigint PRIMARY KEY, email bytea, note text)");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO customers (id, email, note) VALUES (?, ?, ?)")) {
            for (long id = 1; id <= 3; id++) {
                ps.setLong(1, id);
                ps.setString(2, "user" + id + "@example.com");
                ps.setString(3, "note " + id);
                ps.executeUpdate();
            }
        }
        return db;
    }

    private static void read(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT email, note FROM customers WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("user" + id + "@example.com");
                assertThat(rs.getString(2)).isEqualTo("note " + id);
            }
        }
    }

    /**
     * A Decrypt latency of 1.5 s from right after warm-up, with a 2 s TTL (the numbers): the refresh starts
     * early enough (at least 5 s, or for a TTL this short 90% of it, before expiry) to land before the key's TTL
     * ends, so over 6 s of reads — three TTLs — no read waits on KMS.
     */
    @Test
    void aDecryptLatencySpikeAfterWarmUpNeverReachesARead() throws Exception {
        AwsKmsDatabase db = database("refreshahead", "2s");
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect()) {
            read(c, 1);                                   // warm-up: the key is unwrapped now
            long warm = System.nanoTime();
            int decrypts = kms.calls("Decrypt");
            kms.latency(1500);
            long slowest = 0;
            int reads = 0;
            while (System.nanoTime() - warm < 6_000_000_000L) {   // three TTLs
                long started = System.nanoTime();
                read(c, 1 + reads % 3);
                slowest = Math.max(slowest, System.nanoTime() - started);
                reads++;
                Thread.sleep(20);
            }
            assertThat(kms.calls("Decrypt") - decrypts).as("the key was unwrapped again, in the background")
                    .isGreaterThanOrEqualTo(1);
            assertThat(reads).isGreaterThan(50);
            assertThat(slowest / 1_000_000L).as("slowest read (ms) of " + reads).isLessThan(1000);
        } finally {
            kms.latency(0);
        }
    }

    @Test
    void aFailingRefreshKeepsTheKeyUntilItsTtlAndNoLongerAuditedAndCounted() throws Exception {
        AwsKmsDatabase db = database("refreshfails", "3s");
        EnvelopeRuntimes.clear();
        long failuresBefore = EnvelopeMetrics.keyRefreshFailures();
        try (AuditCapture audit = AuditCapture.start(); Connection c = db.connect()) {
            read(c, 1);
            long unwrapped = System.nanoTime();
            kms.deny("Decrypt");
            while (System.nanoTime() - unwrapped < 2_500_000_000L) {
                read(c, 1);                               // the cached key serves until its TTL
                Thread.sleep(50);
            }
            Thread.sleep(1000);                           // past the TTL
            Throwable failure = catchThrowable(() -> read(c, 2));
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).contains("KMS Decrypt").contains("AccessDeniedException");
            assertThat(EnvelopeMetrics.keyRefreshFailures() - failuresBefore).isPositive();
            assertThat(audit.text()).contains("background key refresh failed").contains("AccessDeniedException");
        } finally {
            kms.allow("Decrypt");
        }
    }
}
