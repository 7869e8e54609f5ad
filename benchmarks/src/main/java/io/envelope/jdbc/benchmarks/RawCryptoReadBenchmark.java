package io.envelope.jdbc.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * The floor of {@link InProcessOverheadBenchmark}'s 100-row reads: the same H2 table shape and rows, but the
 * application does its own encryption, reading each stored value with {@code getBytes}, opening it with the raw
 * JCE primitive of its mode ({@link RawFloor}: cached instances, the format's AAD lengths) and decoding the text,
 * the least an application that decrypts by hand must do to hand a {@code String} on. {@code (this − sized) / n}
 * is the cost of decrypting a value inside a read at the floor; {@code (envelope − sized) / n} beside it is what
 * envelope-jdbc costs for the same value.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RawCryptoReadBenchmark {

    private static final int ROWS = 1_000;

    private Connection connection;
    private PreparedStatement read100;
    private RawFloor floor;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        floor = new RawFloor();
        connection = DriverManager.getConnection("jdbc:h2:mem:raw_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE customers (id int PRIMARY KEY, name varchar(100), email varbinary(200),"
                    + " ssn varbinary(200))");
        }
        try (PreparedStatement fill = connection.prepareStatement(
                "INSERT INTO customers (id, name, email, ssn) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                fill.setInt(1, i);
                fill.setString(2, "name " + i);
                fill.setBytes(3, floor.cbcHmacSeal(InProcessOverheadBenchmark.email(i).getBytes(StandardCharsets.UTF_8)));
                fill.setBytes(4, floor.gcmSeal(InProcessOverheadBenchmark.ssn(i).getBytes(StandardCharsets.UTF_8)));
                fill.addBatch();
            }
            fill.executeBatch();
        }
        read100 = connection.prepareStatement("SELECT id, name, email, ssn FROM customers WHERE id >= ? AND id < ?");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
    }

    /** 100 rows, all four columns read, both values opened (200 decrypted). */
    @Benchmark
    public void read100(Blackhole bh) throws Exception {
        try (ResultSet rs = next100()) {
            while (rs.next()) {
                bh.consume(rs.getInt(1));
                bh.consume(rs.getString(2));
                bh.consume(text(floor.cbcHmacOpen(rs.getBytes(3))));
                bh.consume(text(floor.gcmOpen(rs.getBytes(4))));
            }
        }
    }

    /** 100 rows, {@code id}, {@code name} and {@code email} (HMAC-SHA-256 and AES-CBC) read. */
    @Benchmark
    public void read100Deterministic(Blackhole bh) throws Exception {
        try (ResultSet rs = next100()) {
            while (rs.next()) {
                bh.consume(rs.getInt(1));
                bh.consume(rs.getString(2));
                bh.consume(text(floor.cbcHmacOpen(rs.getBytes(3))));
            }
        }
    }

    /** 100 rows, {@code id}, {@code name} and {@code ssn} (AES-GCM) read. */
    @Benchmark
    public void read100Randomized(Blackhole bh) throws Exception {
        try (ResultSet rs = next100()) {
            while (rs.next()) {
                bh.consume(rs.getInt(1));
                bh.consume(rs.getString(2));
                bh.consume(text(floor.gcmOpen(rs.getBytes(4))));
            }
        }
    }

    private ResultSet next100() throws SQLException {
        next = (next + 7) % ROWS;
        int from = next % (ROWS - 100);
        read100.setInt(1, from);
        read100.setInt(2, from + 100);
        return read100.executeQuery();
    }

    private static String text(byte[] plaintext) {
        return new String(plaintext, StandardCharsets.UTF_8);
    }
}
