package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.cli.CliRunner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo --url jdbc:mariadb://…}, the README's demo command on MariaDB: the whole demo runs in a database of its
 * own, the server holds only ciphertext, and the database is dropped at the end (or, with {@code --keep}, kept with
 * the statement that drops it).
 */
class MariaDbDemoIT {

    private static final Pattern SCHEMA = Pattern.compile("schema:\\s+(envelope_demo_[0-9a-f]{8})");

    @Test
    void demoRunsOnMariaDbAndDropsItsOwnDatabase() throws Exception {
        CliRunner.Run run = CliRunner.capture("demo", "--url", MariaDbDatabase.jdbcUrl());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String schema = schemaOf(run.out());
        String out = run.out();
        assertThat(out).contains("database:   jdbc:mariadb://").doesNotContain("user=")
                .contains("Equality lookup on the deterministic column: WHERE email = 'grace@example.com' ->"
                        + " Grace Hopper")
                .contains("ORDER BY on an encrypted column is refused before it is sent")
                .contains("Removed the demo's schema " + schema);
        String stored = out.substring(out.indexOf("What the database stores"), out.indexOf("The key table "));
        assertThat(stored).contains("Ada Lovelace").contains("AQIAAAAB").doesNotContain("ada@example.com")
                .doesNotContain("123-45-6789");
        assertThat(databaseExists(schema)).isFalse();
        assertThat(tableExists("envelope_demo_customers")).as("nothing created in the target database").isFalse();
    }

    @Test
    void keepLeavesOnlyCiphertextInTheDatabaseAndSaysHowToDropIt() throws Exception {
        CliRunner.Run run = CliRunner.capture("demo", "--url", MariaDbDatabase.jdbcUrl(), "--keep");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String schema = schemaOf(run.out());
        try {
            assertThat(databaseExists(schema)).isTrue();
            assertThat(run.out()).contains("Kept schema " + schema).contains("Remove it with: DROP DATABASE " + schema);
            int rows = 0;
            try (Connection c = MariaDbDatabase.plainConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, email, ssn, note, birth_date FROM " + schema
                         + ".envelope_demo_customers ORDER BY id")) {
                while (rs.next()) {
                    rows++;
                    byte[] email = Base64.getDecoder().decode(rs.getString(2));
                    assertThat(email[0]).as("envelope format version 1").isEqualTo((byte) 1);
                    for (int column = 2; column <= 5; column++) {
                        byte[] value = column == 2 ? email : rs.getBytes(column);
                        String text = new String(value, StandardCharsets.ISO_8859_1);
                        assertThat(value[0]).isEqualTo((byte) 1);
                        assertThat(text).doesNotContain("@example.com").doesNotContain("-45-")
                                .doesNotContain("prefers");
                    }
                }
            }
            assertThat(rows).isEqualTo(3);
            try (Connection c = MariaDbDatabase.plainConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".envelope_data_keys")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        } finally {
            try (Connection c = MariaDbDatabase.plainConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + schema);
            }
        }
    }

    private static String schemaOf(String out) {
        Matcher m = SCHEMA.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static boolean databaseExists(String name) throws Exception {
        try (Connection c = MariaDbDatabase.plainConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether the URL's own database holds the table. */
    private static boolean tableExists(String table) throws Exception {
        try (Connection c = MariaDbDatabase.plainConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
