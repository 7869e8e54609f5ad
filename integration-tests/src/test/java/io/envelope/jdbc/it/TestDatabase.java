package io.envelope.jdbc.it;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL server the integration tests run against.
 *
 * <p>Taken from {@code ENVELOPE_TEST_JDBC_URL} (a plain {@code jdbc:postgresql://} URL with credentials) when
 * set; otherwise from Testcontainers when a Docker engine is reachable; otherwise every test fails loudly with
 * instructions. A missing database is never a skip.
 */
public final class TestDatabase {

    public static final String URL_VARIABLE = "ENVELOPE_TEST_JDBC_URL";

    private static final AtomicInteger SCHEMA_COUNTER = new AtomicInteger();
    /** The schemas this JVM made, dropped when it exits (so a test run leaves the test database as it found it). */
    private static final Set<String> CREATED_SCHEMAS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreatedSchemas, "drop-test-schemas"));
    }
    private static volatile String url;

    private TestDatabase() {
    }

    /** The plain pgJDBC URL of the test database. */
    public static synchronized String jdbcUrl() {
        if (url == null) {
            url = locate();
        }
        return url;
    }

    /** The same database as a {@code jdbc:envelope:} URL. */
    public static String envelopeUrl() {
        return "jdbc:envelope:" + jdbcUrl().substring("jdbc:".length());
    }

    /** A plain pgJDBC connection (no encryption), to look at what the database really stores. */
    public static Connection plainConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /**
     * Creates a new empty schema, unique in this run, so tests don't see each other's tables or key rows.
     * Returns its name.
     */
    public static String freshSchema(String prefix) throws SQLException {
        String schema = (prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMA_COUNTER.incrementAndGet()
                + "_" + Long.toString(System.nanoTime() % 1_000_000L, 36)).toLowerCase(Locale.ROOT);
        try (Connection c = plainConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        CREATED_SCHEMAS.add(schema);
        return schema;
    }

    /**
     * Drops every schema made by {@link #freshSchema} in this JVM, and the ones tests named after them
     * ({@code <schema>_b}), with everything in them. Best effort: the JVM is exiting.
     */
    private static void dropCreatedSchemas() {
        if (CREATED_SCHEMAS.isEmpty() || url == null) {
            return;
        }
        try (Connection c = plainConnection(); Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '5s'");
            for (String schema : CREATED_SCHEMAS) {
                List<String> names = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname = '" + schema
                        + "' OR nspname LIKE '" + schema + "\\_%'")) {
                    while (r.next()) {
                        names.add(r.getString(1));
                    }
                }
                for (String name : names) {
                    try {
                        s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
                    } catch (SQLException e) {
                        // still in use by a process the test started, or locked: left for the next cleanup
                    }
                }
            }
        } catch (SQLException e) {
            // the database went away first: nothing to clean
        }
    }

    /** Appends {@code currentSchema=...} so unqualified names on the connection resolve to {@code schema}. */
    public static String withSchema(String jdbcUrl, String schema) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String locate() {
        String fromEnvironment = System.getenv(URL_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            checkReachable(fromEnvironment);
            return fromEnvironment;
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return container.getJdbcUrl() + "&user=" + container.getUsername()
                    + "&password=" + container.getPassword();
        }
        throw new IllegalStateException("""
                The integration tests need a real PostgreSQL server, and none was found.
                Either set %s to a plain pgJDBC URL with credentials, for example
                    export %s='jdbc:postgresql://127.0.0.1:5432/test?user=postgres'
                or make a Docker engine available so Testcontainers can start one.
                (`bash .ci/run` starts the local PostgreSQL and sets the variable for you.)"""
                .formatted(URL_VARIABLE, URL_VARIABLE));
    }

    private static void checkReachable(String jdbcUrl) {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl)) {
            // reachable
        } catch (SQLException e) {
            throw new IllegalStateException(URL_VARIABLE + " is set but the database cannot be reached ("
                    + e.getMessage() + "). Start PostgreSQL (see .ci/run) or fix the URL.", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
