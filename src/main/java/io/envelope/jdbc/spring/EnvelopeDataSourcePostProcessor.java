package io.envelope.jdbc.spring;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.config.EnvelopeConfig;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Makes every {@link DataSource} bean of the application hand out envelope-jdbc connections.
 *
 * <p>A HikariCP pool (the one Spring Boot makes from {@code spring.datasource.*}, or any other, also behind a proxy
 * DataSource) stays the pool and keeps its settings: before it starts, it is given a DataSource that opens its target
 * connections as it would have (same URL without {@code envelope:}, driver, properties, credentials) and wraps each
 * one, so the pool holds envelope-jdbc connections and a borrowed connection costs nothing extra. Any other
 * DataSource (an embedded test database, another pool) is wrapped as a whole: each borrowed connection is wrapped,
 * which costs a little per borrow. A DataSource that already hands out envelope-jdbc connections is left alone.
 */
final class EnvelopeDataSourcePostProcessor implements BeanPostProcessor {

    private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
            EnvelopeDataSourcePostProcessor.class.getClassLoader());

    private final EnvelopeSettings settings;

    EnvelopeDataSourcePostProcessor(Environment environment) {
        this.settings = new EnvelopeSettings(environment);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (!(bean instanceof DataSource dataSource) || bean instanceof EnvelopeDataSource) {
            return bean;
        }
        try {
            if (HIKARI_PRESENT && HikariEnvelope.isHikari(dataSource)) {
                HikariEnvelope.encrypt(dataSource, settings);
                return bean;
            }
            EnvelopeConfig config = settings.resolve(new Properties(), Map.of());
            return new EnvelopeDataSource(dataSource, config);
        } catch (SQLException e) {
            throw new BeanCreationException(beanName, e.getMessage(), e);
        }
    }
}
