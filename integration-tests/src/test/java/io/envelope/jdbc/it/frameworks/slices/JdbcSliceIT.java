package io.envelope.jdbc.it.frameworks.slices;

import com.zaxxer.hikari.HikariDataSource;
import io.envelope.jdbc.driver.EnvelopeConnection;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @JdbcTest} against the real PostgreSQL ({@code replace = NONE}): the slice's DataSource is a HikariCP pool
 * of envelope-jdbc connections, configured by the {@code envelope.*} properties of the test.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcSliceIT {

    private static EncryptedDatabase db;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        db = EncryptedDatabase.create("jdbcslice", "");
        db.executePlain("CREATE TABLE tokens (id int PRIMARY KEY, secret bytea, owner varchar(64))");
        registry.add("spring.datasource.url", () -> TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()));
        registry.add("envelope.kms.provider", () -> "local");
        registry.add("envelope.kms.master-key-file", () -> db.masterKeyFile().toString());
        registry.add("envelope.key-table", () -> db.keyTable());
        registry.add("envelope.tables.tokens.columns.secret.mode", () -> "deterministic");
    }

    @AfterAll
    static void dropSchema() throws Exception {
        db.executePlain("DROP SCHEMA " + db.schema() + " CASCADE");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void theSlicesPoolHoldsEnvelopeConnections() throws Exception {
        assertThat(dataSource).isInstanceOf(HikariDataSource.class);
        try (Connection c = dataSource.getConnection()) {
            assertThat(c.isWrapperFor(EnvelopeConnection.class)).isTrue();
        }
        jdbc.update("INSERT INTO tokens (id, secret, owner) VALUES (?, ?, ?)", 1, "s3cr3t-token-value", "ops");
        assertThat(jdbc.queryForObject("SELECT owner FROM tokens WHERE secret = ?", String.class,
                "s3cr3t-token-value")).isEqualTo("ops");
        Ciphertext.assertStoredAsCiphertext(db, "tokens", "secret", "s3cr3t-token-value");
    }
}
