package io.envelope.jdbc.it.mariadb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real MariaDB server the MariaDB integration tests run against, as {@link io.envelope.jdbc.it.TestDatabase}
 * is for PostgreSQL: taken from {@code ENVELOPE_TEST_MARIADB_URL} (a plain {@code jdbc:mariadb://} URL with
 * credentials); when it is not set every test fails loudly with instructions. A missing database is never a skip.
 * In MariaDB a schema is a database: each test makes its own ({@link #freshDatabase}), so parallel runs don't
 * collide, and this JVM drops the ones it made when it exits.
 */
public final class MariaDbDatabase {

    public static final String URL_VARIABLE = "ENVELOPE_TEST_MARIADB_URL";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    private static volatile String url;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(MariaDbDatabase::dropCreated, "drop-test-databases"));
    }

    private MariaDbDatabase() {
    }

    /** The plain MariaDB Connector/J URL of the test server. */
    public static synchronized String jdbcUrl() {
        if (url == null) {
            url = locate();
        }
        return url;
    }

    /** The URL of the test server with {@code database} as the connection's database (its JDBC catalog). */
    public static String jdbcUrl(String database) {
        String base = jdbcUrl();
        int query = base.indexOf('?');
        String path = query < 0 ? base : base.substring(0, query);
        String params = query < 0 ? "" : base.substring(query);
        int slash = path.indexOf('/', "jdbc:mariadb://".length());
        return (slash < 0 ? path : path.substring(0, slash)) + "/" + database + params;
    }

    /**
     * The URL of the test server with {@code database} as its database, for MySQL Connector/J
     * ({@code jdbc:mysql:}, which MariaDB Connector/J leaves alone without {@code permitMysqlScheme}). It needs
     * no option of its own against MariaDB 10.11 (root, no password, no TLS on the test server).
     */
    public static String mysqlConnectorJUrl(String database) {
        return "jdbc:mysql:" + jdbcUrl(database).substring("jdbc:mariadb:".length());
    }

    /** A plain connection (no encryption), to look at what the server really stores. */
    public static Connection plainConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Creates a new empty database, unique in this run; returns its name. */
    public static String freshDatabase(String prefix) throws SQLException {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_"
                + Long.toString(System.nanoTime() % 1_000_000L, 36)).toLowerCase(Locale.ROOT);
        try (Connection c = plainConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        CREATED.add(name);
        return name;
    }

    private static void dropCreated() {
        if (CREATED.isEmpty() || url == null) {
            return;
        }
        try (Connection c = plainConnection(); Statement s = c.createStatement()) {
            for (String name : CREATED) {
                try {
                    s.execute("DROP DATABASE IF EXISTS " + name);
                } catch (SQLException e) {
                    // still locked by a process the test started: left for the next cleanup
                }
            }
        } catch (SQLException e) {
            // the server went away first: nothing to clean
        }
    }

    private static String locate() {
        String fromEnvironment = System.getenv(URL_VARIABLE);
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            throw new IllegalStateException("""
                    The MariaDB integration tests need a real MariaDB server, and none was named.
                    Set %s to a plain MariaDB Connector/J URL with credentials, for example
                        export %s='jdbc:mariadb://127.0.0.1:3306/test?user=root'
                    (`bash .ci/run` starts the local MariaDB and sets the variable for you.)"""
                    .formatted(URL_VARIABLE, URL_VARIABLE));
        }
        try (Connection ignored = DriverManager.getConnection(fromEnvironment)) {
            return fromEnvironment;
        } catch (SQLException e) {
            throw new IllegalStateException(URL_VARIABLE + " is set but the server cannot be reached ("
                    + e.getMessage() + "). Start MariaDB (see .ci/run) or fix the URL.", e);
        }
    }
}
