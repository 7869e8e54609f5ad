package io.envelope.jdbc.it.faults;

import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by the load test: after a {@code keys rotate} elsewhere, the first write under the new version unwrapped
 * its key on the request thread (one KMS call on the request path per rotation). The background refresh of the key
 * rows now unwraps a new active version before it serves the new rows, so writes that move to the new version find
 * its key cached. Local provider, 2 s TTL: the test counts KMS calls made on its own thread after warm-up.
 */
@ExtendWith(QuietStderr.class)
class RotationOffRequestPathIT {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aNewVersionFromARotationElsewhereIsUnwrappedInTheBackground() throws Exception {
        EnvelopeRuntimes.clear();
        EncryptedDatabase db = EncryptedDatabase.create("rotateahead", """
                  notes:
                    columns:
                      body: { mode: randomized }
                """, "key-cache:\n  ttl: 2s\n");
        db.executePlain("CREATE TABLE notes (id int PRIMARY KEY, body bytea)");
        Thread me = Thread.currentThread();
        AtomicInteger onMyThread = new AtomicInteger();
        EnvelopeMetrics.Listener listener = new EnvelopeMetrics.Listener() {
            @Override
            public void kmsCall(String operation, boolean failed, long nanos) {
                if (Thread.currentThread() == me) {
                    onMyThread.incrementAndGet();
                }
            }
        };
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO notes (id, body) VALUES (?, ?)")) {
            int id = 0;
            ps.setInt(1, id++);
            ps.setString(2, "warm-up");
            ps.executeUpdate();                           // version 1 made and cached
            try (var admin = db.adminKeyRing()) {
                admin.addVersion(db.schema() + ".notes");  // another process rotates
            }
            EnvelopeMetrics.addListener(listener);
            long until = System.nanoTime() + 5_000_000_000L;   // two and a half TTLs
            while (System.nanoTime() < until) {
                ps.setInt(1, id++);
                ps.setString(2, "note " + id);
                ps.executeUpdate();
                Thread.sleep(25);
            }
        } finally {
            EnvelopeMetrics.removeListener(listener);
        }
        assertThat(onMyThread.get()).as("KMS calls on the request thread after warm-up").isZero();
        // the writes did move to version 2 (format: version byte, mode byte, then the key version)
        int onV2 = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM notes ORDER BY id")) {
            while (rs.next()) {
                onV2 += rs.getString(1).startsWith("note") ? 1 : 0;
            }
        }
        assertThat(onV2).isPositive();
        int v2Values = 0;
        for (byte[] stored : db.rawBytes("notes", "body", "id")) {
            v2Values += java.nio.ByteBuffer.wrap(stored, 2, 4).getInt() == 2 ? 1 : 0;
        }
        assertThat(v2Values).as("values written under version 2").isPositive();
    }
}
