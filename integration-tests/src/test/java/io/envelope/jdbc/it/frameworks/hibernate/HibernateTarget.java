package io.envelope.jdbc.it.frameworks.hibernate;

import org.hibernate.jpa.HibernatePersistenceConfiguration;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database under {@link HibernateScenarios}, with what differs from one database to another: the schema made
 * by hand, the Hibernate dialect and column definitions, the types Hibernate creates, the SQL a paged query ends
 * in, and how to read the stored ciphertext.
 */
public interface HibernateTarget {

    /** The encrypted tables' configuration for {@link Patient} ({@code tables:} body, indented by two spaces). */
    String PATIENTS = """
              patients:
                columns:
                  email:       { mode: deterministic }
                  national_id: { mode: deterministic, type: uuid }
                  birth_date:  { type: date }
                  risk_score:  { mode: deterministic, type: int }
                  balance:     { type: decimal, scale: 2 }
                  scan:        { type: bytes }
                  notes:       { pad: 32 }
            """;

    /** Makes the schema as a DBA (or Flyway) would: the id generator and every table of the managed entities. */
    void createSchema() throws SQLException;

    /** The {@code hbm2ddl.auto} setting to start with on the schema {@link #createSchema} made. */
    String schemaCheck();

    /** The wrapper's URL with the test's configuration in it: what an application's persistence.xml would name. */
    String jdbcUrl();

    /** Adds this database's part of the configuration: the dialect if named, column definitions, more entities. */
    HibernatePersistenceConfiguration configure(HibernatePersistenceConfiguration configuration);

    /** A plain connection: what the database really holds. */
    Connection plain() throws SQLException;

    /** Asserts that the stored values of {@code table.column} are envelope values with none of {@code plaintexts}. */
    void assertStoredAsCiphertext(String table, String column, String... plaintexts) throws SQLException;

    /**
     * The physical types of patients' balance, birth_date, email and notes when Hibernate creates the table from the
     * column definitions, as {@code column=data_type} in that order.
     */
    String createdColumnTypes();

    /** The SQL function naming the schema (or database) of a plain connection. */
    String currentSchemaFunction();

    /** What the SQL of a query with {@code setFirstResult}/{@code setMaxResults} contains in this dialect. */
    String pagingClause();

    /** Another, empty corner of the same database, configured alike (for {@code hbm2ddl.auto=create}). */
    HibernateTarget fresh(String prefix) throws Exception;
}
