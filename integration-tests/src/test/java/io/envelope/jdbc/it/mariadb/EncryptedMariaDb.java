package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.EnvelopeDriver;
import io.envelope.jdbc.it.EncryptedTarget;

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
import java.util.Base64;
import java.util.Properties;

/**
 * A MariaDB test's own corner of the real server, as {@link io.envelope.jdbc.it.EncryptedDatabase} is for
 * PostgreSQL: a fresh database, a fresh local master key, the key table inside that database, and a
 * configuration file listing the test's encrypted columns. Connections through the wrapper (with MariaDB
 * Connector/J behind it) and plain MariaDB Connector/J connections (to see what is really stored) both resolve
 * unqualified names in the database.
 */
public final class EncryptedMariaDb implements EncryptedTarget {

    static {
        new EnvelopeDriver();
        try {
            Class.forName("org.mariadb.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String database;
    private final Path configFile;
    private final Path masterKeyFile;

    private EncryptedMariaDb(String database, Path configFile, Path masterKeyFile) {
        this.database = database;
        this.configFile = configFile;
        this.masterKeyFile = masterKeyFile;
    }

    /**
     * @param prefix     a name for the database (the test's)
     * @param tablesYaml the {@code tables:} section's body, indented by two spaces
     */
    public static EncryptedMariaDb create(String prefix, String tablesYaml) throws SQLException, IOException {
        return create(prefix, tablesYaml, "");
    }

    /**
     * As {@link #create(String, String)}, with more top-level configuration ({@code extraYaml}, e.g.
     * {@code key-cache:}, each line ending in a newline).
     */
    public static EncryptedMariaDb create(String prefix, String tablesYaml, String extraYaml)
            throws SQLException, IOException {
        String database = MariaDbDatabase.freshDatabase(prefix);
        Path dir = Files.createTempDirectory("envelope-it-" + prefix);
        Path masterKey = dir.resolve("master.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(masterKey, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        Path config = dir.resolve("envelope.yaml");
        Files.writeString(config, "version: 1\n"
                + "kms:\n  provider: local\n  master-key-file: " + masterKey + "\n"
                + "key-table: " + database + ".envelope_data_keys\n"
                + extraYaml
                + "tables:\n" + tablesYaml);
        return new EncryptedMariaDb(database, config, masterKey);
    }

    public String database() {
        return database;
    }

    public Path configFile() {
        return configFile;
    }

    /** The key table, qualified by the test's database. */
    public String keyTable() {
        return database + ".envelope_data_keys";
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

    /** The plain MariaDB Connector/J URL of this database. */
    public String plainUrl() {
        return MariaDbDatabase.jdbcUrl(database);
    }

    /** The wrapper's URL for this database. */
    public String envelopeUrl() {
        return "jdbc:envelope:" + plainUrl().substring("jdbc:".length());
    }

    /** A connection through envelope-jdbc. */
    @Override
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("envelope.config", configFile.toString());
        return DriverManager.getConnection(envelopeUrl(), properties);
    }

    /** A plain connection to the same database: what the server really holds. */
    @Override
    public Connection plain() throws SQLException {
        return DriverManager.getConnection(plainUrl());
    }

    /** Runs statements on a plain connection (DDL, tampering). */
    @Override
    public void executePlain(String... sql) throws SQLException {
        try (Connection c = plain(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** Every stored value of a column, as the bytes the server holds (binary or the base64 text's bytes). */
    public byte[][] raw(String table, String column) throws SQLException {
        try (Connection c = plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table + " ORDER BY id")) {
            java.util.List<byte[]> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getBytes(1));
            }
            return values.toArray(new byte[0][]);
        }
    }

    /**
     * The places ({@code table.column}) in this database where {@code marker} occurs in a stored value, read with
     * plain MariaDB Connector/J, as text and as bytes.
     */
    public java.util.List<String> find(String marker) throws SQLException {
        java.util.List<String> tables = new java.util.ArrayList<>();
        java.util.List<String> found = new java.util.ArrayList<>();
        try (Connection c = plain()) {
            try (var ps = c.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            for (String table : tables) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT * FROM `" + table.replace("`", "``") + "`")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            byte[] bytes = value instanceof byte[] b ? b
                                    : value == null ? null : value.toString().getBytes(StandardCharsets.UTF_8);
                            if (bytes != null && (new String(bytes, StandardCharsets.ISO_8859_1).contains(marker)
                                    || new String(bytes, StandardCharsets.UTF_8).contains(marker))) {
                                found.add(table + "." + rs.getMetaData().getColumnName(i));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Adds tables to the configuration file (a new connection reads it; the test's YAML, indented by two). */
    public static void appendTable(EncryptedMariaDb db, String tablesYaml) throws IOException {
        Files.writeString(db.configFile, Files.readString(db.configFile) + tablesYaml);
    }
}
