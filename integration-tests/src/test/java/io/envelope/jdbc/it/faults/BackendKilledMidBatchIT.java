package io.envelope.jdbc.it.faults;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wrapper connection's server process killed ({@code pg_terminate_backend}) while a batch runs (issue 11): the
 * caller gets an SQLException, every committed row decrypts, the table holds no plaintext of a configured column,
 * and a new connection works at once.
 */
@ExtendWith(QuietStderr.class)
class BackendKilledMidBatchIT {

    private static final int BATCH = 400;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aBackendKilledInTheMiddleOfABatchLosesOnlyTheUncommittedBatch() throws Exception {
        EnvelopeRuntimes.clear();
        EncryptedDatabase db = EncryptedDatabase.create("killbatch", """
                  patients:
                    columns:
                      mrn:  { mode: deterministic }
                      note: { mode: randomized }
                """);
        db.executePlain("CREATE TABLE patients (id int PRIMARY KEY, mrn bytea, note text)");

        CountDownLatch committedSome = new CountDownLatch(3);
        int[] committedBatches = {0};
        int[] backendPid = {0};
        CountDownLatch pidKnown = new CountDownLatch(1);
        CompletableFuture<SQLException> writer = CompletableFuture.supplyAsync(() -> {
            try (Connection c = db.connect()) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    backendPid[0] = rs.getInt(1);
                }
                pidKnown.countDown();
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO patients (id, mrn, note) VALUES (?, ?, ?)")) {
                    for (int batch = 0; batch < 10_000; batch++) {
                        for (int i = 0; i < BATCH; i++) {
                            int id = batch * BATCH + i;
                            ps.setInt(1, id);
                            ps.setString(2, "MRN-SECRET-" + id);
                            ps.setString(3, "NOTE-SECRET-" + id);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        c.commit();
                        committedBatches[0] = batch + 1;
                        committedSome.countDown();
                    }
                }
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
        assertThat(pidKnown.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(committedSome.await(60, TimeUnit.SECONDS)).as("batches committed before the kill").isTrue();
        // a random moment within the next batch or so, most of which the writer spends inside executeBatch
        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 60));
        try (Connection plain = db.plain(); PreparedStatement kill = plain.prepareStatement(
                "SELECT pg_terminate_backend(?)")) {
            kill.setInt(1, backendPid[0]);
            try (ResultSet rs = kill.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
        Throwable failure = writer.get(60, TimeUnit.SECONDS);
        assertThat(failure).as("the writer's batch fails with an SQLException").isNotNull();
        int committed = committedBatches[0];

        // A new connection works at once (same runtime, same cached key).
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO patients (id, mrn, note) VALUES (?, ?, ?)")) {
            ps.setInt(1, -1);
            ps.setString(2, "MRN-SECRET-after");
            ps.setString(3, "NOTE-SECRET-after");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        // Committed rows: every batch whose commit returned, and at most the one in flight (a commit can reach the
        // server before the kill and its answer never arrive).
        long rows = countPlain(db) - 1;
        assertThat(rows).isBetween((long) committed * BATCH, (long) (committed + 1) * BATCH);
        assertThat(rows % BATCH).as("a batch commits whole or not at all").isZero();

        // Every row decrypts to what was written, from a fresh runtime (keys read back from the key table).
        EnvelopeRuntimes.clear();
        long checked = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, mrn, note FROM patients ORDER BY id")) {
            while (rs.next()) {
                int id = rs.getInt(1);
                String suffix = id < 0 ? "after" : Integer.toString(id);
                assertThat(rs.getString(2)).isEqualTo("MRN-SECRET-" + suffix);
                assertThat(rs.getString(3)).isEqualTo("NOTE-SECRET-" + suffix);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(rows + 1);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM patients WHERE mrn = ?")) {
            ps.setString(1, "MRN-SECRET-7");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
        }
        // What the database holds, read raw with plain pgJDBC: ciphertext only.
        Ciphertext.assertStoredAsCiphertext(db, "patients", "mrn", "SECRET", "MRN-");
        Ciphertext.assertStoredAsCiphertext(db, "patients", "note", "SECRET", "NOTE-");
        assertThat(db.keyRows(db.schema() + ".patients")).isEqualTo(1);
    }

    private static long countPlain(EncryptedDatabase db) throws SQLException {
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM patients")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
