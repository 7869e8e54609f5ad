package io.envelope.jdbc.it.frameworks.slices;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application the test slices of this package find: its entity, its repository, no envelope-jdbc code. */
@SpringBootApplication
public class SlicesApplication {
}
