package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reencrypt} split across processes: {@code --start} once, four {@code --shard i/4} workers as separate JVMs
 * beside an application that keeps writing, one of them killed midway and run again on its own, then
 * {@code --finish} once. Afterwards every row holds what the application last wrote, under the newest version only.
 * The row count is 100,000 (the issue's); {@code -Denvelope.it.shardedRows=N} lowers it for a quick run.
 */
class ShardedReencryptIT {

    private static final int ROWS = Integer.getInteger("envelope.it.shardedRows", 100_000);
    private static final int SHARDS = 4;
    private static final int KILLED = 2;

    private final Map<Long, String[]> expected = new ConcurrentHashMap<>();

    @Test
    void fourShardProcessesWithLiveWritesAndOneKilledAndRerunEndClean() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("sharded", """
                  accounts:
                    columns:
                      iban: { mode: deterministic }
                      memo: { mode: randomized }
                """, "key-cache:\n  ttl: 2s\n");
        db.executePlain("CREATE TABLE accounts (id bigint PRIMARY KEY, iban bytea, memo text)");
        long loadStarted = System.nanoTime();
        load(db);
        System.out.printf("ShardedReencryptIT: %,d rows loaded in %.1f s%n", ROWS, (System.nanoTime() - loadStarted) / 1e9);
        assertThat(Cli.run(db, "keys", "rotate", "--table", "accounts")).contains("Added key version 2");

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> write(db, writing, writes, writerFailure), "application-writer");
        writer.start();
        Path logs = Files.createTempDirectory("envelope-sharded-it");
        try {
            long started = System.nanoTime();
            String startOut = Cli.run(db, "reencrypt", "--table", "accounts", "--start");
            assertThat(startOut).contains("version 1 of " + db.schema() + ".accounts is now retiring")
                    .contains("--finish");

            long shardsStarted = System.nanoTime();
            List<Process> shards = new ArrayList<>();
            for (int i = 0; i < SHARDS; i++) {
                shards.add(shard(db, i, logs));
            }
            // kill one worker once it has committed a few batches, well before its slice is done
            Path killedLog = logs.resolve("shard-" + KILLED + ".out");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.readString(killedLog).contains("rows/s") && shards.get(KILLED).isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(shards.get(KILLED).isAlive()).as("shard %d finished before it could be killed: %s", KILLED,
                    Files.readString(killedLog)).isTrue();
            shards.get(KILLED).destroyForcibly().waitFor();
            String killedOut = Files.readString(killedLog);
            assertThat(killedOut).doesNotContain("Shard " + KILLED + "/" + SHARDS + ": re-encrypted");
            for (int i = 0; i < SHARDS; i++) {
                if (i != KILLED) {
                    assertThat(shards.get(i).waitFor(10, TimeUnit.MINUTES)).isTrue();
                    assertThat(shards.get(i).exitValue()).as(Files.readString(logs.resolve("shard-" + i + ".err")))
                            .isZero();
                }
            }
            // the killed slice still holds values under version 1 (its worker really stopped midway) ...
            assertThat(oldValuesInSlice(db, KILLED)).isPositive();
            // ... until its worker runs again, alone, from the start of its slice
            Process rerun = shard(db, KILLED, logs);
            assertThat(rerun.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(rerun.exitValue()).as(Files.readString(logs.resolve("shard-" + KILLED + ".err"))).isZero();
            assertThat(Files.readString(logs.resolve("shard-" + KILLED + ".out")))
                    .contains("Shard " + KILLED + "/" + SHARDS + ": re-encrypted").contains("Summary:");
            double shardSeconds = (System.nanoTime() - shardsStarted) / 1e9;

            CliRunner.Run finish = CliRunner.run(db, "reencrypt", "--table", "accounts", "--finish");
            assertThat(finish.exitCode()).as(finish.out() + finish.err()).isZero();
            assertThat(finish.out()).contains("catching up with writes made meanwhile").contains("verifying")
                    .contains("Retired version(s) [1]");
            System.out.printf("ShardedReencryptIT: %,d rows, %d shard processes (one killed and rerun) in %.1f s,"
                    + " start to finish %.1f s, %,d application writes meanwhile%n", ROWS, SHARDS, shardSeconds,
                    (System.nanoTime() - started) / 1e9, writes.get());
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(writerFailure.get()).isNull();
        assertThat(writes.get()).isPositive();

        assertEveryRowAsWrittenUnderVersion2(db);
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key_version, status FROM " + db.keyTable()
                     + " ORDER BY key_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("retired");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("active");
        }
    }

    /** One shard worker: a JVM of its own on the test class path, output to files. */
    private static Process shard(EncryptedDatabase db, int index, Path logs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(java, "-Xmx256m", "-Denvelope.progress.interval-millis=200",
                "-cp", classPath, "io.envelope.jdbc.cli.EnvelopeCli",
                "reencrypt", "--table", "accounts", "--shard", index + "/" + SHARDS, "--batch-size", "500",
                "--config", db.configFile().toString(),
                "--url", TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()));
        return new ProcessBuilder(command)
                .redirectOutput(logs.resolve("shard-" + index + ".out").toFile())
                .redirectError(logs.resolve("shard-" + index + ".err").toFile())
                .start();
    }

    private void load(EncryptedDatabase db) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, iban, memo) VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            for (long id = 1; id <= ROWS; id++) {
                String[] values = {"DE" + id, "memo " + id};
                ps.setLong(1, id);
                ps.setString(2, values[0]);
                ps.setString(3, values[1]);
                ps.addBatch();
                expected.put(id, values);
                if (id % 1000 == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** The application: updates random rows and inserts new ones until told to stop; remembers what it wrote. */
    private void write(EncryptedDatabase db, AtomicBoolean writing, AtomicLong writes,
                       AtomicReference<Throwable> failure) {
        long nextId = ROWS + 1;
        try (Connection c = db.connect();
             PreparedStatement update = c.prepareStatement("UPDATE accounts SET iban = ?, memo = ? WHERE id = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO accounts (id, iban, memo) VALUES (?, ?, ?)")) {
            while (writing.get()) {
                long n = writes.incrementAndGet();
                if (n % 5 == 0) {
                    String[] values = {"NEW" + nextId, "inserted " + n};
                    insert.setLong(1, nextId);
                    insert.setString(2, values[0]);
                    insert.setString(3, values[1]);
                    insert.executeUpdate();
                    expected.put(nextId++, values);
                } else {
                    long id = ThreadLocalRandom.current().nextLong(1, ROWS + 1);
                    String[] values = {"UPD" + id + "-" + n, "updated " + n};
                    update.setString(1, values[0]);
                    update.setString(2, values[1]);
                    update.setLong(3, id);
                    assertThat(update.executeUpdate()).isEqualTo(1);
                    expected.put(id, values);
                }
                Thread.sleep(2);
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    /** Values of one shard's stripes (the default width, 1,000) still under version 1. */
    private static long oldValuesInSlice(EncryptedDatabase db, int shard) throws Exception {
        long old = 0;
        try (Connection c = db.plain(); PreparedStatement ps = c.prepareStatement(
                "SELECT iban, memo FROM accounts WHERE mod(id / 1000, " + SHARDS + ") = ?")) {
            ps.setInt(1, shard);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (version(rs.getBytes(1)) == 1 || version(Base64.getDecoder().decode(rs.getString(2))) == 1) {
                        old++;
                    }
                }
            }
        }
        return old;
    }

    private void assertEveryRowAsWrittenUnderVersion2(EncryptedDatabase db) throws Exception {
        EnvelopeRuntimes.clear();
        long rows = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, iban, memo FROM accounts")) {
            while (rs.next()) {
                rows++;
                String[] values = expected.get(rs.getLong(1));
                assertThat(values).as("row %d", rs.getLong(1)).isNotNull();
                assertThat(new String[] {rs.getString(2), rs.getString(3)}).as("row %d", rs.getLong(1))
                        .containsExactly(values);
            }
        }
        assertThat(rows).isEqualTo(expected.size());
        Map<Integer, Long> perVersion = new java.util.TreeMap<>();
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT iban, memo FROM accounts")) {
            while (rs.next()) {
                perVersion.merge(version(rs.getBytes(1)), 1L, Long::sum);
                perVersion.merge(version(Base64.getDecoder().decode(rs.getString(2))), 1L, Long::sum);
            }
        }
        assertThat(perVersion).containsOnlyKeys(2).containsEntry(2, 2L * rows);
        CliRunner.Run verify = CliRunner.run(db, "verify", "--table", "accounts");
        assertThat(verify.out()).contains("{2=" + 2 * rows + "}").contains("every value decrypts");
    }

    private static int version(byte[] stored) {
        return ((stored[2] & 0xff) << 24) | ((stored[3] & 0xff) << 16) | ((stored[4] & 0xff) << 8) | (stored[5] & 0xff);
    }
}
