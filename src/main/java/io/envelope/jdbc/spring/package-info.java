/**
 * Spring Boot auto-configuration (Spring Boot 4): wraps the application's DataSources, publishes the Micrometer
 * meters and contributes the {@code envelope} health indicator. Spring Boot, HikariCP and Micrometer are optional
 * dependencies of envelope-jdbc: nothing here is loaded unless Spring Boot finds it through
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}.
 */
package io.envelope.jdbc.spring;
