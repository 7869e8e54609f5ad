package io.envelope.jdbc.it.frameworks.slices;

import io.envelope.jdbc.EnvelopeDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @DataJpaTest} as it comes: Spring Boot replaces the DataSource with an embedded H2 database, and the
 * envelope-jdbc auto-configuration (part of the slice) wraps that one, so repository tests run on encrypted columns.
 */
@DataJpaTest
class DataJpaSliceIT {

    @DynamicPropertySource
    static void envelope(DynamicPropertyRegistry registry) throws IOException {
        registry.add("envelope.kms.provider", () -> "local");
        registry.add("envelope.kms.master-key-file", DataJpaSliceIT::masterKeyFile);
        registry.add("envelope.tables.cards.columns.email.mode", () -> "deterministic");
        registry.add("envelope.tables.cards.columns.holder.mode", () -> "randomized");
    }

    static String masterKeyFile() {
        try {
            Path file = Files.createTempFile("envelope-slice", ".key");
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            return file.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    CardRepository cards;

    @Autowired
    DataSource dataSource;

    @Test
    void repositoriesWorkOnEncryptedColumnsOfTheEmbeddedTestDatabase() throws Exception {
        assertThat(dataSource).isInstanceOf(EnvelopeDataSource.class);
        cards.saveAndFlush(new Card("ada@example.com", "Ada Lovelace"));
        cards.saveAndFlush(new Card("alan@example.com", "Alan Turing"));

        assertThat(cards.findByEmail("alan@example.com")).get().extracting(Card::getHolder)
                .isEqualTo("Alan Turing");
        assertThat(cards.findByEmail("nobody@example.com")).isEmpty();

        // the test's own transaction, read around the wrapper on the raw H2 connection
        Connection transactional = DataSourceUtils.getConnection(dataSource);
        Connection raw = transactional.unwrap(org.h2.jdbc.JdbcConnection.class);
        int rows = 0;
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, holder FROM cards")) {
            while (rs.next()) {
                for (int column = 1; column <= 2; column++) {
                    byte[] stored = rs.getBytes(column);
                    assertThat(stored[0]).as("envelope format version byte").isEqualTo((byte) 1);
                    String text = new String(stored, StandardCharsets.ISO_8859_1);
                    assertThat(text).doesNotContain("example.com").doesNotContain("Lovelace").doesNotContain("Turing");
                }
                rows++;
            }
        }
        assertThat(rows).isEqualTo(2);
    }
}
