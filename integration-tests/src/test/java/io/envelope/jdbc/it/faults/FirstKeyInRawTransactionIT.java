package io.envelope.jdbc.it.faults;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * When no connection of the driver's own can be had (a wrapped pool with every connection in use), a table's first
 * key is written on the application's connection if that connection is in autocommit mode, so the key row commits
 * at once. A raw {@code BEGIN} sent through a Statement opens a transaction that JDBC's autocommit flag does not
 * show: the key row would then be inside the application's transaction, and a rollback would remove it while this
 * process kept using the key — values written later under it would be unreadable for good. The driver asks
 * pgJDBC for the session's real transaction state, so such a first write is refused with the same clear error as
 * one inside a JDBC transaction; after the rollback, the first write in autocommit makes the key, and every value
 * stays readable from a fresh process.
 */
@ExtendWith(QuietStderr.class)
class FirstKeyInRawTransactionIT {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFirstKeyIsNeverWrittenInsideATransactionOpenedWithARawBegin() throws Exception {
        EnvelopeRuntimes.clear();
        EncryptedDatabase db = EncryptedDatabase.create("rawbegin", """
                  notes:
                    columns:
                      body: { mode: randomized }
                """);
        db.executePlain("CREATE TABLE notes (id int PRIMARY KEY, body bytea)");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()));
        config.setMaximumPoolSize(1);           // the application's request holds the only connection
        config.setConnectionTimeout(1000);
        try (HikariDataSource hikari = new HikariDataSource(config)) {
            DataSource ds = new EnvelopeDataSource(hikari, db.configFile().toString());
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                assertThat(c.getAutoCommit()).isTrue();
                s.execute("BEGIN");
                Throwable refused = catchThrowable(() -> insert(c, 1, "SECRET one"));
                assertThat(refused).isInstanceOf(SQLException.class);
                assertThat(refused.getMessage()).startsWith("envelope-jdbc:").contains("transaction")
                        .doesNotContain("SECRET");
                // the refusal left the application's transaction usable (nothing failed on its connection)
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    assertThat(rs.next()).isTrue();
                }
                s.execute("ROLLBACK");
                insert(c, 2, "SECRET two");     // autocommit, no transaction open: the key commits at once
                insert(c, 3, "SECRET three");
            }
        }
        assertThat(db.keyRows(db.schema() + ".notes")).isEqualTo(1);
        EnvelopeRuntimes.clear();               // a fresh process: the key comes from the key table
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, body FROM notes ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getString(2)).isEqualTo("SECRET two");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("SECRET three");
            assertThat(rs.next()).isFalse();
        }
    }

    private static void insert(Connection c, int id, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, body) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, body);
            ps.executeUpdate();
        }
    }
}
