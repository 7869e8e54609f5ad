package io.envelope.jdbc.it.frameworks;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link HikariScenarios} on PostgreSQL through pgJDBC ({@code jdbc:envelope:postgresql://…}), with pgJDBC's
 * statement caching ({@code prepareThreshold}) as config-examples/hikari.properties sets it.
 */
class HikariExampleIT extends HikariScenarios {

    @BeforeAll
    static void schema() throws Exception {
        start(new Postgres(EncryptedDatabase.create("hikari", HikariTarget.CUSTOMERS)));
    }

    private record Postgres(EncryptedDatabase db) implements HikariTarget {

        @Override
        public void createCustomers() throws SQLException {
            db.executePlain("CREATE TABLE customers (id bigint PRIMARY KEY, email bytea UNIQUE, note text, plan text)");
        }

        @Override
        public String envelopeUrl() {
            return db.envelopeUrl();
        }

        @Override
        public String plainUrl() {
            return TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema());
        }

        @Override
        public Path configFile() {
            return db.configFile();
        }

        @Override
        public Map<String, String> driverOptions() {
            return Map.of("prepareThreshold", "1");                               // pgJDBC's statement caching
        }

        @Override
        public Class<?> driverConnectionClass() {
            return PGConnection.class;
        }

        @Override
        public long backendId(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }

        @Override
        public void kill(long backendId) throws SQLException {
            db.executePlain("SELECT pg_terminate_backend(" + backendId + ")");
        }

        @Override
        public Map<String, String> serverPrepareOptions() {
            return Map.of("prepareThreshold", "1");
        }

        @Override
        public void assertServerPrepared(PreparedStatement ps) throws SQLException {
            assertThat(ps.unwrap(PGStatement.class).isUseServerPrepare())
                    .as("the statement runs as a named server-side prepared statement").isTrue();
        }

        /** Nothing: bytea has no declared length for a ciphertext to exceed. */
        @Override
        public void assertOtherRefusals(Connection c, long id) {
        }

        @Override
        public void assertStoredAsCiphertext(String table, String column, String... plaintexts) throws SQLException {
            Ciphertext.assertStoredAsCiphertext(db, table, column, plaintexts);
        }
    }
}
