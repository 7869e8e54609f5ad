package io.envelope.jdbc.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Every configuration error is raised by connect() and names what is wrong (see docs/configuration.md, Where the configuration comes from; docs/configuration.md). */
class ConfigErrorIT {

    @Test
    void aMisspelledModeFailsAtConnectNamingTheKeyPath() throws Exception {
        Path config = Files.createTempFile("envelope-bad", ".yaml");
        Files.writeString(config, """
                version: 1
                kms:
                  provider: local
                  master-key-env: SOME_KEY_VARIABLE
                tables:
                  customers:
                    columns:
                      email: { mode: determinstic }
                """);
        Throwable failure = catchThrowable(() -> connect(config.toString()));
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:")
                .contains("tables.customers.columns.email.mode").contains("determinstic").contains("line 8");
    }

    @Test
    void aMissingConfigurationFileFailsAtConnectNamingIt() {
        Throwable failure = catchThrowable(() -> connect("/nonexistent/envelope.yaml"));
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains("/nonexistent/envelope.yaml");
    }

    @Test
    void aMissingMasterKeyFailsAtConnect() throws Exception {
        Path config = Files.createTempFile("envelope-nokey", ".yaml");
        Files.writeString(config, """
                version: 1
                kms:
                  provider: local
                  master-key-file: /nonexistent/master.key
                tables:
                  customers:
                    columns:
                      email: { mode: deterministic }
                """);
        Throwable failure = catchThrowable(() -> connect(config.toString()));
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains("/nonexistent/master.key");
    }

    private static void connect(String configLocation) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("envelope.config", configLocation);
        DriverManager.getConnection(TestDatabase.envelopeUrl(), properties).close();
    }
}
