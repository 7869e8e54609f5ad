package io.envelope.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Customers with an encrypted email (deterministic, so it can be looked up) and name (randomized), behind a small
 * REST API. Nothing in the code knows about encryption: envelope-jdbc is a dependency and an {@code envelope:} block
 * in application.yml.
 */
@SpringBootApplication
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
