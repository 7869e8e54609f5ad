package io.envelope.jdbc.it;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A test's own corner of the real PostgreSQL database ({@link EncryptedPlace}): a fresh schema, a fresh local
 * master key, a key table inside the schema, and a configuration file listing the test's encrypted columns.
 * Connections through the wrapper and plain pgJDBC connections (to see what is really stored) both resolve
 * unqualified names to the schema.
 */
public final class EncryptedDatabase extends EncryptedPlace {

    private EncryptedDatabase(String schema, Configuration configuration) {
        super(schema, configuration);
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
        return new EncryptedDatabase(schema, writeConfiguration(prefix, schema, tablesYaml, extraYaml));
    }

    public String schema() {
        return name();
    }

    /** The wrapper's URL for this schema. */
    @Override
    public String envelopeUrl() {
        return TestDatabase.withSchema(TestDatabase.envelopeUrl(), schema());
    }

    /** A plain pgJDBC connection to the same schema: what the database really holds. */
    @Override
    public Connection plain() throws SQLException {
        return DriverManager.getConnection(TestDatabase.withSchema(TestDatabase.jdbcUrl(), schema()));
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
