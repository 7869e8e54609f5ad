package io.envelope.jdbc.it.mariadb.hibernate;

import io.envelope.jdbc.it.frameworks.hibernate.HibernateTarget;
import io.envelope.jdbc.it.mariadb.EncryptedMariaDb;
import io.envelope.jdbc.it.mariadb.MariaDbCiphertext;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * MariaDB under the Hibernate scenarios, with one of two dialects: the patients' encrypted columns VARBINARY (the
 * mapping file {@value #MAPPING} says so over the entity's bytea), and two more entities for what only this
 * server's SQL has ({@link Contact} for {@code INSERT … ON DUPLICATE KEY UPDATE}, {@link Note} for
 * {@code INSERT … RETURNING}).
 */
final class MariaDbHibernateTarget implements HibernateTarget {

    /** The patients' column definitions on MariaDB. */
    static final String MAPPING = "hibernate/patient-mariadb.orm.xml";

    private static final String TABLES = PATIENTS + """
              contacts:
                columns:
                  email: { mode: deterministic }
                  phone: { mode: randomized }
              notes:
                columns:
                  author: { mode: deterministic }
                  body:   { mode: randomized }
            """;

    /** What a dialect needs of the hand-made schema. */
    enum Dialect {
        /** A native sequence for the ids; the schema made by hand passes {@code hbm2ddl.auto=validate}. */
        MARIADB("org.hibernate.dialect.MariaDBDialect", "validate",
                "CREATE SEQUENCE patients_seq START WITH 1 INCREMENT BY 50"),
        /**
         * No sequences: the ids come from a table that Hibernate reads and bumps; {@code validate} reports an
         * existing table missing (with the plain driver too), so the schema is not validated.
         */
        MYSQL("org.hibernate.dialect.MySQLDialect", "none",
                "CREATE TABLE patients_seq (next_val BIGINT)", "INSERT INTO patients_seq VALUES (1)");

        final String className;
        final String schemaCheck;
        final String[] idGenerator;

        Dialect(String className, String schemaCheck, String... idGenerator) {
            this.className = className;
            this.schemaCheck = schemaCheck;
            this.idGenerator = idGenerator;
        }
    }

    private final EncryptedMariaDb db;
    private final Dialect dialect;

    private MariaDbHibernateTarget(EncryptedMariaDb db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    static MariaDbHibernateTarget create(String prefix, Dialect dialect) throws Exception {
        return new MariaDbHibernateTarget(EncryptedMariaDb.create(prefix, TABLES), dialect);
    }

    EncryptedMariaDb db() {
        return db;
    }

    String dialectClass() {
        return dialect.className;
    }

    @Override
    public void createSchema() throws SQLException {
        db.executePlain(dialect.idGenerator);
        db.executePlain("CREATE TABLE patients (id BIGINT PRIMARY KEY, version INT NOT NULL,"
                        + " email VARBINARY(255) NOT NULL UNIQUE, national_id VARBINARY(255),"
                        + " birth_date VARBINARY(255), risk_score VARBINARY(255), balance VARBINARY(255),"
                        + " scan VARBINARY(1000), notes TEXT, ward VARCHAR(255))",
                "CREATE TABLE contacts (id BIGINT PRIMARY KEY, email VARBINARY(255) UNIQUE, phone TEXT,"
                        + " label VARCHAR(100))",
                "CREATE TABLE notes (id BIGINT AUTO_INCREMENT PRIMARY KEY, author VARBINARY(255), body TEXT,"
                        + " created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
    }

    @Override
    public String schemaCheck() {
        return dialect.schemaCheck;
    }

    @Override
    public String jdbcUrl() {
        return db.envelopeUrl() + "&envelope.config=" + db.configFile();
    }

    @Override
    public HibernatePersistenceConfiguration configure(HibernatePersistenceConfiguration configuration) {
        return configuration.mappingFile(MAPPING).managedClass(Contact.class).managedClass(Note.class)
                .property("hibernate.dialect", dialect.className);
    }

    @Override
    public Connection plain() throws SQLException {
        return db.plain();
    }

    @Override
    public void assertStoredAsCiphertext(String table, String column, String... plaintexts) throws SQLException {
        MariaDbCiphertext.assertStoredAsCiphertext(db, table, column, plaintexts);
    }

    @Override
    public String createdColumnTypes() {
        return "balance=varbinary birth_date=varbinary email=varbinary notes=text";
    }

    @Override
    public String currentSchemaFunction() {
        return "DATABASE()";
    }

    @Override
    public String pagingClause() {
        return "limit";
    }

    @Override
    public HibernateTarget fresh(String prefix) throws Exception {
        return create(prefix, dialect);
    }
}
