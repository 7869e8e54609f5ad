package io.envelope.jdbc.it.keys;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.cli.Cli;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "never move back to a retired version" rule must not live only in a process's memory: a key row whose
 * status a DBA set back to {@code active} with a raw UPDATE is refused (and audited) by a JVM that starts after the
 * tampering and never saw the row retired, randomized writes stay on the newest version, and deterministic writes (which
 * would move to the lowest active version) are refused rather than written under the re-activated one.
 */
class RawStatusFreshProcessIT {

    @Test
    void aNewJvmRefusesAStatusSetBackToActiveAndWritesUnderTheNewestVersion() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("freshjvm", """
                  notes:
                    columns:
                      body: { mode: randomized }
                      tag:  { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE notes (id int PRIMARY KEY, body bytea, tag bytea)");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO notes (id, body) VALUES (1, ?)")) {
            ps.setString(1, "under v1");
            ps.executeUpdate();
        }
        Cli.run(db, "keys", "rotate", "--table", "notes");
        try (KeyRing admin = db.adminKeyRing()) {
            admin.setStatus(db.schema() + ".notes", 1, KeyStatus.RETIRED);
        }
        db.executePlain("UPDATE " + db.keyTable() + " SET status = 'active' WHERE key_version = 1");
        EnvelopeRuntimes.clear();

        Run randomized = freshJvm(db, 2, "body");
        assertThat(randomized.exit()).as(randomized.err()).isZero();
        assertThat(randomized.out()).contains("row 1 reads back: true");
        assertThat(version(db.rawBytes("notes", "body", "id").get(1)))
                .as("randomized writes of the fresh JVM stay on the newest version").isEqualTo(2);
        assertThat(randomized.err()).as("audited in the fresh JVM").contains("key rows refused")
                .contains(db.schema() + ".notes").contains("key version 1");

        // Deterministic writes go to the lowest active version: the fresh JVM cannot tell whether version 1 is
        // really active, so it refuses rather than write under either (nothing written).
        Run deterministic = freshJvm(db, 3, "tag");
        assertThat(deterministic.exit()).isEqualTo(1);
        assertThat(deterministic.err()).contains("key version 1 of table " + db.schema() + ".notes is refused")
                .contains("deterministic writes are refused");
        try (Connection c = db.plain(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM notes")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing written").isEqualTo(2);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    /** Runs {@link FreshProcessWriter} in a new JVM on this test's class path. */
    private static Run freshJvm(EncryptedDatabase db, int id, String column) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = Files.createTempFile("fresh-jvm", ".err");
        try {
            Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    FreshProcessWriter.class.getName(), db.envelopeUrl(), db.configFile().toString(),
                    Integer.toString(id), column)).redirectError(err.toFile()).start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child JVM finishes").isTrue();
            return new Run(child.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static int version(byte[] stored) {
        return ((stored[2] & 0xff) << 24) | ((stored[3] & 0xff) << 16) | ((stored[4] & 0xff) << 8) | (stored[5] & 0xff);
    }
}
