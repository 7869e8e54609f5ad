package io.envelope.jdbc.it.faults;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two JVM processes racing on the first write of new tables (issue 11): each has its own runtime and key cache, so
 * only the key table's primary key can make them agree. Each process writes to four fresh tables at once from
 * four connections, both released by the same go signal. Afterwards each table has exactly one key row and every
 * row of both processes decrypts, from a third runtime (this JVM's).
 */
@ExtendWith(QuietStderr.class)
class ProcessesRacingOnFirstWriteIT {

    private static final List<String> TABLES = List.of("t1", "t2", "t3", "t4");
    private static final int ROWS = 25;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoProcessesRacingOnFirstWritesLeaveOneKeyPerTableAndEveryRowReadable() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (String table : TABLES) {
            yaml.append("  ").append(table).append(":\n    columns:\n")
                    .append("      tag:  { mode: deterministic }\n      note: { mode: randomized }\n");
        }
        EncryptedDatabase db = EncryptedDatabase.create("procrace", yaml.toString());
        for (String table : TABLES) {
            db.executePlain("CREATE TABLE " + table + " (id int PRIMARY KEY, tag bytea, note text)");
        }
        Path dir = Files.createTempDirectory("envelope-procrace");
        Path go = dir.resolve("go");
        List<JvmProcess> racers = new ArrayList<>();
        try {
            for (int p = 0; p < 2; p++) {
                List<String> args = new ArrayList<>(List.of(db.envelopeUrl(), db.configFile().toString(),
                        go.toString(), Integer.toString(p * 1000), Integer.toString(ROWS)));
                args.addAll(TABLES);
                racers.add(JvmProcess.start(dir, "racer-" + p, FirstWriteRacer.class, args.toArray(String[]::new)));
            }
            long until = System.nanoTime() + 90_000_000_000L;
            while (racers.stream().anyMatch(r -> r.linesStartingWith("ready") == 0)) {
                for (JvmProcess r : racers) {
                    assertThat(r.alive()).as(r::describe).isTrue();
                }
                assertThat(System.nanoTime()).as("racers ready in time").isLessThan(until);
                Thread.sleep(20);
            }
            Files.createFile(go);
            for (JvmProcess r : racers) {
                assertThat(r.waitFor(60)).as(r::describe).isZero();
                assertThat(r.out()).contains("done");
            }
        } finally {
            for (JvmProcess r : racers) {
                r.close();
            }
        }

        EnvelopeRuntimes.clear();
        for (String table : TABLES) {
            assertThat(db.keyRows(db.schema() + "." + table)).as("key rows of " + table).isEqualTo(1);
            int rows = 0;
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, tag, note FROM " + table + " ORDER BY id")) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    assertThat(rs.getString(2)).isEqualTo("tag-" + id);
                    assertThat(rs.getString(3)).isEqualTo("note-" + id);
                    rows++;
                }
            }
            assertThat(rows).as("rows of " + table).isEqualTo(2 * ROWS);
        }
    }
}
