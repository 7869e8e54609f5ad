package io.envelope.jdbc.it.adversarial;

import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 8, "Refuse only where a value could leak": the three statements of Spring PetClinic's schema and seed
 * scripts that 0.1.0 refused, run through the wrapper against PostgreSQL. The DDL passes (H2's
 * {@code DROP TABLE … IF EXISTS} reaches the server, which answers with its own syntax error), and the seed's
 * constants are stored encrypted.
 */
class PetClinicScriptsIT {

    private EncryptedDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedDatabase.create("petclinic", """
                  owners:
                    columns:
                      first_name: { mode: deterministic }
                      address:    { mode: randomized }
                      telephone:  { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE visits (id int)");
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.executePlain("DROP SCHEMA " + db.schema() + " CASCADE");
    }

    @Test
    void schemaAndSeedScriptsRunThroughTheWrapper() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS owners (
                      id         INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                      first_name TEXT,
                      last_name  TEXT,
                      address    TEXT,
                      city       TEXT,
                      telephone  TEXT
                    )""");
            s.execute("CREATE INDEX ON owners (last_name)");
            String seed = "INSERT INTO owners (first_name, last_name, address, city, telephone) SELECT 'George', "
                    + "'Franklin', '110 W. Liberty St.', 'Madison', '6085551023' "
                    + "WHERE NOT EXISTS (SELECT * FROM owners WHERE id=1)";
            assertThat(s.executeUpdate(seed)).isEqualTo(1);
            assertThat(s.executeUpdate(seed)).as("idempotent: the row exists now").isZero();

            try (ResultSet rs = s.executeQuery("SELECT first_name, last_name, address, telephone FROM owners "
                    + "WHERE first_name = 'George'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("George");
                assertThat(rs.getString(2)).isEqualTo("Franklin");
                assertThat(rs.getString(3)).isEqualTo("110 W. Liberty St.");
                assertThat(rs.getString(4)).isEqualTo("6085551023");
            }
        }
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT first_name, last_name, address, telephone FROM owners")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("last_name")).isEqualTo("Franklin"); // not configured: plaintext
            for (String column : new String[] {"first_name", "address", "telephone"}) {
                String stored = rs.getString(column);
                assertThat(stored).doesNotContain("George").doesNotContain("Liberty").doesNotContain("608555");
                byte[] decoded = java.util.Base64.getDecoder().decode(stored); // base64 of an envelope value
                assertThat(decoded.length).isGreaterThan(20);
            }
        }
    }

    @Test
    void h2DropSyntaxIsPassedToTheServerNotRefused() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS owners (id int, first_name text, address text, telephone text)");
            Throwable thrown = catchThrowable(() -> s.execute("DROP TABLE owners IF EXISTS"));
            // PostgreSQL's own answer (H2's syntax is not PostgreSQL's): the statement was sent, not refused.
            assertThat(thrown).isInstanceOf(SQLException.class);
            assertThat(thrown.getMessage()).doesNotStartWith("envelope-jdbc:");
            assertThat(((SQLException) thrown).getSQLState()).isEqualTo("42601");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS owners");
            s.execute("DROP TABLE visits");
        }
    }
}
