package io.envelope.jdbc.benchmarks;

import io.envelope.jdbc.EnvelopeDriver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End to end against a real PostgreSQL: the same statements through plain pgJDBC ({@code target=plain}) and
 * through envelope-jdbc ({@code target=envelope}), on a table whose {@code email} (deterministic) and
 * {@code note} (randomized) columns are encrypted in the envelope case. The difference is the wrapper's cost
 * per statement (analysis lookup, parameter recording, encryption) and per row read (decryption).
 *
 * <p>The database comes from {@code ENVELOPE_BENCH_JDBC_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WrapperOverheadBenchmark {

    private static final int ROWS = 1000;

    @Param({"plain", "envelope"})
    public String target;

    private Connection connection;
    private PreparedStatement insert;
    private PreparedStatement lookup;
    private PreparedStatement scan;
    private final AtomicInteger nextId = new AtomicInteger(1_000_000);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String url = System.getenv().getOrDefault("ENVELOPE_BENCH_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String schema = "envelope_bench_" + target;
        try (Connection admin = DriverManager.getConnection(url); Statement s = admin.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".customers (id int PRIMARY KEY, name text,"
                    + (target.equals("plain") ? " email text, note text)" : " email bytea, note bytea)"));
            // lookups by email use an index, as an application's would (deterministic ciphertext is indexable)
            s.execute("CREATE INDEX ON " + schema + ".customers (email)");
        }
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        if (target.equals("plain")) {
            connection = DriverManager.getConnection(schemaUrl);
        } else {
            new EnvelopeDriver();
            Path config = LocalKeyConfig.write(Files.createTempDirectory("envelope-bench"), """
                    key-table: %s.envelope_data_keys
                    tables:
                      customers:
                        columns:
                          email: { mode: deterministic }
                          note:  { mode: randomized }
                    """.formatted(schema));
            Properties properties = new Properties();
            properties.setProperty("envelope.config", config.toString());
            connection = DriverManager.getConnection("jdbc:envelope:" + schemaUrl.substring("jdbc:".length()),
                    properties);
        }
        try (PreparedStatement fill = connection.prepareStatement(
                "INSERT INTO customers (id, name, email, note) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                fill.setInt(1, i);
                fill.setString(2, "name " + i);
                fill.setString(3, "user" + i + "@example.com");
                fill.setString(4, "a note about customer " + i);
                fill.addBatch();
            }
            fill.executeBatch();
        }
        insert = connection.prepareStatement("INSERT INTO customers (id, name, email, note) VALUES (?, ?, ?, ?)");
        lookup = connection.prepareStatement("SELECT c.id, c.name, c.email, c.note FROM customers c WHERE c.email = ?");
        scan = connection.prepareStatement("SELECT id, name, email, note FROM customers WHERE id < ?");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
    }

    /** One INSERT with two encrypted parameters: per-statement and per-parameter cost. */
    @Benchmark
    public int insertOneRow() throws SQLException {
        int id = nextId.incrementAndGet();
        insert.setInt(1, id);
        insert.setString(2, "name");
        insert.setString(3, "new" + id + "@example.com");
        insert.setString(4, "a fresh note");
        return insert.executeUpdate();
    }

    /** A lookup by a deterministic column returning one row, both encrypted columns read. */
    @Benchmark
    public void lookupByEncryptedColumn(Blackhole blackhole) throws SQLException {
        lookup.setString(1, "user" + (nextId.get() % ROWS) + "@example.com");
        try (ResultSet rs = lookup.executeQuery()) {
            while (rs.next()) {
                blackhole.consume(rs.getString(3));
                blackhole.consume(rs.getString(4));
            }
        }
    }

    /** 100 rows read, two encrypted columns each: per-row decryption cost. */
    @Benchmark
    public void read100Rows(Blackhole blackhole) throws SQLException {
        scan.setInt(1, 100);
        try (ResultSet rs = scan.executeQuery()) {
            while (rs.next()) {
                blackhole.consume(rs.getInt(1));
                blackhole.consume(rs.getString(3));
                blackhole.consume(rs.getString(4));
            }
        }
    }

    /**
     * Prepare, execute and close per lookup, as Hibernate and Spring's JdbcTemplate do: the per-statement cost of
     * finding the SQL's plan (a cache hit) and of checking the result against it.
     */
    @Benchmark
    public void prepareEachLookup(Blackhole blackhole) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT c.id, c.name, c.email, c.note FROM customers c WHERE c.email = ?")) {
            ps.setString(1, "user" + (nextId.get() % ROWS) + "@example.com");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    blackhole.consume(rs.getString(3));
                }
            }
        }
    }

    /** A plain Statement on a table that is not configured: the cost of deciding it needs no analysis. */
    @Benchmark
    public void unconfiguredStatement(Blackhole blackhole) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 'pg_type'")) {
            rs.next();
            blackhole.consume(rs.getInt(1));
        }
    }
}
