package io.envelope.jdbc.it;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A table's identity is {@code schema.table} as the catalog spells it, in the key table, the AAD and the KMS
 * context alike (see docs/configuration.md).
 */
class TableIdentityIT {

    @Test
    void anUnqualifiedConfigNameMeansTheConnectionsCurrentSchema() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("identity", """
                  Members:
                    columns:
                      Email: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE members (id int PRIMARY KEY, email bytea)");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO MEMBERS (ID, EMAIL) VALUES (?, ?)")) {
            ps.setInt(1, 1);
            ps.setString(2, "m@example.com");
            ps.executeUpdate();
        }
        // unquoted names fold to lower case, as PostgreSQL folds them
        assertThat(db.keyRows(db.schema() + ".members")).isEqualTo(1);
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM " + db.keyTable())) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(db.schema() + ".members");
        }
    }

    @Test
    void aQualifiedConfigNameIsTheSameTableAndReadsTheSameValues() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("identityq", """
                  members:
                    columns:
                      email: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE members (id int PRIMARY KEY, email bytea)");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO members (id, email) VALUES (?, ?)")) {
            ps.setInt(1, 1);
            ps.setString(2, "q@example.com");
            ps.executeUpdate();
        }
        Path qualified = db.configFile().resolveSibling("qualified.yaml");
        Files.writeString(qualified, Files.readString(db.configFile())
                .replace("  members:", "  " + db.schema() + ".members:"));
        EnvelopeRuntimes.clear();
        Properties properties = new Properties();
        properties.setProperty("envelope.config", qualified.toString());
        // connected without currentSchema: the qualified name still finds the table
        try (Connection c = DriverManager.getConnection(TestDatabase.envelopeUrl(), properties);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT email FROM " + db.schema() + ".members m WHERE m.email = ?")) {
            ps.setString(1, "q@example.com");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("q@example.com");
            }
        }
        assertThat(db.keyRows(db.schema() + ".members")).isEqualTo(1);
    }

    @Test
    void theSameTableNameInAnotherSchemaIsAnotherTable() throws Exception {
        EncryptedDatabase first = EncryptedDatabase.create("identitya", """
                  members:
                    columns:
                      email: { mode: deterministic }
                """);
        first.executePlain("CREATE TABLE members (id int PRIMARY KEY, email bytea)");
        String other = TestDatabase.freshSchema("identityb");
        first.executePlain("CREATE TABLE " + other + ".members (id int PRIMARY KEY, email bytea)");
        Path both = first.configFile().resolveSibling("both.yaml");
        Files.writeString(both, Files.readString(first.configFile()) + """
                  %s.members:
                    columns:
                      email: { mode: deterministic }
                """.formatted(other));
        Properties properties = new Properties();
        properties.setProperty("envelope.config", both.toString());
        try (Connection c = DriverManager.getConnection(first.envelopeUrl(), properties)) {
            for (String table : new String[] {"members", other + ".members"}) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, email) VALUES (?, ?)")) {
                    ps.setInt(1, 1);
                    ps.setString(2, "same@example.com");
                    ps.executeUpdate();
                }
            }
        }
        assertThat(first.keyRows(first.schema() + ".members")).isEqualTo(1);
        assertThat(first.keyRows(other + ".members")).isEqualTo(1);
        // the same plaintext is stored differently: different keys and a different table in the AAD
        byte[] inFirst = first.rawBytes("members", "email", "id").get(0);
        byte[] inOther = first.rawBytes(other + ".members", "email", "id").get(0);
        assertThat(inFirst).isNotEqualTo(inOther);
        // and a value moved between the schemas fails to decrypt
        first.executePlain("UPDATE " + other + ".members SET email = (SELECT email FROM members WHERE id = 1)");
        try (Connection c = DriverManager.getConnection(first.envelopeUrl(), properties);
             Statement s = c.createStatement()) {
            Throwable failure = catchThrowable(() -> {
                try (ResultSet rs = s.executeQuery("SELECT email FROM " + other + ".members")) {
                    rs.next();
                    rs.getString(1);
                }
            });
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).startsWith("envelope-jdbc:");
        }
    }
}
