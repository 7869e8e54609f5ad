package io.envelope.jdbc.it.keys;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Properties;

/**
 * A separate JVM for {@link RawStatusFreshProcessIT}: a process that never saw the key table before connects
 * through envelope-jdbc, reads row 1 of {@code notes} back, and inserts one row with a value in the column named by
 * its argument (randomized {@code body} or deterministic {@code tag}); exits 0, or 1 with the error on stderr.
 * Arguments: the envelope URL, the configuration file, the id to insert, the column.
 */
public final class FreshProcessWriter {

    private FreshProcessWriter() {
    }

    public static void main(String[] args) throws Exception {
        Class.forName("io.envelope.jdbc.EnvelopeDriver");
        Properties properties = new Properties();
        properties.setProperty("envelope.config", args[1]);
        String column = args[3].equals("tag") ? "tag" : "body";
        try (Connection c = DriverManager.getConnection(args[0], properties)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT body FROM notes WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                System.out.println("row 1 reads back: " + "under v1".equals(rs.getString(1)));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, " + column + ") VALUES (?, ?)")) {
                ps.setInt(1, Integer.parseInt(args[2]));
                ps.setString(2, "written by a fresh process");
                ps.executeUpdate();
            }
        } catch (Exception e) {
            System.err.println("fresh process failed: " + e);
            System.exit(1);
        }
    }
}
