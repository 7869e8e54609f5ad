package io.envelope.jdbc.it.frameworks.hibernate;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * PostgreSQL under the Hibernate scenarios, configured as config-examples/persistence.xml is: the dialect found
 * by Hibernate, and the entity's own column definitions ({@code bytea}, {@code text}).
 */
final class PostgresHibernateTarget implements HibernateTarget {

    private final EncryptedDatabase db;

    private PostgresHibernateTarget(EncryptedDatabase db) {
        this.db = db;
    }

    static PostgresHibernateTarget create(String prefix) throws Exception {
        return new PostgresHibernateTarget(EncryptedDatabase.create(prefix, PATIENTS));
    }

    @Override
    public void createSchema() throws SQLException {
        // every encrypted column bytea, or text for base64
        db.executePlain("CREATE SEQUENCE patients_seq START 1 INCREMENT 50",
                "CREATE TABLE patients (id bigint PRIMARY KEY, version integer NOT NULL, email bytea NOT NULL UNIQUE,"
                        + " national_id bytea, birth_date bytea, risk_score bytea, balance bytea, scan bytea,"
                        + " notes text, ward varchar(255))");
    }

    @Override
    public String schemaCheck() {
        return "validate";
    }

    @Override
    public String jdbcUrl() {
        // the URL swap (envelope.config may also come from a system property, ENVELOPE_CONFIG or the class path
        // resource envelope.yaml)
        return db.envelopeUrl() + "&envelope.config=" + db.configFile();
    }

    @Override
    public HibernatePersistenceConfiguration configure(HibernatePersistenceConfiguration configuration) {
        return configuration;
    }

    @Override
    public Connection plain() throws SQLException {
        return db.plain();
    }

    @Override
    public void assertStoredAsCiphertext(String table, String column, String... plaintexts) throws SQLException {
        Ciphertext.assertStoredAsCiphertext(db, table, column, plaintexts);
    }

    @Override
    public String createdColumnTypes() {
        return "balance=bytea birth_date=bytea email=bytea notes=text";
    }

    @Override
    public String currentSchemaFunction() {
        return "current_schema()";
    }

    @Override
    public String pagingClause() {
        return " offset ? rows fetch first ? rows only";
    }

    @Override
    public HibernateTarget fresh(String prefix) throws Exception {
        return create(prefix);
    }
}
