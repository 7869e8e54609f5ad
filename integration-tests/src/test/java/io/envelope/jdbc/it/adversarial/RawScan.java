package io.envelope.jdbc.it.adversarial;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads every column of every table of a schema with plain pgJDBC, looking for a plaintext marker. */
final class RawScan {

    private RawScan() {
    }

    /** The places ({@code table.column}) where {@code marker} occurs in stored text or bytes. */
    static List<String> find(Connection plain, String schema, String marker) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = plain.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        List<String> found = new ArrayList<>();
        for (String table : tables) {
            try (Statement s = plain.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM \"" + schema + "\".\"" + table.replace("\"", "\"\"") + "\"")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        boolean binary = rs.getMetaData().getColumnTypeName(i).equals("bytea");
                        byte[] bytes = binary ? rs.getBytes(i) : null;
                        String text = binary ? null : rs.getString(i);
                        boolean hit = (text != null && text.contains(marker))
                                || (bytes != null && new String(bytes, StandardCharsets.ISO_8859_1).contains(marker))
                                || (bytes != null && new String(bytes, StandardCharsets.UTF_8).contains(marker));
                        if (hit) {
                            found.add(table + "." + rs.getMetaData().getColumnName(i));
                        }
                    }
                }
            }
        }
        return found;
    }
}
