package io.envelope.jdbc.spring;

import io.envelope.jdbc.EnvelopeDriver;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Names the driver class for a {@code jdbc:envelope:} URL: Spring Boot guesses driver classes only for URL prefixes
 * it knows, and fails with "Failed to determine a suitable driver class" otherwise. The default is added with the
 * lowest precedence, so a {@code spring.datasource.driver-class-name} the application sets still wins.
 */
public class EnvelopeEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String DRIVER_CLASS_NAME = "spring.datasource.driver-class-name";
    static final String PROPERTY_SOURCE = "envelope-jdbc driver class";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty(EnvelopeSettings.DATASOURCE_URL);
        if (url != null && url.regionMatches(true, 0, "jdbc:envelope:", 0, "jdbc:envelope:".length())
                && !environment.containsProperty(DRIVER_CLASS_NAME)
                && !environment.getPropertySources().contains(PROPERTY_SOURCE)) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE,
                    Map.of(DRIVER_CLASS_NAME, EnvelopeDriver.class.getName())));
        }
    }

    /** After the application's own configuration files are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
