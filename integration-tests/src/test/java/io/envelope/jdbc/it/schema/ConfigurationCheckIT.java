package io.envelope.jdbc.it.schema;

import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import io.envelope.jdbc.schema.ConfigurationCheck;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The configuration is checked against the database (issue 8, finding 5): a configured column that an existing
 * table lacks is an error at connect, with the likely meant name; a configured table that does not exist yet is a
 * warning, and is checked when a statement first uses it.
 */
class ConfigurationCheckIT {

    @Test
    void aMisspeltConfiguredColumnIsAnErrorAtConnectThatSuggestsTheRealName() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("typo", """
                  customers:
                    columns:
                      emial: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email text)");
        Throwable failure = catchThrowable(db::connect);
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:")
                .contains(db.schema() + ".customers.emial").contains("did you mean email?")
                .contains("tables.customers.columns");
        // nothing could be written in plaintext to the real column through the wrapper
        assertThat(catchThrowable(db::connect)).isInstanceOf(SQLException.class);
    }

    @Test
    void aConfiguredColumnThatCannotHoldCiphertextIsAnErrorAtConnect() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("coltype", """
                  customers:
                    columns:
                      age: { type: int }
                """);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, age int)");
        Throwable failure = catchThrowable(db::connect);
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains(db.schema() + ".customers.age")
                .contains("cannot hold ciphertext");
    }

    @Test
    void aTableThatDoesNotExistYetIsCheckedWhenFirstUsed() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("later", """
                  customers:
                    columns:
                      emial: { mode: deterministic }
                  orders:
                    columns:
                      card: { mode: randomized }
                """);
        try (Connection c = db.connect()) { // neither table exists: warnings, not errors
            db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email text)",
                    "CREATE TABLE orders (id int PRIMARY KEY, card text)");
            Throwable failure = catchThrowable(() -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (id, email) VALUES (?, ?)")) {
                    ps.setInt(1, 1);
                    ps.setString(2, "canary@example.com");
                    ps.executeUpdate();
                }
            });
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains("did you mean email?");
            // the correctly configured table works
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, card) VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "canary-card");
                ps.executeUpdate();
            }
        }
        try (Connection plain = db.plain(); var s = plain.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM customers")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        Ciphertext.assertStoredAsCiphertext(db, "orders", "card", "canary");
    }

    @Test
    void theCheckReturnsEveryProblemForTheCommandLine() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("problems", """
                  customers:
                    columns:
                      emial: { mode: deterministic }
                      ssn: { mode: deterministic }
                  missing_table:
                    columns:
                      x: {}
                """);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email text, ssn bytea)");
        EnvelopeConfig config = ConfigLoader.loadFrom(db.configFile().toString());
        try (Connection plain = db.plain()) {
            List<ConfigurationCheck.Problem> problems = ConfigurationCheck.check(plain, config);
            assertThat(problems).hasSize(2);
            assertThat(problems.get(0).severity()).isEqualTo(ConfigurationCheck.Severity.ERROR);
            assertThat(problems.get(0).column()).isEqualTo("emial");
            assertThat(problems.get(0).message()).contains("did you mean email?");
            assertThat(problems.get(1).severity()).isEqualTo(ConfigurationCheck.Severity.WARNING);
            assertThat(problems.get(1).table()).isEqualTo(db.schema() + ".missing_table");
        }
    }
}
