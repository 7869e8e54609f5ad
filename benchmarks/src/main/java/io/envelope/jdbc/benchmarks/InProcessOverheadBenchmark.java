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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What the wrapper adds to a statement's client CPU, with the database taken out of the picture: the target is H2
 * in memory, in this process, so a statement costs no socket and no server, only H2's own work, which both variants
 * do alike. {@code sized}: plain H2, the same table with the very bytes envelope-jdbc stored (copied), and values of
 * the stored sizes bound as bytes; {@code envelope}: envelope-jdbc over the same H2, {@code email} deterministic and
 * {@code ssn} randomized. {@code envelope − sized} is the wrapper's cost per statement (crypto included; subtract
 * {@link ColumnCipherBenchmark}'s figures for what is beyond it), and for {@code read100}, per 100 rows of two
 * values. No INSERT: a table growing by a million rows a second made H2's own timing too noisy to compare; UPDATE
 * binds and encrypts the same two values through the same path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InProcessOverheadBenchmark {

    private static final int ROWS = 1_000;

    @Param({"sized", "envelope"})
    public String variant;

    private Connection connection;
    private PreparedStatement point;
    private PreparedStatement lookup;
    private PreparedStatement update;
    private PreparedStatement read100;
    /** For {@code sized}: the stored values of each row, bound as they are (the anchor's values). */
    private byte[][] storedEmails;
    private byte[][] storedSsns;
    /** Each row's plaintexts, made once: the benchmark measures binding them, not formatting them. */
    private final String[] emails = new String[ROWS];
    private final String[] ssns = new String[ROWS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        for (int i = 0; i < ROWS; i++) {
            emails[i] = email(i);
            ssns[i] = ssn(i);
        }
        String db = "jdbc:h2:mem:overhead_" + variant + "_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        Connection plain = DriverManager.getConnection(db);
        try (Statement s = plain.createStatement()) {
            for (String table : new String[] {"customers", "sized"}) {
                s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name varchar(100), email varbinary(200),"
                        + " ssn varbinary(200))");
            }
            s.execute("CREATE INDEX ON customers (email)");
            s.execute("CREATE INDEX ON sized (email)");
        }
        Connection envelope = envelopeConnection(db);
        try (PreparedStatement fill = envelope.prepareStatement(
                "INSERT INTO customers (id, name, email, ssn) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                fill.setInt(1, i);
                fill.setString(2, "name " + i);
                fill.setString(3, email(i));
                fill.setString(4, ssn(i));
                fill.addBatch();
            }
            fill.executeBatch();
        }
        storedEmails = new byte[ROWS][];
        storedSsns = new byte[ROWS][];
        try (Statement s = plain.createStatement()) {
            s.execute("INSERT INTO sized SELECT * FROM customers");
            try (ResultSet rs = s.executeQuery("SELECT id, email, ssn FROM sized")) {
                while (rs.next()) {
                    storedEmails[rs.getInt(1)] = rs.getBytes(2);
                    storedSsns[rs.getInt(1)] = rs.getBytes(3);
                }
            }
        }
        boolean wrapped = variant.equals("envelope");
        connection = wrapped ? envelope : plain;
        (wrapped ? plain : envelope).close();
        String table = wrapped ? "customers" : "sized";
        point = connection.prepareStatement("SELECT id, name, email, ssn FROM " + table + " WHERE id = ?");
        lookup = connection.prepareStatement("SELECT id, name, email, ssn FROM " + table + " WHERE email = ?");
        update = connection.prepareStatement("UPDATE " + table + " SET email = ?, ssn = ? WHERE id = ?");
        read100 = connection.prepareStatement("SELECT id, name, email, ssn FROM " + table + " WHERE id >= ? AND id < ?");
    }

    private static Connection envelopeConnection(String h2Url) throws Exception {
        new EnvelopeDriver();
        Path config = LocalKeyConfig.write(Files.createTempDirectory("envelope-overhead"), """
                tables:
                  customers:
                    columns:
                      email: { mode: deterministic }
                      ssn:   { mode: randomized }
                """);
        Properties properties = new Properties();
        properties.setProperty("envelope.config", config.toString());
        return DriverManager.getConnection("jdbc:envelope:" + h2Url.substring("jdbc:".length()), properties);
    }

    static String email(int i) {
        return "user" + i + "@example.com";
    }

    static String ssn(int i) {
        return String.format("%03d-%02d-%04d", i % 1000, i % 100, i);
    }

    /** Binds row {@code i}'s email and ssn: the plaintexts through the wrapper, the stored bytes without it. */
    private void bindValues(PreparedStatement ps, int emailAt, int ssnAt, int i) throws SQLException {
        if (variant.equals("envelope")) {
            ps.setString(emailAt, emails[i]);
            ps.setString(ssnAt, ssns[i]);
        } else {
            ps.setBytes(emailAt, storedEmails[i]);
            ps.setBytes(ssnAt, storedSsns[i]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
    }

    private int nextRow() {
        next = (next + 7) % ROWS;
        return next;
    }

    /** A point SELECT by id, all four columns read (two decrypted). */
    @Benchmark
    public void point(Blackhole bh) throws SQLException {
        point.setInt(1, nextRow());
        readAll(point, bh);
    }

    /** An equality lookup on the deterministic column (one encryption), all four columns read. */
    @Benchmark
    public void lookup(Blackhole bh) throws SQLException {
        int i = nextRow();
        if (variant.equals("envelope")) {
            lookup.setString(1, emails[i]);
        } else {
            lookup.setBytes(1, storedEmails[i]);
        }
        readAll(lookup, bh);
    }

    /** UPDATE of both encrypted columns by id (the same values again: the table stays as it is). */
    @Benchmark
    public int update() throws SQLException {
        int i = nextRow();
        bindValues(update, 1, 2, i);
        update.setInt(3, i);
        return update.executeUpdate();
    }

    /** 100 rows, all four columns read (200 values decrypted). */
    @Benchmark
    public void read100(Blackhole bh) throws SQLException {
        int from = nextRow() % (ROWS - 100);
        read100.setInt(1, from);
        read100.setInt(2, from + 100);
        readAll(read100, bh);
    }

    /** 100 rows, {@code id}, {@code name} and the deterministic {@code email} read (100 values decrypted). */
    @Benchmark
    public void read100Deterministic(Blackhole bh) throws SQLException {
        readOne100(3, bh);
    }

    /** 100 rows, {@code id}, {@code name} and the randomized {@code ssn} read (100 values decrypted). */
    @Benchmark
    public void read100Randomized(Blackhole bh) throws SQLException {
        readOne100(4, bh);
    }

    private void readOne100(int encryptedColumn, Blackhole bh) throws SQLException {
        int from = nextRow() % (ROWS - 100);
        read100.setInt(1, from);
        read100.setInt(2, from + 100);
        boolean wrapped = variant.equals("envelope");
        try (ResultSet rs = read100.executeQuery()) {
            while (rs.next()) {
                bh.consume(rs.getInt(1));
                bh.consume(rs.getString(2));
                bh.consume(wrapped ? rs.getString(encryptedColumn) : rs.getBytes(encryptedColumn));
            }
        }
    }

    private void readAll(PreparedStatement ps, Blackhole bh) throws SQLException {
        boolean wrapped = variant.equals("envelope");
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                bh.consume(rs.getInt(1));
                bh.consume(rs.getString(2));
                // what each application reads: the plaintext through the wrapper, the stored bytes without it
                bh.consume(wrapped ? rs.getString(3) : rs.getBytes(3));
                bh.consume(wrapped ? rs.getString(4) : rs.getBytes(4));
            }
        }
    }
}
