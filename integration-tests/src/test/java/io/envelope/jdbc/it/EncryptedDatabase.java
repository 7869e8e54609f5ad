package io.envelope.jdbc.it;

import io.envelope.jdbc.EnvelopeDriver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * A test's own corner of the real database: a fresh schema, a fresh local master key, a key table inside the
 * schema, and a configuration file listing the test's encrypted columns. Connections through the wrapper and
 * plain pgJDBC connections (to see what is really stored) both resolve unqualified names to the schema.
 */
public final class EncryptedDatabase implements EncryptedTarget {

    static {
        // make sure the wrapper is registered even when no test touched the class yet
        new EnvelopeDriver();
    }

    private final String schema;
    private final Path configFile;
    private final Path masterKeyFile;

    private EncryptedDatabase(String schema, Path configFile, Path masterKeyFile) {
        this.schema = schema;
        this.configFile = configFile;
        this.masterKeyFile = masterKeyFile;
    }

    /**
     * @param prefix     a name for the schema (the test's)
     * @param tablesYaml the {@code tables:} section's body, indented by two spaces
     */
    public static EncryptedDatabase create(String prefix, String tablesYaml) throws SQLException, IOException {
        return create(prefix, tablesYaml, "");
    }

    /** As {@link #create(String, String)}, with more top-level YAML (e.g. {@code key-cache:}). */
    public static EncryptedDatabase create(String prefix, String tablesYaml, String extraYaml)
            throws SQLException, IOException {
        String schema = TestDatabase.freshSchema(prefix);
        Path dir = Files.createTempDirectory("envelope-it-" + prefix);
        Path masterKey = dir.resolve("master.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(masterKey, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        Path config = dir.resolve("envelope.yaml");
        Files.writeString(config, "version: 1\n"
                + "kms:\n  provider: local\n  master-key-file: " + masterKey + "\n"
                + "key-table: " + schema + ".envelope_data_keys\n"
                + extraYaml
                + "tables:\n" + tablesYaml);
        return new EncryptedDatabase(schema, config, masterKey);
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

    public Path masterKeyFile() {
        return masterKeyFile;
    }

    /** The wrapper's URL for this schema. */
    public String envelopeUrl() {
        return TestDatabase.withSchema(TestDatabase.envelopeUrl(), schema);
    }

    /** A connection through envelope-jdbc. */
    @Override
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("envelope.config", configFile.toString());
        return DriverManager.getConnection(envelopeUrl(), properties);
    }

    /** A plain pgJDBC connection to the same schema: what the database really holds. */
    @Override
    public Connection plain() throws SQLException {
        return DriverManager.getConnection(TestDatabase.withSchema(TestDatabase.jdbcUrl(), schema));
    }

    /** Runs statements with plain pgJDBC (DDL, tampering). */
    @Override
    public void executePlain(String... sql) throws SQLException {
        try (Connection c = plain(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /**
     * A key ring on this database's key table and master key, separate from the wrapper's (as an administrator's
     * process or the command-line tool would have): for adding versions and changing statuses in tests.
     */
    public io.envelope.jdbc.keys.KeyRing adminKeyRing() throws IOException, SQLException {
        byte[] master = Base64.getDecoder().decode(Files.readString(masterKeyFile).trim());
        return new io.envelope.jdbc.keys.KeyRing(keyTable(), true,
                io.envelope.jdbc.kms.LocalKmsProvider.ofKey(master, "test"), this::plain,
                java.time.Duration.ofMinutes(10), java.time.Clock.systemUTC());
    }

    /** The raw stored bytes of one column, row by row in {@code orderBy} order, read with plain pgJDBC. */
    public List<byte[]> rawBytes(String table, String column, String orderBy) throws SQLException {
        List<byte[]> values = new ArrayList<>();
        try (Connection c = plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table + " ORDER BY " + orderBy)) {
            while (rs.next()) {
                values.add(rs.getBytes(1));
            }
        }
        return values;
    }

    /** One row's stored value of an encrypted column as bytes, whether stored as bytea or as base64 text. */
    public byte[] rawBytesOrText(String table, String column, int id) throws SQLException {
        try (Connection c = plain(); var ps = c.prepareStatement(
                "SELECT " + column + " FROM " + table + " WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Object value = rs.getObject(1);
                return value instanceof String text ? java.util.Base64.getDecoder().decode(text) : (byte[]) value;
            }
        }
    }

    /** The number of rows in the key table for a table identity. */
    public int keyRows(String tableIdentity) throws SQLException {
        try (Connection c = plain(); var ps = c.prepareStatement(
                "SELECT count(*) FROM " + keyTable() + " WHERE table_name = ?")) {
            ps.setString(1, tableIdentity);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
