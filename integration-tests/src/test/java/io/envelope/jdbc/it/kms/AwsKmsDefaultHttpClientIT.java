package io.envelope.jdbc.it.kms;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.kms.TestKmsEndpoint;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Runs in its own failsafe execution (pom.xml, aws-sdk-default-http-client) whose class path has
 * {@code software.amazon.awssdk:kms} with the SDK's default synchronous HTTP client (apache-client) and without
 * url-connection-client: what a user who adds only {@code kms} gets. An aws-kms connection works there.
 */
class AwsKmsDefaultHttpClientIT {

    @Test
    void anAwsKmsConnectionWorksWithOnlyTheKmsArtifactAndItsDefaultHttpClient() throws Exception {
        assertThat(catchThrowable(() -> Class.forName("software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient")))
                .as("this execution's class path has no url-connection-client").isInstanceOf(ClassNotFoundException.class);
        assertThat(Class.forName("software.amazon.awssdk.http.apache.ApacheHttpClient")).isNotNull();

        AwsKmsDatabase.useDummyCredentialsUnlessReal();
        try (TestKmsEndpoint kms = TestKmsEndpoint.start()) {
            kms.alias("alias/app-data", kms.createKey());
            AwsKmsDatabase db = AwsKmsDatabase.onEndpoint("defaulthttp", kms, "alias/app-data", """
                      customers:
                        columns:
                          email: { mode: deterministic }
                    """, "");
            db.executePlain("CREATE TABLE customers (id bigint PRIMARY KEY, email bytea)");
            EnvelopeRuntimes.clear();
            try (Connection c = db.connect();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO customers VALUES (?, ?)")) {
                insert.setLong(1, 1);
                insert.setString(2, "ada@example.com");
                insert.executeUpdate();
            }
            EnvelopeRuntimes.clear();
            try (Connection c = db.connect();
                 PreparedStatement select = c.prepareStatement("SELECT id FROM customers WHERE email = ?")) {
                select.setString(1, "ada@example.com");
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            }
            assertThat(kms.calls("GenerateDataKey")).isEqualTo(1);
            assertThat(kms.calls("Decrypt")).isEqualTo(1);
        } finally {
            EnvelopeRuntimes.clear();
        }
    }
}
