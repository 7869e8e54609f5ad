package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.EnvelopeDriver;
import io.envelope.jdbc.kms.LocalMasterKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 8, "Targets whose SQL the analysis does not model": the dialect is decided once per connection from the
 * database's product name. H2 (real, embedded) gets its own literal syntax for ciphertexts; any database other
 * than PostgreSQL, MariaDB, MySQL and H2 is refused at connect.
 */
class DialectOnConnectTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path dir;
    private Path config;
    private String h2Url;

    @BeforeEach
    void setUp() throws Exception {
        new EnvelopeDriver();
        Path masterKey = LocalMasterKeys.write(dir);
        config = dir.resolve("envelope.yaml");
        Files.writeString(config, """
                version: 1
                kms:
                  provider: local
                  master-key-file: %s
                tables:
                  customers:
                    columns:
                      email: { mode: deterministic }
                      note:  { mode: randomized }
                """.formatted(masterKey));
        h2Url = "jdbc:h2:mem:dialect" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(h2Url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY, email VARBINARY(1000), note VARBINARY(1000), "
                    + "name VARCHAR(100))");
        }
    }

    private Connection envelope() throws SQLException {
        Properties p = new Properties();
        p.setProperty("envelope.config", config.toString());
        return DriverManager.getConnection("jdbc:envelope:" + h2Url.substring("jdbc:".length()), p);
    }

    @Test
    void literalInsertAndLiteralLookupRoundTripOnH2() throws SQLException {
        try (Connection c = envelope(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customers (id, email, note, name) VALUES (1, 'a@example.com', 'hello', 'A')");
            try (ResultSet rs = s.executeQuery("SELECT id, email, note FROM customers WHERE email = 'a@example.com'")) {
                assertThat(rs.next()).as("the literal lookup matches the literal insert").isTrue();
                assertThat(rs.getString("email")).isEqualTo("a@example.com");
                assertThat(rs.getString("note")).isEqualTo("hello");
            }
        }
        try (Connection plain = DriverManager.getConnection(h2Url);
             PreparedStatement ps = plain.prepareStatement("SELECT email FROM customers WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            byte[] stored = rs.getBytes(1);
            // The ciphertext itself (X'...'), not the bytes of the text '\x...' (what '\x...'::bytea became on H2).
            assertThat(stored[0]).isNotEqualTo((byte) '\\');
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("a@example.com");
        }
    }

    @Test
    void aDatabaseWhoseSqlIsNotModelledIsRefusedAtConnect() {
        Throwable thrown = catchThrowable(() -> new EnvelopeDataSource(standIn("Oracle", "Oracle JDBC driver"),
                config.toString()).getConnection());
        assertThat(thrown).isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("Oracle")
                .hasMessageContaining("PostgreSQL")
                .hasMessageContaining("MariaDB")
                .hasMessageContaining("H2");
    }

    @Test
    void aMySqlTargetBehindAnotherDriverThanMariaDbConnectorJIsRefusedAtConnect() {
        // Its placeholder scan is not traced, so it could bind values where the analysis did not number them.
        Throwable thrown = catchThrowable(() -> new EnvelopeDataSource(standIn("MySQL", "MySQL Connector/J"),
                config.toString()).getConnection());
        assertThat(thrown).isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("MySQL Connector/J")
                .hasMessageContaining("MariaDB Connector/J")
                .hasMessageContaining("permitMysqlScheme");
    }

    /** Connections to the H2 database whose metadata names another product and driver. */
    private javax.sql.DataSource standIn(String product, String driver) {
        return (javax.sql.DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> product + " stand-in";
                    case "getConnection" -> {
                        Connection h2 = DriverManager.getConnection(h2Url);
                        DatabaseMetaData real = h2.getMetaData();
                        DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(
                                getClass().getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                                (p, m, a) -> switch (m.getName()) {
                                    case "getDatabaseProductName" -> product;
                                    case "getDriverName" -> driver;
                                    default -> m.invoke(real, a);
                                });
                        yield Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                                (p, m, a) -> m.getName().equals("getMetaData") ? meta : m.invoke(h2, a));
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
