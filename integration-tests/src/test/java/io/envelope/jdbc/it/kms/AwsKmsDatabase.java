package io.envelope.jdbc.it.kms;

import io.envelope.jdbc.EnvelopeDriver;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.kms.TestKmsEndpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A test's own schema in the real PostgreSQL, with an aws-kms configuration. The KMS is either the in-suite
 * {@link TestKmsEndpoint} (always, for tests that inject failures) or, for tests that only need a working KMS,
 * real AWS KMS when {@value #REAL_KEY_VARIABLE} names a key (ARN, key id or alias; region from
 * {@value #REAL_REGION_VARIABLE} or the SDK's default chain; credentials from the SDK's default chain).
 */
public final class AwsKmsDatabase {

    static final String REAL_KEY_VARIABLE = "ENVELOPE_TEST_AWS_KMS_KEY";
    static final String REAL_REGION_VARIABLE = "ENVELOPE_TEST_AWS_REGION";

    static {
        new EnvelopeDriver();
    }

    private final String schema;
    private final Path configFile;

    private AwsKmsDatabase(String schema, Path configFile) {
        this.schema = schema;
        this.configFile = configFile;
    }

    /** Whether the suite was pointed at real AWS KMS. */
    static boolean realKms() {
        String key = System.getenv(REAL_KEY_VARIABLE);
        return key != null && !key.isBlank();
    }

    /** Static dummy credentials for the test endpoint (the SDK's default chain reads these system properties). */
    public static void useDummyCredentialsUnlessReal() {
        if (!realKms()) {
            System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
            System.setProperty("aws.secretAccessKey", "test-secret-not-real");
        }
    }

    /** Against the in-suite endpoint, whatever the environment says. */
    public static AwsKmsDatabase onEndpoint(String prefix, TestKmsEndpoint kms, String keyId, String tablesYaml,
                                     String extraYaml) throws SQLException, IOException {
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "AKIDEXAMPLE"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "test-secret-not-real"));
        String kmsYaml = "kms:\n  provider: aws-kms\n  key-id: " + keyId + "\n  region: " + TestKmsEndpoint.REGION
                + "\n  endpoint: " + kms.url() + "\n";
        return create(prefix, kmsYaml, tablesYaml, extraYaml);
    }

    /** Against real AWS KMS when {@value #REAL_KEY_VARIABLE} is set, else the in-suite endpoint. */
    static AwsKmsDatabase onRealOrEndpoint(String prefix, TestKmsEndpoint kms, String keyId, String tablesYaml,
                                           String extraYaml) throws SQLException, IOException {
        if (!realKms()) {
            return onEndpoint(prefix, kms, keyId, tablesYaml, extraYaml);
        }
        String region = System.getenv(REAL_REGION_VARIABLE);
        String kmsYaml = "kms:\n  provider: aws-kms\n  key-id: " + System.getenv(REAL_KEY_VARIABLE) + "\n"
                + (region == null || region.isBlank() ? "" : "  region: " + region + "\n");
        return create(prefix, kmsYaml, tablesYaml, extraYaml);
    }

    private static AwsKmsDatabase create(String prefix, String kmsYaml, String tablesYaml, String extraYaml)
            throws SQLException, IOException {
        String schema = TestDatabase.freshSchema(prefix);
        Path dir = Files.createTempDirectory("envelope-it-" + prefix);
        Path config = dir.resolve("envelope.yaml");
        Files.writeString(config, "version: 1\n" + kmsYaml
                + "key-table: " + schema + ".envelope_data_keys\n" + extraYaml + "tables:\n" + tablesYaml);
        return new AwsKmsDatabase(schema, config);
    }

    public String schema() {
        return schema;
    }

    public String keyTable() {
        return schema + ".envelope_data_keys";
    }

    public Path configFile() {
        return configFile;
    }

    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("envelope.config", configFile.toString());
        return DriverManager.getConnection(TestDatabase.withSchema(TestDatabase.envelopeUrl(), schema), properties);
    }

    public Connection plain() throws SQLException {
        return DriverManager.getConnection(TestDatabase.withSchema(TestDatabase.jdbcUrl(), schema));
    }

    public void executePlain(String... sql) throws SQLException {
        try (Connection c = plain(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    public long countPlain(String sql) throws SQLException {
        try (Connection c = plain(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String kmsKeyIdOf(String table) throws SQLException {
        try (Connection c = plain(); var ps = c.prepareStatement(
                "SELECT kms_key_id FROM " + keyTable() + " WHERE table_name = ? AND key_version = 1")) {
            ps.setString(1, schema + "." + table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
