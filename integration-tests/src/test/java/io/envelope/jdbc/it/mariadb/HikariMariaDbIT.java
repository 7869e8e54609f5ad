package io.envelope.jdbc.it.mariadb;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.it.frameworks.HikariScenarios;
import io.envelope.jdbc.it.frameworks.HikariTarget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.ServerPreparedStatement;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The {@link HikariScenarios} on MariaDB ({@code jdbc:envelope:mariadb://…}): the three set-ups, validation of a
 * connection killed behind the pool's back ({@code KILL}), MariaDB Connector/J's server-side prepared statements
 * ({@code useServerPrepStmts}), refusals that keep the physical connection ({@code CONNECTION_ID()}), among them a
 * value too long for its VARBINARY column (22001); and a {@code connectionInitSql} that changes {@code sql_mode}.
 */
class HikariMariaDbIT extends HikariScenarios {

    private static EncryptedMariaDb db;

    @BeforeAll
    static void schema() throws Exception {
        db = EncryptedMariaDb.create("hikari", HikariTarget.CUSTOMERS);
        start(new MariaDb(db));
    }

    /**
     * Hikari's connectionInitSql changes sql_mode on every new connection (here to ANSI_QUOTES, where "…" is a
     * name): the wrapper reads the session again after it, so double-quoted names are names to the analysis too.
     */
    @Test
    void connectionInitSqlThatChangesSqlMode() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mariadb-init-sql");
        config.setJdbcUrl(db.envelopeUrl());
        config.addDataSourceProperty("envelope.config", db.configFile().toString());
        config.setConnectionInitSql("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')");
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            insert(pool, 700, "ansi@example.com", "quoted");
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT \"id\", \"note\" FROM \"customers\" WHERE \"email\" = ?")) {
                ps.setString(1, "ansi@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(700);
                    assertThat(rs.getString(2)).isEqualTo("quoted");
                }
            }
        }
        MariaDbCiphertext.assertStoredAsCiphertext(db, "customers", "note", "quoted");
    }

    private record MariaDb(EncryptedMariaDb db) implements HikariTarget {

        @Override
        public void createCustomers() throws SQLException {
            db.executePlain("CREATE TABLE customers (id BIGINT PRIMARY KEY, email VARBINARY(120) UNIQUE, note TEXT,"
                    + " plan VARCHAR(20))");
        }

        @Override
        public String envelopeUrl() {
            return db.envelopeUrl();
        }

        @Override
        public String plainUrl() {
            return db.plainUrl();
        }

        @Override
        public Path configFile() {
            return db.configFile();
        }

        @Override
        public Map<String, String> driverOptions() {
            return Map.of();
        }

        @Override
        public Class<?> driverConnectionClass() {
            return org.mariadb.jdbc.Connection.class;
        }

        @Override
        public long backendId(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public void kill(long backendId) throws SQLException {
            db.executePlain("KILL " + backendId);
        }

        @Override
        public Map<String, String> serverPrepareOptions() {
            return Map.of("useServerPrepStmts", "true");
        }

        @Override
        public void assertServerPrepared(PreparedStatement ps) throws SQLException {
            assertThat(ps.isWrapperFor(ServerPreparedStatement.class)).isTrue();
        }

        /** A value whose ciphertext is longer than VARBINARY(120) is refused before it is sent. */
        @Override
        public void assertOtherRefusals(Connection c, long id) {
            Throwable tooLong = catchThrowable(() -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET email = ? WHERE id = ?")) {
                    ps.setString(1, "x".repeat(200) + "@example.com");
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
            });
            assertThat(tooLong).isInstanceOf(SQLDataException.class);
            assertThat(tooLong.getMessage()).startsWith("envelope-jdbc: ").doesNotContain("xxxxx");
            assertThat(((SQLException) tooLong).getSQLState()).isEqualTo("22001");
        }

        @Override
        public void assertStoredAsCiphertext(String table, String column, String... plaintexts) throws SQLException {
            MariaDbCiphertext.assertStoredAsCiphertext(db, table, column, plaintexts);
        }
    }
}
