package io.envelope.jdbc.it.frameworks.autoconfig;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.kms.TestKmsEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Actuator shows of envelope-jdbc, through its health and metrics endpoints: the {@code envelope} health
 * indicator (UP with the KMS and key table details; DOWN when the KMS refuses or the key table cannot be read), and
 * the envelope meters moving with what the application did.
 */
class ActuatorIT {

    private static final String ACTUATOR = """
            management:
              endpoints:
                web:
                  exposure:
                    include: health,metrics
              endpoint:
                health:
                  show-details: always
            """;

    private static EncryptedDatabase db;
    private static TestKmsEndpoint kms;

    @BeforeAll
    static void createTable() throws Exception {
        db = EncryptedDatabase.create("actuator", """
                  accounts:
                    columns:
                      iban: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE accounts (id int PRIMARY KEY, iban bytea)");
        kms = TestKmsEndpoint.start();
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "AKIDEXAMPLE"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "test-secret-not-real"));
    }

    @AfterAll
    static void stopKms() {
        if (kms != null) {
            kms.close();
        }
    }

    private static String application(String kmsBlock, String keyTable) {
        return """
                spring:
                  datasource:
                    url: %s
                envelope:
                  kms:
                %s
                  key-table: %s
                  tables:
                    accounts:
                      columns:
                        iban: { mode: deterministic }
                """.formatted(TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()), kmsBlock, keyTable)
                + ACTUATOR;
    }

    private static String localKms() {
        return "    provider: local\n    master-key-file: " + db.masterKeyFile();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(IndicatedHealthDescriptor health, String name) {
        return (Map<String, Object>) health.getDetails().get(name);
    }

    private static double metric(ConfigurableApplicationContext app, String name, String... tags) {
        MetricsEndpoint.MetricDescriptor metric = app.getBean(MetricsEndpoint.class).metric(name, List.of(tags));
        assertThat(metric).as("metric %s %s", name, List.of(tags)).isNotNull();
        return metric.getMeasurements().get(0).getValue();
    }

    @Test
    void healthIsUpWithItsDetailsAndTheMetersMoveWithTheApplication() throws Exception {
        try (ConfigurableApplicationContext app = BootApp.start(application(localKms(), db.keyTable()))) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            double encrypted = metric(app, "envelope.values.encrypted");
            double decrypted = metric(app, "envelope.values.decrypted");
            double orderBy = metric(app, "envelope.refusals", "reason:order-by");

            jdbc.update("INSERT INTO accounts (id, iban) VALUES (?, ?)", 1, "DE89370400440532013000");
            jdbc.update("INSERT INTO accounts (id, iban) VALUES (?, ?)", 2, "GB29NWBK60161331926819");
            assertThat(jdbc.queryForList("SELECT iban FROM accounts WHERE id IN (1, 2)", String.class)).hasSize(2);
            assertThatThrownBy(() -> jdbc.queryForList("SELECT id FROM accounts ORDER BY iban"))
                    .hasMessageContaining("envelope-jdbc: ORDER BY on encrypted column");

            assertThat(metric(app, "envelope.values.encrypted") - encrypted).isEqualTo(2);
            assertThat(metric(app, "envelope.values.decrypted") - decrypted).isEqualTo(2);
            assertThat(metric(app, "envelope.refusals", "reason:order-by") - orderBy).isEqualTo(1);
            assertThat(metric(app, "envelope.kms.calls", "operation:GenerateDataKey")).isPositive();
            assertThat(metric(app, "envelope.data.key.cache.gets", "result:hit")).isPositive();
            assertThat(app.getBean(MetricsEndpoint.class).listNames().getNames())
                    .contains("envelope.kms.latency", "envelope.kms.failures", "envelope.data.key.cache.refreshes");

            IndicatedHealthDescriptor health = (IndicatedHealthDescriptor) app.getBean(HealthEndpoint.class)
                    .healthForPath("envelope");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(detail(health, "kms")).containsEntry("provider", "local").containsEntry("reachable", true);
            assertThat((String) detail(health, "kms").get("masterKey")).startsWith("local:");
            assertThat(detail(health, "keyTable")).containsEntry("name", db.keyTable())
                    .containsEntry("readable", true).containsEntry("keyVersions", 1).containsEntry("tables", 1);
            assertThat(health.getDetails().get("cachedDataKeys")).isEqualTo(1);
        }
    }

    @Test
    void healthIsDownWhenTheKeyTableCannotBeRead() throws Exception {
        String missing = db.schema() + ".no_such_key_table";
        try (ConfigurableApplicationContext app = BootApp.start(application(localKms(), missing)
                .replace("envelope:\n", "envelope:\n  create-key-table: false\n"))) {
            IndicatedHealthDescriptor health = (IndicatedHealthDescriptor) app.getBean(HealthEndpoint.class)
                    .healthForPath("envelope");
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(detail(health, "keyTable")).containsEntry("readable", false);
            assertThat((String) detail(health, "keyTable").get("error"))
                    .startsWith("envelope-jdbc: key table " + missing + " does not exist");
            assertThat(app.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void healthIsDownWhenTheKmsKeyIsDisabledAndUpAgainWhenEnabled() throws Exception {
        String key = kms.createKey();
        String awsKms = "    provider: aws-kms\n    key-id: " + key + "\n    region: " + TestKmsEndpoint.REGION
                + "\n    endpoint: " + kms.url();
        try (ConfigurableApplicationContext app = BootApp.start(application(awsKms, db.schema() + ".aws_keys"))) {
            HealthEndpoint endpoint = app.getBean(HealthEndpoint.class);
            int describes = kms.calls("DescribeKey");
            assertThat(endpoint.healthForPath("envelope").getStatus()).isEqualTo(Status.UP);
            assertThat(kms.calls("DescribeKey")).as("each check asks KMS once").isEqualTo(describes + 1);

            kms.disable(key);
            IndicatedHealthDescriptor down = (IndicatedHealthDescriptor) endpoint.healthForPath("envelope");
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(detail(down, "kms")).containsEntry("provider", "aws-kms").containsEntry("reachable", false)
                    .containsEntry("masterKey", key);
            assertThat((String) detail(down, "kms").get("error")).contains(key).contains("Disabled");

            kms.deny("DescribeKey");
            IndicatedHealthDescriptor denied = (IndicatedHealthDescriptor) endpoint.healthForPath("envelope");
            assertThat(denied.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) detail(denied, "kms").get("error")).contains("AccessDeniedException");

            kms.allow("DescribeKey");
            kms.enable(key);
            assertThat(endpoint.healthForPath("envelope").getStatus()).isEqualTo(Status.UP);
            assertThat(metric(app, "envelope.kms.calls", "operation:DescribeKey")).isPositive();
            assertThat(metric(app, "envelope.kms.failures", "operation:DescribeKey")).isPositive();
        }
    }
}
