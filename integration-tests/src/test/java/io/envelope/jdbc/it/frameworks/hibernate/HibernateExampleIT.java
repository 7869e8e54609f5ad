package io.envelope.jdbc.it.frameworks.hibernate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hibernate ORM 7 with HikariCP over envelope-jdbc on PostgreSQL: the {@link HibernateScenarios} (CRUD, JPQL and
 * Criteria queries by deterministic fields, natural-id lookups, JDBC batching, pagination, optimistic locking,
 * merge) against a schema that {@code hbm2ddl.auto=validate} accepts, or that Hibernate creates from the
 * {@link Patient} entity's column definitions. The configuration is what config-examples/persistence.xml shows.
 */
class HibernateExampleIT extends HibernateScenarios {

    @BeforeAll
    static void start() throws Exception {
        start(PostgresHibernateTarget.create("hibernate"));
    }

    /** When Hibernate creates the schema, columnDefinition makes the encrypted columns bytea/text. */
    @Test
    void hibernateCreatesTheSchemaFromColumnDefinitions() throws Exception {
        assertHibernateCreatesTheSchemaFromColumnDefinitions("hibernate_create");
    }
}
