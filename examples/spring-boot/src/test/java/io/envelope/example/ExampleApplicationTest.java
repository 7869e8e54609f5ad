package io.envelope.example;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example application as its users see it, over HTTP on a random port, against the local PostgreSQL (from
 * {@code ENVELOPE_TEST_JDBC_URL}, as the root project's tests, or 127.0.0.1:5432/test as postgres): customers are
 * created and found by email; plain pgJDBC sees only ciphertext in their table; Actuator shows the envelope health
 * indicator and meters. Each run uses a schema of its own, dropped at the end, and a master key generated for it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleApplicationTest {

    private static final String DATABASE = System.getenv().getOrDefault("ENVELOPE_TEST_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final String SCHEMA = "example_" + ProcessHandle.current().pid() + "_"
            + Long.toString(System.nanoTime() % 1_000_000L, 36);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        execute("CREATE SCHEMA " + SCHEMA);
        Path keyDir = Files.createTempDirectory("envelope-example");
        registry.add("spring.datasource.url", () -> withSchema(DATABASE));
        // a path that does not exist yet: DemoMasterKey makes the key, as on a first start
        registry.add("envelope.kms.master-key-file", () -> keyDir.resolve("master.key").toString());
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    private static String withSchema(String url) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ObjectMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String email(String address) {
        return "/customers?email=" + URLEncoder.encode(address, StandardCharsets.UTF_8);
    }

    @Test
    void customersAreStoredEncryptedAndFoundByEmail() throws Exception {
        HttpResponse<String> created = post("/customers", "{\"email\":\"ada@example.com\",\"name\":\"Ada Lovelace\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/customers?email=ada@example.com");
        assertThat(post("/customers", "{\"email\":\"grace@example.com\",\"name\":\"Grace Hopper\"}").statusCode())
                .isEqualTo(201);
        assertThat(post("/customers", "{\"email\":\"ada@example.com\",\"name\":\"Someone Else\"}").statusCode())
                .as("the unique email is checked on ciphertext").isEqualTo(409);

        HttpResponse<String> found = get(email("grace@example.com"));
        assertThat(found.statusCode()).isEqualTo(200);
        JsonNode grace = json.readTree(found.body());
        assertThat(grace.get("email").asString()).isEqualTo("grace@example.com");
        assertThat(grace.get("name").asString()).isEqualTo("Grace Hopper");
        assertThat(grace.get("createdAt").isNull()).isFalse();
        assertThat(json.readTree(created.body()).get("createdAt").isNull()).isFalse();
        assertThat(get(email("nobody@example.com")).statusCode()).isEqualTo(404);

        // what the database holds, read with plain pgJDBC: envelope values, no plaintext
        List<String> stored = new ArrayList<>();
        try (Connection plain = DriverManager.getConnection(withSchema(DATABASE)); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, name FROM customers ORDER BY id")) {
            while (rs.next()) {
                for (int column = 1; column <= 2; column++) {
                    byte[] value = rs.getBytes(column);
                    assertThat(value[0]).as("envelope format version byte").isEqualTo((byte) 1);
                    stored.add(new String(value, StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertThat(stored).hasSizeGreaterThanOrEqualTo(4).allSatisfy(value -> assertThat(value)
                .doesNotContain("example.com").doesNotContain("Lovelace").doesNotContain("Hopper"));
    }

    @Test
    void actuatorShowsTheEnvelopeHealthAndMeters() throws Exception {
        assertThat(post("/customers", "{\"email\":\"alan@example.com\",\"name\":\"Alan Turing\"}").statusCode())
                .isEqualTo(201);
        assertThat(get(email("alan@example.com")).statusCode()).isEqualTo(200);

        JsonNode health = json.readTree(get("/actuator/health").body());
        JsonNode envelope = health.get("components").get("envelope");
        assertThat(envelope.get("status").asString()).isEqualTo("UP");
        assertThat(envelope.get("details").get("kms").get("provider").asString()).isEqualTo("local");
        assertThat(envelope.get("details").get("keyTable").get("readable").asBoolean()).isTrue();
        assertThat(envelope.get("details").get("cachedDataKeys").asInt()).isPositive();

        JsonNode names = json.readTree(get("/actuator/metrics").body()).get("names");
        List<String> meters = new ArrayList<>();
        names.forEach(name -> meters.add(name.asString()));
        assertThat(meters).contains("envelope.values.encrypted", "envelope.values.decrypted",
                "envelope.kms.calls", "envelope.kms.latency", "envelope.data.key.cache.gets", "envelope.refusals");

        JsonNode encrypted = json.readTree(get("/actuator/metrics/envelope.values.encrypted").body());
        assertThat(encrypted.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(2);
        JsonNode generated = json.readTree(get("/actuator/metrics/envelope.kms.calls?tag=operation:GenerateDataKey")
                .body());
        assertThat(generated.get("measurements").get(0).get("value").asDouble()).isEqualTo(1);
    }
}
