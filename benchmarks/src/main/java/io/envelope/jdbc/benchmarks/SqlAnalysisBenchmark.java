package io.envelope.jdbc.benchmarks;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.config.KmsConfig;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.config.TableConfig;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.Catalog;
import io.envelope.jdbc.sql.SqlAnalyzer;
import io.envelope.jdbc.sql.StatementPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cost of SQL analysis ({@link SqlAnalyzer#plan}): a cached lookup of a statement already seen, and a first
 * analysis (token scan, JSqlParser parse, clause rules, parameter numbering) of typical Hibernate statements.
 * Each "first" invocation uses a fresh {@code SqlAnalyzer}, so it never hits the cache; the catalog is a map
 * (no database), as the driver's catalog is once its per-process metadata cache is warm.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SqlAnalysisBenchmark {

    static final String HIBERNATE_SELECT =
            "select c1_0.id,c1_0.email,c1_0.name from customers c1_0 where c1_0.email=?";
    static final String HIBERNATE_INSERT =
            "insert into customers (balance,birth_date,email,name,note,ssn,id) values (?,?,?,?,?,?,?)";
    static final String UNCONFIGURED = "select o1_0.id,o1_0.total from orders o1_0 where o1_0.customer_id=?";
    /** A 20 KB statement on an unconfigured table (a long generated IN list). */
    static final String UNCONFIGURED_20KB = "select o1_0.id from orders o1_0 where o1_0.id in ("
            + "?,".repeat(10_000) + "?)";

    private Catalog catalog;
    private SqlAnalyzer warm;

    @Setup
    public void setup() throws SQLException {
        Map<String, ColumnConfig> columns = new LinkedHashMap<>();
        columns.put("email", col("email", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT, null));
        columns.put("ssn", col("ssn", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT, null));
        columns.put("note", col("note", EncryptionMode.RANDOMIZED, PlaintextType.TEXT, null));
        columns.put("birth_date", col("birth_date", EncryptionMode.RANDOMIZED, PlaintextType.DATE, null));
        columns.put("balance", col("balance", EncryptionMode.RANDOMIZED, PlaintextType.DECIMAL, 2));
        Map<String, TableConfig> tables = new LinkedHashMap<>();
        tables.put("customers", new TableConfig("customers", columns));
        EnvelopeConfig config = new EnvelopeConfig(1,
                new KmsConfig("local", null, null, null, null, List.of(), null, "K"),
                EnvelopeConfig.DEFAULT_KEY_TABLE, true, EnvelopeConfig.DEFAULT_KEY_CACHE_TTL, 1, tables, "bench");
        EncryptionSchema schema = new EncryptionSchema(config, "public", IdentifierCase.LOWER);
        Map<String, List<String>> physical = Map.of(
                "public.customers", List.of("id", "email", "ssn", "note", "birth_date", "balance", "name"),
                "public.orders", List.of("id", "customer_id", "total"));
        catalog = new Catalog() {
            @Override
            public EncryptionSchema schema() {
                return schema;
            }

            @Override
            public List<String> columnNames(String schemaName, String table) {
                return physical.getOrDefault((schemaName == null ? "public" : schemaName) + "." + table, List.of());
            }
        };
        warm = new SqlAnalyzer(1000);
        warm.plan(HIBERNATE_SELECT, catalog);
        warm.plan(HIBERNATE_INSERT, catalog);
        warm.plan(UNCONFIGURED, catalog);
        warm.plan(UNCONFIGURED_20KB, catalog);
    }

    private static ColumnConfig col(String name, EncryptionMode mode, PlaintextType type, Integer scale) {
        return new ColumnConfig(name, mode, type, scale, null, 0, false);
    }

    @Benchmark
    public StatementPlan cachedSelect() throws SQLException {
        return warm.plan(HIBERNATE_SELECT, catalog);
    }

    @Benchmark
    public StatementPlan cachedInsert() throws SQLException {
        return warm.plan(HIBERNATE_INSERT, catalog);
    }

    @Benchmark
    public StatementPlan firstSelect() throws SQLException {
        return new SqlAnalyzer(16).plan(HIBERNATE_SELECT, catalog);
    }

    @Benchmark
    public StatementPlan firstInsert() throws SQLException {
        return new SqlAnalyzer(16).plan(HIBERNATE_INSERT, catalog);
    }

    /** SQL that names no configured table: the token scan only, no parse. */
    @Benchmark
    public StatementPlan firstUnconfigured() throws SQLException {
        return new SqlAnalyzer(16).plan(UNCONFIGURED, catalog);
    }

    /** The same SQL again on an analyzer that has seen it: what every execution of unconfigured SQL costs. */
    @Benchmark
    public StatementPlan repeatedUnconfigured() throws SQLException {
        return warm.plan(UNCONFIGURED, catalog);
    }

    /** A 20 KB statement on an unconfigured table, seen before. */
    @Benchmark
    public StatementPlan repeatedUnconfigured20KB() throws SQLException {
        return warm.plan(UNCONFIGURED_20KB, catalog);
    }
}
