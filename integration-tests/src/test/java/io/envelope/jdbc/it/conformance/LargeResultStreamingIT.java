package io.envelope.jdbc.it.conformance;

import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1,000,000-row result with fetch size 1,000 streams through the wrapper: it never buffers a result, so the
 * whole read fits in a heap far smaller than the result. Failsafe runs this test alone in its own execution with
 * {@code -Xmx96m} (see pom.xml, execution {@code streaming-small-heap}); the test checks that it got that heap.
 */
class LargeResultStreamingIT {

    private static final int ROWS = 1_000_000;
    private static final int SEED_ROWS = 1_000;

    @Test
    void aMillionEncryptedRowsStreamInASmallHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory())
                .as("run with a small heap (-Xmx96m), else this test proves nothing")
                .isLessThan(160L * 1024 * 1024);

        EncryptedDatabase db = EncryptedDatabase.create("streaming", """
                  big:
                    columns:
                      secret: { mode: randomized }
                """);
        db.executePlain("CREATE UNLOGGED TABLE big (id bigint NOT NULL, secret bytea)");

        // 1,000 real ciphertexts through the wrapper, then doubled with plain SQL: a ciphertext copied to another
        // row of the same column still decrypts (see docs/format.md), so every row holds a genuine envelope value
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO big (id, secret) VALUES (?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 1; i <= SEED_ROWS; i++) {
                ps.setLong(1, i);
                ps.setString(2, "secret-" + i);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
        try (Connection plain = db.plain(); Statement s = plain.createStatement()) {
            for (long size = SEED_ROWS; size < ROWS; size *= 2) {
                s.execute("INSERT INTO big (id, secret) SELECT id + " + size + ", secret FROM big");
            }
            s.execute("DELETE FROM big WHERE id > " + ROWS);
            s.execute("ANALYZE big");
        }

        long rows = 0;
        long idSum = 0;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);   // pgJDBC streams with a cursor only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT id, secret FROM big")) {
                ps.setFetchSize(1_000);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.getFetchSize()).isEqualTo(1_000);
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        long seed = (id - 1) % SEED_ROWS + 1;
                        String secret = rs.getString(2);
                        if (!secret.equals("secret-" + seed)) {
                            throw new AssertionError("row " + id + " decrypted to the wrong value");
                        }
                        rows++;
                        idSum += id;
                    }
                }
            }
            c.commit();
        }
        assertThat(rows).isEqualTo(ROWS);
        assertThat(idSum).isEqualTo((long) ROWS * (ROWS + 1) / 2);
    }
}
