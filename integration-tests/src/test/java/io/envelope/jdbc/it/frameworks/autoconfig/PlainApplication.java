package io.envelope.jdbc.it.frameworks.autoconfig;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with no code about envelope-jdbc at all: what it gets comes from the dependency and its
 * application.yml.
 */
@SpringBootApplication
public class PlainApplication {
}
