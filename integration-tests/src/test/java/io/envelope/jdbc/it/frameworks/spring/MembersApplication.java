package io.envelope.jdbc.it.frameworks.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain Spring Boot application (JdbcTemplate + Spring Data JPA). Nothing in its code knows about
 * envelope-jdbc: only {@code spring.datasource.url}, the driver class and {@code envelope.config} differ from an
 * app without encryption (the manual setup of docs/integrations.md).
 */
@SpringBootApplication
public class MembersApplication {
}
