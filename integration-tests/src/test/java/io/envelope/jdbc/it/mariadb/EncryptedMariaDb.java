package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.EncryptedPlace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A MariaDB test's own corner of the real server ({@link EncryptedPlace}), as {@link EncryptedDatabase} is for
 * PostgreSQL: a fresh database, a fresh local master key, the key table inside that database, and a
 * configuration file listing the test's encrypted columns. Connections through the wrapper (with MariaDB
 * Connector/J behind it) and plain MariaDB Connector/J connections (to see what is really stored) both resolve
 * unqualified names in the database.
 */
public final class EncryptedMariaDb extends EncryptedPlace {

    static {
        try {
            Class.forName("org.mariadb.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private EncryptedMariaDb(String database, Configuration configuration) {
        super(database, configuration);
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
        return new EncryptedMariaDb(database, writeConfiguration(prefix, database, tablesYaml, extraYaml));
    }

    public String database() {
        return name();
    }

    /** The plain MariaDB Connector/J URL of this database. */
    public String plainUrl() {
        return MariaDbDatabase.jdbcUrl(database());
    }

    /** The wrapper's URL for this database. */
    @Override
    public String envelopeUrl() {
        return "jdbc:envelope:" + plainUrl().substring("jdbc:".length());
    }

    /** The plain MySQL Connector/J URL of this database. */
    public String mysqlConnectorJUrl() {
        return MariaDbDatabase.mysqlConnectorJUrl(database());
    }

    /** The wrapper's URL for this database with MySQL Connector/J as the target driver. */
    public String envelopeMySqlConnectorJUrl() {
        return "jdbc:envelope:" + mysqlConnectorJUrl().substring("jdbc:".length());
    }

    /** A connection through envelope-jdbc, with MySQL Connector/J as the target driver. */
    public Connection connectThroughMySqlConnectorJ() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("envelope.config", configFile().toString());
        return DriverManager.getConnection(envelopeMySqlConnectorJUrl(), properties);
    }

    /** A plain MySQL Connector/J connection to this database. */
    public Connection plainThroughMySqlConnectorJ() throws SQLException {
        return DriverManager.getConnection(mysqlConnectorJUrl());
    }

    /** A plain connection to the same database: what the server really holds. */
    @Override
    public Connection plain() throws SQLException {
        return DriverManager.getConnection(plainUrl());
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
                ps.setString(1, database());
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
        Files.writeString(db.configFile(), Files.readString(db.configFile()) + tablesYaml);
    }
}
