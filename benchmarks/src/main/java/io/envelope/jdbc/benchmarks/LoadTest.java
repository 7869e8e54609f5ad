package io.envelope.jdbc.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.EnvelopeDriver;
import io.envelope.jdbc.EnvelopeMetrics;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load test of issue 11: {@code --threads} (16) threads through HikariCP doing mixed inserts, updates, point
 * reads and deterministic lookups on three configured tables through envelope-jdbc, while {@code keys rotate} and
 * {@code reencrypt} run beside them (the command-line jar, as separate processes, one table after the other, over
 * and over); and the same load, at the same time, on the same tables with plaintext columns through plain pgJDBC
 * (its own 16 threads and pool), so both see the same machine ({@code --sequential true}: plain first, then
 * envelope). Every thread keeps a model
 * of what each of its rows must hold (threads own disjoint rows, so the model is exact) and checks every read
 * against it; at the end every row of every table is read back and compared.
 *
 * <p>Reports, per phase: operations per second, p50/p99 latency per operation kind, errors (must be 0), wrong
 * reads (must be 0); then rows lost or wrong in the final check (must be 0), KMS calls of this process (by
 * operation, and how many of them ran on a request thread after warm-up: expected none), the maintenance runs and
 * their exit codes, and the load average of the machine. Exits non-zero when any of the must-be-zero figures is
 * not.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.envelope.jdbc.benchmarks.LoadTest \
 *     [--duration 10m] [--threads 16] [--ttl 30s] [--pool 16] [--sequential false] [--plain-duration 2m]
 *     [--url jdbc:postgresql://127.0.0.1:5432/test?user=postgres] [--cli target/envelope-jdbc-0.1.0-cli.jar]
 * </pre>
 */
public final class LoadTest {

    /** The three configured tables: a deterministic lookup column, a randomized text and a randomized number. */
    private static final List<String> TABLES = List.of("customers", "orders", "tickets");
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    private enum Op { INSERT, UPDATE, READ, LOOKUP }

    /** What a row must hold. */
    private record Row(String lookup, String body, BigDecimal amount) {
    }

    private final Map<String, String> options;
    private final String url;
    private final int threads;
    private final Duration duration;
    private final Duration plainDuration;
    private final Duration ttl;
    private final Path cli;
    private final String schema;
    private final boolean sequential;

    private LoadTest(Map<String, String> options) {
        this.options = options;
        this.url = options.getOrDefault("url", System.getenv().getOrDefault("ENVELOPE_BENCH_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
        this.threads = Integer.parseInt(options.getOrDefault("threads", "16"));
        this.duration = parse(options.getOrDefault("duration", "10m"));
        this.plainDuration = parse(options.getOrDefault("plain-duration",
                duration.compareTo(Duration.ofMinutes(2)) < 0 ? duration.toString() : "2m"));
        this.ttl = parse(options.getOrDefault("ttl", "30s"));
        this.cli = Path.of(options.getOrDefault("cli", "target/envelope-jdbc-0.1.0-cli.jar"));
        this.schema = "envelope_load_" + ProcessHandle.current().pid();
        this.sequential = Boolean.parseBoolean(options.getOrDefault("sequential", "false"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        System.exit(new LoadTest(options).run());
    }

    private static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
        return switch (t.replaceAll("^[0-9]+", "")) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("duration " + text + ": use 500ms, 30s, 10m, 1h");
        };
    }

    private int run() throws Exception {
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException("no command-line jar at " + cli + " (mvn package at the repository root,"
                    + " or --cli PATH)");
        }
        System.out.printf("load test: %d threads per target, HikariCP pool of %s each, %s, key-cache ttl %s,"
                        + " schema %s%n", threads, options.getOrDefault("pool", Integer.toString(threads)),
                sequential ? "plain pgJDBC for " + plainDuration + " then envelope-jdbc for " + duration
                        : "plain pgJDBC and envelope-jdbc side by side for " + duration, ttl, schema);
        System.out.println("load average at start: " + MachineLoad.loadAverage());
        Path dir = Files.createTempDirectory("envelope-load");
        Path config = writeConfig(dir);
        createSchema();

        new EnvelopeDriver();
        Maintenance maintenance = new Maintenance(config);
        CountingListener kmsOnRequestThreads = new CountingListener();
        EnvelopeMetrics.addListener(kmsOnRequestThreads);
        EnvelopeMetrics.Snapshot before = EnvelopeMetrics.snapshot();
        Phase plain;
        Phase envelope;
        List<String> finalProblems;
        try (HikariDataSource plainPool = pool(url(schema + "_plain"), null);
             HikariDataSource envelopePool = pool("jdbc:envelope:" + url(schema).substring("jdbc:".length()),
                     config)) {
            if (sequential) {
                plain = new Phase("plain pgJDBC", plainPool, plainDuration, null).run(null);
                envelope = new Phase("envelope-jdbc", envelopePool, duration, maintenance);
                maintenance.start();
                envelope.run(kmsOnRequestThreads);
            } else {
                // Both loads at once, each with its own threads and pool: on a shared machine whose load changes
                // from minute to minute, only this puts them under the same conditions.
                plain = new Phase("plain pgJDBC", plainPool, duration, null);
                envelope = new Phase("envelope-jdbc", envelopePool, duration, maintenance);
                ExecutorService both = Executors.newFixedThreadPool(2);
                Future<?> plainRun = both.submit(() -> plain.run(null));
                maintenance.start();
                Future<?> envelopeRun = both.submit(() -> envelope.run(kmsOnRequestThreads));
                plainRun.get();
                envelopeRun.get();
                both.shutdown();
            }
            maintenance.stop();
            finalProblems = new ArrayList<>(envelope.finalCheck());
            plain.finalCheck().forEach(p -> finalProblems.add("plain: " + p));
        } finally {
            EnvelopeMetrics.removeListener(kmsOnRequestThreads);
        }
        EnvelopeMetrics.Snapshot after = EnvelopeMetrics.snapshot();

        System.out.println();
        plain.report();
        envelope.report();
        Map<String, Long> kms = new LinkedHashMap<>();
        after.kmsCalls().forEach((op, n) -> kms.put(op, n - before.kmsCalls(op)));
        System.out.println("KMS calls of this process during the envelope phase: " + kms + " (failed: "
                + (after.kmsFailures() - before.kmsFailures()) + "); on request threads after the first "
                + WARM_UP.toSeconds() + " s: " + kmsOnRequestThreads.afterWarmUp.get()
                + "; background key refresh failures: " + EnvelopeMetrics.keyRefreshFailures());
        System.out.println("maintenance (separate processes): " + maintenance.summary());
        System.out.println("final check of every row against the model: " + (finalProblems.isEmpty()
                ? "all " + envelope.modelRows() + " rows present and equal"
                : finalProblems.size() + " problem(s): " + finalProblems.subList(0, Math.min(10,
                finalProblems.size()))));
        System.out.println("load average at end: " + MachineLoad.loadAverage());
        boolean ok = plain.errors.get() == 0 && envelope.errors.get() == 0 && plain.wrong.get() == 0
                && envelope.wrong.get() == 0 && finalProblems.isEmpty() && maintenance.failures() == 0;
        System.out.println(ok ? "RESULT: ok" : "RESULT: FAILED");
        dropSchemas();
        return ok ? 0 : 1;
    }

    // ---- setup --------------------------------------------------------------------------------------------------

    private String url(String currentSchema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + currentSchema;
    }

    private Path writeConfig(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("key-table: " + schema + ".envelope_data_keys\nkey-cache:\n  ttl: "
                + ttl.toMillis() + "ms\ntables:\n");
        for (String table : TABLES) {
            yaml.append("  ").append(table).append(":\n    columns:\n")
                    .append("      lookup: { mode: deterministic }\n")
                    .append("      body:   { mode: randomized, pad: 32 }\n")
                    .append("      amount: { mode: randomized, type: decimal, scale: 2 }\n");
        }
        return LocalKeyConfig.write(dir, yaml.toString());
    }

    private void createSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String name : List.of(schema, schema + "_plain")) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
                s.execute("CREATE SCHEMA " + name);
            }
            for (String table : TABLES) {
                // encrypted: bytea and text (base64) columns; plain: the plaintext types
                s.execute("CREATE TABLE " + schema + "." + table
                        + " (id bigint PRIMARY KEY, lookup bytea, body text, amount bytea)");
                s.execute("CREATE INDEX ON " + schema + "." + table + " (lookup)");
                s.execute("CREATE TABLE " + schema + "_plain." + table
                        + " (id bigint PRIMARY KEY, lookup text, body text, amount numeric(12,2))");
                s.execute("CREATE INDEX ON " + schema + "_plain." + table + " (lookup)");
            }
        }
    }

    private void dropSchemas() throws SQLException {
        if (Boolean.parseBoolean(options.getOrDefault("keep", "false"))) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + schema + "_plain CASCADE");
        }
    }

    private HikariDataSource pool(String jdbcUrl, Path config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        if (config != null) {
            hikari.addDataSourceProperty("envelope.config", config.toString());
        }
        hikari.setMaximumPoolSize(Integer.parseInt(options.getOrDefault("pool", Integer.toString(threads))));
        hikari.setConnectionTimeout(10_000);
        hikari.setPoolName(config == null ? "load-plain" : "load-envelope");
        return new HikariDataSource(hikari);
    }

    // ---- one phase of load ----------------------------------------------------------------------------------------

    /** Counts KMS calls made on request threads once the warm-up is over. */
    private static final class CountingListener implements EnvelopeMetrics.Listener {
        final AtomicLong afterWarmUp = new AtomicLong();
        volatile Instant warmUpEnds = Instant.MAX;

        @Override
        public void kmsCall(String operation, boolean failed, long nanos) {
            if (Thread.currentThread().getName().startsWith("load-") && Instant.now().isAfter(warmUpEnds)) {
                afterWarmUp.incrementAndGet();
            }
        }
    }

    private final class Phase {
        final String name;
        final HikariDataSource pool;
        final Duration length;
        final Maintenance maintenance;
        final AtomicLong errors = new AtomicLong();
        final AtomicLong wrong = new AtomicLong();
        final List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        /** Per table, per row id: what it must hold. Each row is written by one thread only. */
        final Map<String, Map<Long, Row>> model = new ConcurrentHashMap<>();
        final Map<Op, long[][]> latencies = new ConcurrentHashMap<>();
        long ops;
        double seconds;

        Phase(String name, HikariDataSource pool, Duration length, Maintenance maintenance) {
            this.name = name;
            this.pool = pool;
            this.length = length;
            this.maintenance = maintenance;
            TABLES.forEach(t -> model.put(t, new ConcurrentHashMap<>()));
        }

        Phase run(CountingListener listener) throws Exception {
            System.out.println(name + ": running for " + length + " ...");
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r);
                t.setName("load-" + t.getId());
                return t;
            });
            long started = System.nanoTime();
            if (listener != null) {
                listener.warmUpEnds = Instant.now().plus(WARM_UP);
            }
            List<Future<Worker>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Worker worker = new Worker(this, t, stop);
                running.add(workers.submit(worker, worker));
            }
            long end = started + length.toNanos();
            long nextReport = started + 60_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(200);
                if (System.nanoTime() > nextReport) {
                    nextReport += 60_000_000_000L;
                    System.out.printf("  %s: %,d s, errors %d, wrong %d%s%n", name,
                            (System.nanoTime() - started) / 1_000_000_000L, errors.get(), wrong.get(),
                            maintenance == null ? "" : ", maintenance " + maintenance.summary());
                }
            }
            stop.set(true);
            List<Worker> done = new ArrayList<>();
            for (Future<Worker> f : running) {
                done.add(f.get(2, TimeUnit.MINUTES));
            }
            seconds = (System.nanoTime() - started) / 1e9;
            workers.shutdown();
            for (Op op : Op.values()) {
                long[][] perThread = new long[done.size()][];
                for (int i = 0; i < done.size(); i++) {
                    perThread[i] = done.get(i).latencies(op);
                }
                latencies.put(op, perThread);
            }
            ops = done.stream().mapToLong(w -> w.ops).sum();
            return this;
        }

        int modelRows() {
            return model.values().stream().mapToInt(Map::size).sum();
        }

        /** Every row of every table, read through the pool, against the model: lost, wrong and unexpected rows. */
        List<String> finalCheck() throws SQLException {
            List<String> problems = new ArrayList<>();
            for (String table : TABLES) {
                Map<Long, Row> expected = model.get(table);
                Map<Long, Row> found = new HashMap<>();
                try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT id, lookup, body, amount FROM " + table)) {
                    while (rs.next()) {
                        found.put(rs.getLong(1), new Row(rs.getString(2), rs.getString(3), rs.getBigDecimal(4)));
                    }
                }
                for (Map.Entry<Long, Row> e : expected.entrySet()) {
                    Row got = found.remove(e.getKey());
                    if (got == null) {
                        problems.add(table + " row " + e.getKey() + " lost");
                    } else if (!same(e.getValue(), got)) {
                        problems.add(table + " row " + e.getKey() + " wrong");
                    }
                }
                found.keySet().forEach(id -> problems.add(table + " row " + id + " not in the model"));
            }
            return problems;
        }

        void report() {
            System.out.printf("%s: %,d ops in %.0f s = %,.0f ops/s; errors %d, wrong reads %d%n", name, ops, seconds,
                    ops / seconds, errors.get(), wrong.get());
            for (Op op : Op.values()) {
                long[] all = Arrays.stream(latencies.get(op)).flatMapToLong(Arrays::stream).sorted().toArray();
                if (all.length > 0) {
                    System.out.printf("  %-6s %,9d ops  p50 %7.2f ms  p99 %7.2f ms  max %8.1f ms%n", op, all.length,
                            all[(int) (all.length * 0.50)] / 1e6, all[(int) Math.min(all.length - 1,
                                    all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
                }
            }
            if (!firstErrors.isEmpty()) {
                System.out.println("  first errors: " + firstErrors);
            }
        }

        void error(String what, Exception e) {
            errors.incrementAndGet();
            if (firstErrors.size() < 5) {
                firstErrors.add(what + ": " + e);
            }
        }
    }

    private static boolean same(Row a, Row b) {
        return Objects.equals(a.lookup(), b.lookup()) && Objects.equals(a.body(), b.body())
                && a.amount().compareTo(b.amount()) == 0;
    }

    /** One request thread: its own rows (ids ≡ its number modulo 1,000), a mix of operations. */
    private final class Worker implements Runnable {
        private final Phase phase;
        private final int number;
        private final AtomicBoolean stop;
        private final SplittableRandom random;
        private final Map<String, List<Long>> mine = new HashMap<>();
        private final Map<Op, long[]> times = new HashMap<>();
        private final Map<Op, Integer> counts = new HashMap<>();
        private long nextSeq;
        long ops;

        Worker(Phase phase, int number, AtomicBoolean stop) {
            this.phase = phase;
            this.number = number;
            this.stop = stop;
            this.random = new SplittableRandom(number * 7919L + System.nanoTime());
            TABLES.forEach(t -> mine.put(t, new ArrayList<>()));
            for (Op op : Op.values()) {
                times.put(op, new long[1024]);
                counts.put(op, 0);
            }
        }

        long[] latencies(Op op) {
            return Arrays.copyOf(times.get(op), counts.get(op));
        }

        @Override
        public void run() {
            while (!stop.get()) {
                String table = TABLES.get(random.nextInt(TABLES.size()));
                List<Long> rows = mine.get(table);
                int dice = random.nextInt(100);
                Op op = rows.size() < 5 || dice < 25 ? Op.INSERT : dice < 50 ? Op.UPDATE : dice < 80 ? Op.READ
                        : Op.LOOKUP;
                long started = System.nanoTime();
                try {
                    switch (op) {
                        case INSERT -> insert(table, rows);
                        case UPDATE -> update(table, rows.get(random.nextInt(rows.size())));
                        case READ -> read(table, rows.get(random.nextInt(rows.size())));
                        case LOOKUP -> lookup(table, rows.get(random.nextInt(rows.size())));
                    }
                } catch (SQLException | RuntimeException e) {
                    phase.error(op + " " + table, e);
                }
                record(op, System.nanoTime() - started);
                ops++;
            }
        }

        private void record(Op op, long nanos) {
            long[] t = times.get(op);
            int n = counts.get(op);
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                times.put(op, t);
            }
            t[n] = nanos;
            counts.put(op, n + 1);
        }

        private Row newRow(String table, long id) {
            // unique lookup values, so a lookup finds exactly one row
            return new Row(table + "-" + id + "-" + random.nextInt(1_000_000), "body of " + id + " "
                    + Long.toHexString(random.nextLong()), BigDecimal.valueOf(random.nextLong(1, 10_000_000), 2));
        }

        private void insert(String table, List<Long> rows) throws SQLException {
            long id = (nextSeq++) * 1000 + number;
            Row row = newRow(table, id);
            try (Connection c = phase.pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + table + " (id, lookup, body, amount) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, row.lookup());
                ps.setString(3, row.body());
                ps.setBigDecimal(4, row.amount());
                ps.executeUpdate();
            }
            phase.model.get(table).put(id, row);
            rows.add(id);
        }

        /** An update in a transaction; one in ten is rolled back instead (the model keeps the old row). */
        private void update(String table, long id) throws SQLException {
            Row row = newRow(table, id);
            boolean rollback = random.nextInt(10) == 0;
            try (Connection c = phase.pool.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE " + table + " SET lookup = ?, body = ?, amount = ? WHERE id = ?")) {
                    ps.setString(1, row.lookup());
                    ps.setString(2, row.body());
                    ps.setBigDecimal(3, row.amount());
                    ps.setLong(4, id);
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("update of " + table + " row " + id + " found no row");
                    }
                    if (rollback) {
                        c.rollback();
                    } else {
                        c.commit();
                    }
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
            if (!rollback) {
                phase.model.get(table).put(id, row);
            }
        }

        private void read(String table, long id) throws SQLException {
            try (Connection c = phase.pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT lookup, body, amount FROM " + table + " WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    Row expected = phase.model.get(table).get(id);
                    if (!rs.next() || !same(expected, new Row(rs.getString(1), rs.getString(2),
                            rs.getBigDecimal(3)))) {
                        phase.wrong.incrementAndGet();
                    }
                }
            }
        }

        private void lookup(String table, long id) throws SQLException {
            Row expected = phase.model.get(table).get(id);
            try (Connection c = phase.pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT id, body FROM " + table + " WHERE lookup = ?")) {
                ps.setString(1, expected.lookup());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getLong(1) != id || !expected.body().equals(rs.getString(2))
                            || rs.next()) {
                        phase.wrong.incrementAndGet();
                    }
                }
            }
        }
    }

    // ---- keys rotate and reencrypt beside the load ----------------------------------------------------------------

    /**
     * Runs, for one table after the other until stopped: {@code keys rotate}, a wait of one TTL (plus a little) so
     * every process writes under the new version, then {@code reencrypt} (which itself waits one TTL between its
     * passes). Each is a separate JVM running the command-line jar, as an operator would run it.
     */
    private final class Maintenance {
        private final Path config;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Map<String, AtomicLong> runs = new ConcurrentHashMap<>();
        private final List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        private Thread thread;

        Maintenance(Path config) {
            this.config = config;
        }

        void start() {
            thread = new Thread(() -> {
                try {
                    Thread.sleep(WARM_UP.toMillis());
                    for (int i = 0; !stop.get(); i++) {
                        String table = TABLES.get(i % TABLES.size());
                        command("keys", "rotate", "--table", table);
                        sleep(ttl.plusSeconds(2));
                        command("reencrypt", "--table", table);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "maintenance");
            thread.setDaemon(true);
            thread.start();
        }

        private void sleep(Duration d) throws InterruptedException {
            long until = System.nanoTime() + d.toNanos();
            while (!stop.get() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
        }

        private void command(String... args) throws InterruptedException {
            if (stop.get()) {
                return;
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", cli.toString()));
            command.addAll(List.of(args));
            command.addAll(List.of("--config", config.toString(), "--url", url(schema)));
            String label = args[0] + (args[0].equals("keys") ? " " + args[1] : "");
            try {
                Path log = Files.createTempFile("envelope-load-" + label.replace(' ', '-'), ".log");
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                        .start();
                int code = p.waitFor();   // a running reencrypt is let finish when the load stops
                runs.computeIfAbsent(label, l -> new AtomicLong()).incrementAndGet();
                if (code != 0) {
                    failed.add(label + " " + args[args.length - 1] + " exit " + code + " (" + log + ")");
                } else {
                    Files.deleteIfExists(log);
                }
            } catch (IOException e) {
                failed.add(label + ": " + e);
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(TimeUnit.MINUTES.toMillis(10));
        }

        int failures() {
            return failed.size();
        }

        String summary() {
            return runs + (failed.isEmpty() ? ", all exit 0" : ", failed: " + failed);
        }
    }
}
