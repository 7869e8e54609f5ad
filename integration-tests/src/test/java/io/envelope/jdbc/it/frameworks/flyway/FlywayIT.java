package io.envelope.jdbc.it.frameworks.flyway;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Flyway workflow of docs/integrations.md, end to end through the {@code jdbc:envelope:} URL (Flyway 13):
 * <ol>
 *   <li>release 1: the configuration lists customers; V1 creates it with bytea columns and seeds a row whose SQL
 *       literals the wrapper encrypts; V2 stands for an old table, patients, whose email holds plaintext;</li>
 *   <li>release 2: the configuration adds patients.email with {@code accept-plaintext: true}; V3 widens the column
 *       for base64 ciphertext; V4, a Java migration, rewrites every value through the wrapper;</li>
 *   <li>release 3: {@code accept-plaintext} is removed; every value decrypts, lookups work, Flyway's own schema
 *       history stays plain and readable, and Hibernate's {@code hbm2ddl.auto=validate} accepts the schema.</li>
 * </ol>
 */
class FlywayIT {

    private static final String MIGRATIONS = "classpath:io/envelope/jdbc/it/frameworks/flyway/migrations";
    private static final String CUSTOMERS = """
              customers:
                columns:
                  email:      { mode: deterministic }
                  full_name:  { mode: randomized }
                  birth_date: { type: date }
            """;

    private static EncryptedDatabase db;

    @BeforeAll
    static void createSchema() throws Exception {
        db = EncryptedDatabase.create("flyway", CUSTOMERS);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        db.executePlain("DROP SCHEMA " + db.schema() + " CASCADE");
    }

    /** The configuration of one release: the same key and key table, these tables. */
    private static Path release(String name, String tablesYaml) throws Exception {
        String base = Files.readString(db.configFile());
        Path file = db.configFile().resolveSibling(name + ".yaml");
        Files.writeString(file, base.substring(0, base.indexOf("tables:\n")) + "tables:\n" + tablesYaml);
        return file;
    }

    /**
     * Flyway on an {@link EnvelopeDataSource} with the {@code jdbc:envelope:} URL. (Flyway picks its database support
     * by URL prefix when it is given a URL, and has none for {@code jdbc:envelope:}; given a DataSource, it asks the
     * connection, which answers as PostgreSQL.)
     */
    private static Flyway flyway(Path config, String target) {
        EnvelopeDataSource dataSource = new EnvelopeDataSource();
        dataSource.setUrl(db.envelopeUrl());
        dataSource.setConfigLocation(config.toString());
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .target(target)
                .load();
    }

    @Test
    void migrationsCreateEncryptedTablesAndConvertPlaintextColumns() throws Exception {
        // release 1
        Path release1 = release("release1", CUSTOMERS);
        MigrateResult first = flyway(release1, "2").migrate();
        assertThat(first.migrationsExecuted).isEqualTo(2);
        Ciphertext.assertStoredAsCiphertext(db, "customers", "email", "founder@example.com");
        Ciphertext.assertStoredAsCiphertext(db, "customers", "full_name", "Ada Founder");
        Ciphertext.assertStoredAsCiphertext(db, "customers", "birth_date");
        assertThat(plainEmails()).containsExactly("p1@example.com", "p2@example.com", "p3@example.com");

        // release 2: patients.email joins the configuration inside an accept-plaintext window
        Path release2 = release("release2", CUSTOMERS + """
                  patients:
                    columns:
                      email: { mode: deterministic, accept-plaintext: true }
                """);
        String column = db.schema() + ".patients.email";
        long plaintextReads = EnvelopeMetrics.snapshot().plaintextReads().getOrDefault(column, 0L);
        MigrateResult second = flyway(release2, "latest").migrate();
        assertThat(second.migrationsExecuted).isEqualTo(2);
        assertThat(EnvelopeMetrics.snapshot().plaintextReads().get(column) - plaintextReads)
                .as("V4 read each legacy plaintext value once").isEqualTo(3);
        Ciphertext.assertStoredAsCiphertext(db, "patients", "email", "p1@example.com", "p2@", "p3@");

        // release 3: the window is closed; nothing depends on plaintext any more
        Path release3 = release("release3", CUSTOMERS + """
                  patients:
                    columns:
                      email: { mode: deterministic }
                """);
        Flyway last = flyway(release3, "latest");
        last.validate();
        assertThat(last.migrate().migrationsExecuted).isZero();
        List<String> applied = new ArrayList<>();
        for (MigrationInfo info : last.info().applied()) {
            assertThat(info.getState().isApplied()).isTrue();
            applied.add(info.getVersion().getVersion());
        }
        assertThat(applied).containsExactly("1", "2", "3", "4");
        // Flyway's own history, read without the wrapper: plain text, as Flyway wrote it
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT script FROM flyway_schema_history ORDER BY installed_rank")) {
            List<String> scripts = new ArrayList<>();
            while (rs.next()) {
                scripts.add(rs.getString(1));
            }
            assertThat(scripts).contains("V1__customers.sql",
                    "io.envelope.jdbc.it.frameworks.flyway.migrations.V4__Encrypt_patient_emails");
        }

        try (Connection c = java.sql.DriverManager.getConnection(db.envelopeUrl() + "&envelope.config=" + release3);
             PreparedStatement ps = c.prepareStatement("SELECT ward FROM patients WHERE email = ?")) {
            ps.setString(1, "p2@example.com");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("south");
            }
        }

        // Hibernate validates the migrated schema through the wrapper and reads the seeded and converted rows
        try (SessionFactory sessions = new HibernatePersistenceConfiguration("flyway")
                .managedClass(Customer.class)
                .managedClass(Patient.class)
                .property("jakarta.persistence.jdbc.url", db.envelopeUrl() + "&envelope.config=" + release3)
                .property("hibernate.hbm2ddl.auto", "validate")
                .createEntityManagerFactory()) {
            sessions.inTransaction(session -> {
                Customer founder = session.createSelectionQuery("from Customer where email = :email", Customer.class)
                        .setParameter("email", "founder@example.com").getSingleResult();
                assertThat(founder.getFullName()).isEqualTo("Ada Founder");
                assertThat(founder.getBirthDate()).isEqualTo(LocalDate.of(1815, 12, 10));
                assertThat(session.createSelectionQuery("from Patient where email = :email", Patient.class)
                        .setParameter("email", "p3@example.com").getSingleResult().getWard()).isEqualTo("north");
            });
        }
    }

    private static List<String> plainEmails() throws Exception {
        List<String> emails = new ArrayList<>();
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM patients ORDER BY id")) {
            while (rs.next()) {
                emails.add(rs.getString(1));
            }
        }
        return emails;
    }
}
