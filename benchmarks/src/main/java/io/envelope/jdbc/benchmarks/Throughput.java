package io.envelope.jdbc.benchmarks;

import io.envelope.jdbc.EnvelopeDriver;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.crypto.CiphertextWidths;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * What users feel: throughput and client CPU of the same JDBC workload through plain pgJDBC and through
 * envelope-jdbc, in one process, against a real PostgreSQL (issue 14).
 *
 * <p>Table {@code customers(id, name, email, ssn, note)}; for envelope-jdbc {@code email} is deterministic and
 * {@code ssn} randomized. Four variants, each on its own connection and table:
 * <ul>
 *   <li>{@code plain}: plain pgJDBC, plaintext {@code text} columns;</li>
 *   <li>{@code sized}: plain pgJDBC writing {@code email} and {@code ssn} as values of exactly the stored size of
 *       envelope-jdbc's ciphertexts (base64 text or bytes, per storage; computed with {@link CiphertextWidths} and
 *       checked against the stored values at the end), pseudo-random like ciphertexts so the index on
 *       {@code email} takes them in random order: what storing encrypted values alone costs the server;</li>
 *   <li>{@code envelope}: envelope-jdbc over pgJDBC;</li>
 *   <li>{@code aa}: plain pgJDBC again, an A/A control: its ratio to {@code plain} shows the run's noise.</li>
 * </ul>
 * For each configuration (storage {@code text}/{@code bytea} × {@code pad}), rounds run every phase on every
 * variant, the variants' order rotated each round; warm-up rounds (at least {@code --warmup} of them and
 * {@code --warmup-seconds}, so the JIT has compiled the hot paths) are discarded and the medians of the timed
 * rounds reported: rows (or statements) per second of wall time, and client CPU per row — the CPU time of the one
 * thread that issues the JDBC calls (pgJDBC's own work included), which is steadier than wall time on a busy
 * machine.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.envelope.jdbc.benchmarks.Throughput \
 *     [--rounds 5] [--warmup 2] [--warmup-seconds 15] [--scale 1.0] [--phases insert,batch,point,lookup,read100,update]
 *     [--storage text,bytea] [--pad 0,64] [--variants plain,sized,envelope,aa]
 *     [--url jdbc:postgresql://127.0.0.1:5432/test?user=postgres] [--keep false]
 * </pre>
 */
public final class Throughput {

    /** The phases, in the order they run within a round. */
    enum Phase {
        INSERT("insert", "single-row INSERT, autocommit", 1000),
        BATCH("batch", "INSERT in batches of 500", 10),
        POINT("point", "point SELECT by id, all columns", 2000),
        LOOKUP("lookup", "equality SELECT on email (deterministic)", 2000),
        READ100("read100", "100-row read (rows)", 100),
        UPDATE("update", "UPDATE email, ssn by id", 1000);

        final String key;
        final String title;
        /** Statements per round and variant at scale 1 (batches for BATCH). */
        final int statements;

        Phase(String key, String title, int statements) {
            this.key = key;
            this.title = title;
            this.statements = statements;
        }
    }

    static final int BATCH_ROWS = 500;
    static final int READ_ROWS = 100;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<String, String> options;
    private final String url;
    private final String schema;
    private final int rounds;
    private final int warmup;
    /** Warm-up goes on for at least this long (the JIT compiles pgJDBC's and the driver's hot paths meanwhile). */
    private final double warmupSeconds;
    private final double scale;
    private final List<Phase> phases = new ArrayList<>();
    private final List<String> storages;
    private final List<Integer> pads;
    private final List<String> variants;
    /** Rows loaded into every table before the rounds, read by the SELECT and UPDATE phases. */
    private final int preload;

    private Throughput(Map<String, String> options) {
        this.options = options;
        this.url = options.getOrDefault("url", System.getenv().getOrDefault("ENVELOPE_BENCH_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
        this.schema = "envelope_tp_" + ProcessHandle.current().pid();
        this.rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        this.warmup = Integer.parseInt(options.getOrDefault("warmup", "2"));
        this.warmupSeconds = Double.parseDouble(options.getOrDefault("warmup-seconds", "15"));
        this.scale = Double.parseDouble(options.getOrDefault("scale", "1.0"));
        for (String key : list("phases", "insert,batch,point,lookup,read100,update")) {
            phases.add(Arrays.stream(Phase.values()).filter(p -> p.key.equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--phases: unknown phase " + key)));
        }
        this.storages = list("storage", "text,bytea");
        this.pads = list("pad", "0,64").stream().map(Integer::parseInt).toList();
        this.variants = list("variants", "plain,sized,envelope,aa");
        this.preload = Integer.parseInt(options.getOrDefault("preload", "10000"));
        for (String s : storages) {
            if (!s.equals("text") && !s.equals("bytea")) {
                throw new IllegalArgumentException("--storage: text or bytea, not " + s);
            }
        }
        for (String v : variants) {
            if (!List.of("plain", "sized", "envelope", "aa").contains(v)) {
                throw new IllegalArgumentException("--variants: plain, sized, envelope or aa, not " + v);
            }
        }
    }

    private List<String> list(String option, String defaults) {
        return Arrays.stream(options.getOrDefault(option, defaults).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new Throughput(options).run();
    }

    private void run() throws Exception {
        System.out.printf("throughput: java %s, %d timed rounds after at least %d warm-up rounds and %.0f s, scale %.2f,"
                        + " phases %s, storage %s, pad %s, variants %s, schema %s%n", System.getProperty("java.version"),
                rounds, warmup, warmupSeconds, scale, phases.stream().map(p -> p.key).toList(), storages, pads, variants, schema);
        System.out.println("load average at start: " + MachineLoad.loadAverage());
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        Path dir = Files.createTempDirectory("envelope-throughput");
        Path config = writeConfig(dir);
        createSchema();
        new EnvelopeDriver();
        try {
            for (String storage : storages) {
                for (int pad : pads) {
                    new Configuration(storage, pad, config).run();
                }
            }
        } finally {
            if (!Boolean.parseBoolean(options.getOrDefault("keep", "false"))) {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
        System.out.println("load average at end: " + MachineLoad.loadAverage());
    }

    // ---- setup ----------------------------------------------------------------------------------------------------

    private static String envTable(String storage, int pad) {
        return "customers_env_" + storage + "_p" + pad;
    }

    private static String sizedTable(String storage, int pad) {
        return "customers_sized_" + storage + "_p" + pad;
    }

    private Path writeConfig(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("key-table: " + schema + ".envelope_data_keys\ntables:\n");
        for (String storage : storages) {
            for (int pad : pads) {
                String padding = pad > 0 ? ", pad: " + pad : "";
                yaml.append("  ").append(envTable(storage, pad)).append(":\n    columns:\n")
                        .append("      email: { mode: deterministic").append(padding).append(" }\n")
                        .append("      ssn:   { mode: randomized").append(padding).append(" }\n");
            }
        }
        return LocalKeyConfig.write(dir, yaml.toString());
    }

    private void createSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
            List<String> tables = new ArrayList<>();
            for (String storage : storages) {
                for (int pad : pads) {
                    String type = storage.equals("bytea") ? "bytea" : "text";
                    tables.add(envTable(storage, pad) + " (id bigint PRIMARY KEY, name text, email " + type
                            + ", ssn " + type + ", note text)");
                    tables.add(sizedTable(storage, pad) + " (id bigint PRIMARY KEY, name text, email " + type
                            + ", ssn " + type + ", note text)");
                }
            }
            for (String table : tables) {
                s.execute("CREATE TABLE " + schema + "." + table);
            }
            for (String name : List.of("customers_plain", "customers_aa")) {
                s.execute("CREATE TABLE " + schema + "." + name
                        + " (id bigint PRIMARY KEY, name text, email text, ssn text, note text)");
            }
            // lookups by email use an index, as an application's would (deterministic ciphertext is indexable)
            try (ResultSet rs = c.getMetaData().getTables(null, schema, "customers%", new String[] {"TABLE"})) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME"));
                }
                for (String name : names) {
                    s.execute("CREATE INDEX ON " + schema + "." + name + " (email)");
                }
            }
        }
    }

    private String schemaUrl() {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    // ---- values ---------------------------------------------------------------------------------------------------

    static String name(long id) {
        return "name " + id;
    }

    static String email(long id) {
        return "user" + id + "@example.com";
    }

    static String ssn(long id) {
        long n = (id * 7919L) % 1_000_000_000L;
        return (100 + n % 900) + "-" + (10 + n / 1000 % 90) + "-" + (1000 + n / 100_000 % 9000);
    }

    static String note(long id) {
        return "a note about customer " + id;
    }

    /**
     * Values of exactly the stored size of envelope-jdbc's ciphertexts for the same plaintexts, without the
     * cryptography: the storage anchor. Deterministic values ({@code email}) stay unique per plaintext, so a lookup
     * finds its one row, as with the deterministic ciphertext; randomized ones ({@code ssn}) differ every time.
     */
    static final class Sized {
        private final boolean binary;
        private final int pad;
        private final byte[] filler = new byte[4096];
        private final String fillerText;
        private long counter;

        Sized(String storage, int pad) {
            this.binary = storage.equals("bytea");
            this.pad = pad;
            new SplittableRandom(42).nextBytes(filler);
            this.fillerText = Base64.getEncoder().withoutPadding().encodeToString(filler);
        }

        static int storedBytes(EncryptionMode mode, int pad, String plaintext) {
            return (int) CiphertextWidths.storedBytes(mode, pad, plaintext.getBytes(StandardCharsets.UTF_8).length);
        }

        Object email(long id) {
            return value(storedBytes(EncryptionMode.DETERMINISTIC, pad, Throughput.email(id)), id);
        }

        Object ssn(long id) {
            return value(storedBytes(EncryptionMode.RANDOMIZED, pad, Throughput.ssn(id)), ++counter);
        }

        private Object value(int bytes, long unique) {
            // The value starts at a pseudo-random place in the filler, as a ciphertext starts with pseudo-random
            // bytes after its constant header: the index on email then takes keys in random order, as it does from
            // envelope-jdbc (ascending keys would fill the index's right-most page only, a cost no encryption has).
            int start = (int) Long.remainderUnsigned(mix(unique), 2048);
            if (binary) {
                byte[] out = Arrays.copyOfRange(filler, start, start + bytes);
                for (int i = 0; i < 8; i++) {
                    out[bytes - 1 - i] = (byte) (unique >>> (8 * i));
                }
                return out;
            }
            String tag = "-" + unique; // '-' is not in the base64 alphabet: unique whatever the filler
            int chars = (int) CiphertextWidths.base64Chars(bytes);
            return fillerText.substring(start, start + chars - tag.length()) + tag;
        }

        /** SplitMix64's finaliser: consecutive ids to well-spread numbers. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }

    // ---- one configuration ----------------------------------------------------------------------------------------

    /** One storage and pad: all variants, all rounds, then the report. */
    private final class Configuration {
        final String storage;
        final int pad;
        final Path config;
        final Map<String, Target> targets = new LinkedHashMap<>();
        /** phase → variant → per timed round: {nanos wall, nanos cpu, rows, statements}. */
        final Map<Phase, Map<String, List<long[]>>> samples = new LinkedHashMap<>();

        Configuration(String storage, int pad, Path config) {
            this.storage = storage;
            this.pad = pad;
            this.config = config;
        }

        void run() throws Exception {
            System.out.printf("%n== storage %s, %s ==%n", storage, pad > 0 ? "pad " + pad : "no pad");
            for (String v : variants) {
                targets.put(v, new Target(v, this));
            }
            try {
                for (Target t : targets.values()) {
                    t.preload();
                }
                long warmupEnds = System.nanoTime() + (long) (warmupSeconds * 1e9);
                int timedRounds = 0;
                for (int round = 0; timedRounds < rounds; round++) {
                    boolean timed = round >= warmup && System.nanoTime() >= warmupEnds;
                    if (timed) {
                        timedRounds++;
                    }
                    for (Phase phase : phases) {
                        List<String> order = new ArrayList<>(variants);
                        java.util.Collections.rotate(order, round);
                        for (String v : order) {
                            long[] sample = targets.get(v).run(phase, round);
                            if (timed) {
                                samples.computeIfAbsent(phase, p -> new LinkedHashMap<>())
                                        .computeIfAbsent(v, x -> new ArrayList<>()).add(sample);
                            }
                        }
                    }
                    System.out.printf("  round %d %s done (load %s)%n", round + 1,
                            timed ? "timed " + timedRounds + "/" + rounds : "warm-up", MachineLoad.loadAverage());
                }
                checkSizes();
                report();
            } finally {
                for (Target t : targets.values()) {
                    t.close();
                }
            }
        }

        /** The storage anchor is only an anchor if its values are as large as envelope-jdbc's: check it. */
        private void checkSizes() throws SQLException {
            if (!targets.containsKey("sized") || !targets.containsKey("envelope")) {
                return;
            }
            String envTable = envTable(storage, pad);
            String sizedTable = sizedTable(storage, pad);
            try (Connection c = DriverManager.getConnection(schemaUrl()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT sum(octet_length(e.email)), sum(octet_length(z.email)),"
                         + " sum(octet_length(e.ssn)), sum(octet_length(z.ssn)), count(*) FROM " + envTable
                         + " e JOIN " + sizedTable + " z ON z.id = e.id")) {
                rs.next();
                boolean same = rs.getLong(1) == rs.getLong(2) && rs.getLong(3) == rs.getLong(4);
                System.out.printf("  stored sizes over %d rows: email %d (envelope) vs %d (sized), ssn %d vs %d: %s%n",
                        rs.getLong(5), rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        same ? "equal" : "DIFFERENT (the anchor is off)");
            }
        }

        private void report() {
            System.out.printf("%n| %s, %s | %s | env/plain | env/sized | A/A | client CPU µs/row %s |%n",
                    storage, pad > 0 ? "pad " + pad : "no pad",
                    String.join(" | ", variants.stream().map(v -> v + " rows/s").toList()),
                    String.join(" → ", variants));
            System.out.println("|---|" + "---|".repeat(variants.size()) + "---|---|---|---|");
            for (Phase phase : phases) {
                Map<String, List<long[]>> byVariant = samples.get(phase);
                Map<String, Double> rate = new LinkedHashMap<>();
                Map<String, Double> cpu = new LinkedHashMap<>();
                for (String v : variants) {
                    List<long[]> s = byVariant.get(v);
                    rate.put(v, median(s.stream().mapToDouble(x -> x[2] * 1e9 / x[0]).toArray()));
                    cpu.put(v, median(s.stream().mapToDouble(x -> x[1] / 1e3 / x[2]).toArray()));
                }
                System.out.printf("| %s | %s | %s | %s | %s | %s |%n", phase.title,
                        String.join(" | ", variants.stream().map(v -> String.format(Locale.ROOT, "%,.0f",
                                rate.get(v))).toList()),
                        ratio(rate, "envelope", "plain"), ratio(rate, "envelope", "sized"), ratio(rate, "aa", "plain"),
                        String.join(" → ", variants.stream().map(v -> String.format(Locale.ROOT, "%.2f",
                                cpu.get(v))).toList()));
            }
        }

        private String ratio(Map<String, Double> rate, String a, String b) {
            return rate.containsKey(a) && rate.containsKey(b)
                    ? String.format(Locale.ROOT, "%.2f", rate.get(a) / rate.get(b)) : "–";
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ---- one variant ----------------------------------------------------------------------------------------------

    /** One variant's connection, table and statements. */
    private final class Target {
        final String variant;
        final Configuration configuration;
        final Connection connection;
        final String table;
        final Sized sized;
        final PreparedStatement insert;
        final PreparedStatement point;
        final PreparedStatement lookup;
        final PreparedStatement read;
        final PreparedStatement update;
        /** The next id an INSERT phase writes (above the preloaded rows). */
        long nextId;
        long sink;

        Target(String variant, Configuration configuration) throws SQLException {
            this.variant = variant;
            this.configuration = configuration;
            this.table = switch (variant) {
                case "plain" -> "customers_plain";
                case "aa" -> "customers_aa";
                case "sized" -> sizedTable(configuration.storage, configuration.pad);
                default -> envTable(configuration.storage, configuration.pad);
            };
            if (variant.equals("envelope")) {
                Properties properties = new Properties();
                properties.setProperty("envelope.config", configuration.config.toString());
                connection = DriverManager.getConnection("jdbc:envelope:" + schemaUrl().substring("jdbc:".length()),
                        properties);
            } else {
                connection = DriverManager.getConnection(schemaUrl());
            }
            this.sized = variant.equals("sized") ? new Sized(configuration.storage, configuration.pad) : null;
            try (Statement s = connection.createStatement()) {
                s.execute("TRUNCATE " + table); // plain tables serve every configuration
            }
            insert = connection.prepareStatement("INSERT INTO " + table
                    + " (id, name, email, ssn, note) VALUES (?, ?, ?, ?, ?)");
            point = connection.prepareStatement("SELECT id, name, email, ssn, note FROM " + table + " WHERE id = ?");
            lookup = connection.prepareStatement("SELECT id, name, email, ssn, note FROM " + table
                    + " WHERE email = ?");
            read = connection.prepareStatement("SELECT id, name, email, ssn, note FROM " + table
                    + " WHERE id >= ? AND id < ?");
            update = connection.prepareStatement("UPDATE " + table + " SET email = ?, ssn = ? WHERE id = ?");
            nextId = preload;
        }

        void preload() throws SQLException {
            for (long id = 0; id < preload; id++) {
                bindRow(insert, id);
                insert.addBatch();
                if (id % BATCH_ROWS == BATCH_ROWS - 1) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            try (Statement s = connection.createStatement()) {
                s.execute("ANALYZE " + table);
            }
        }

        private void bindRow(PreparedStatement ps, long id) throws SQLException {
            ps.setLong(1, id);
            ps.setString(2, name(id));
            setEmail(ps, 3, id);
            setSsn(ps, 4, id);
            ps.setString(5, note(id));
        }

        private void setEmail(PreparedStatement ps, int index, long id) throws SQLException {
            set(ps, index, sized == null ? email(id) : sized.email(id));
        }

        private void setSsn(PreparedStatement ps, int index, long id) throws SQLException {
            set(ps, index, sized == null ? ssn(id) : sized.ssn(id));
        }

        private static void set(PreparedStatement ps, int index, Object value) throws SQLException {
            if (value instanceof byte[] b) {
                ps.setBytes(index, b);
            } else {
                ps.setString(index, (String) value);
            }
        }

        /** Reads every column of the current row as an application would (and checks the key it asked for). */
        private void consume(ResultSet rs) throws SQLException {
            sink += rs.getLong(1);
            sink += rs.getString(2).length();
            if (sized != null && configuration.storage.equals("bytea")) {
                sink += rs.getBytes(3).length + rs.getBytes(4).length;
            } else {
                sink += rs.getString(3).length() + rs.getString(4).length();
            }
            sink += rs.getString(5).length();
        }

        /** One phase, one round: returns {wall ns, CPU ns, rows, statements}. */
        long[] run(Phase phase, int round) throws SQLException {
            int statements = Math.max(1, (int) Math.round(phase.statements * scale));
            // ids read in this round: the same pseudo-random sequence for every variant
            SplittableRandom ids = new SplittableRandom(round * 31L + phase.ordinal());
            long rows = 0;
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            switch (phase) {
                case INSERT -> {
                    for (int i = 0; i < statements; i++) {
                        bindRow(insert, nextId++);
                        rows += insert.executeUpdate();
                    }
                }
                case BATCH -> {
                    for (int b = 0; b < statements; b++) {
                        for (int i = 0; i < BATCH_ROWS; i++) {
                            bindRow(insert, nextId++);
                            insert.addBatch();
                        }
                        for (int n : insert.executeBatch()) {
                            rows += n == Statement.SUCCESS_NO_INFO ? 1 : n;
                        }
                    }
                }
                case POINT -> {
                    for (int i = 0; i < statements; i++) {
                        long id = ids.nextLong(preload);
                        point.setLong(1, id);
                        rows += readAll(point, id);
                    }
                }
                case LOOKUP -> {
                    for (int i = 0; i < statements; i++) {
                        long id = ids.nextLong(preload);
                        setEmail(lookup, 1, id);
                        rows += readAll(lookup, id);
                    }
                }
                case READ100 -> {
                    for (int i = 0; i < statements; i++) {
                        long from = ids.nextLong(preload - READ_ROWS);
                        read.setLong(1, from);
                        read.setLong(2, from + READ_ROWS);
                        rows += readAll(read, -1);
                    }
                }
                case UPDATE -> {
                    for (int i = 0; i < statements; i++) {
                        // the same email as before, so later lookups still find one row; a fresh ssn
                        long id = ids.nextLong(preload);
                        setEmail(update, 1, id);
                        setSsn(update, 2, id);
                        update.setLong(3, id);
                        rows += update.executeUpdate();
                    }
                }
                default -> throw new IllegalStateException(phase.toString());
            }
            long wall = System.nanoTime() - wall0;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            long expected = switch (phase) {
                case BATCH -> (long) statements * BATCH_ROWS;
                case READ100 -> (long) statements * READ_ROWS;
                default -> statements;
            };
            if (rows != expected) {
                throw new IllegalStateException(variant + " " + phase.key + ": " + rows + " rows, expected " + expected);
            }
            return new long[] {wall, cpu, rows, statements};
        }

        private int readAll(PreparedStatement ps, long expectedId) throws SQLException {
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (expectedId >= 0 && rs.getLong(1) != expectedId) {
                        throw new IllegalStateException(variant + ": read id " + rs.getLong(1) + ", expected "
                                + expectedId);
                    }
                    consume(rs);
                    n++;
                }
            }
            return n;
        }

        void close() throws SQLException {
            connection.close();
        }
    }
}
