package io.envelope.jdbc.spring;

import io.envelope.jdbc.micrometer.EnvelopeMeterBinder;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;

/**
 * Spring Boot auto-configuration of envelope-jdbc (Spring Boot 4). Applies when the application asks for it — a
 * {@code jdbc:envelope:} URL, {@code envelope.config}, settings under {@code envelope.}, or
 * {@code envelope.enabled=true} — and never when {@code envelope.enabled=false}:
 * <ul>
 *   <li>every DataSource bean hands out envelope-jdbc connections; HikariCP stays the pool
 *       ({@link EnvelopeDataSourcePostProcessor});</li>
 *   <li>with Micrometer, an {@link EnvelopeMeterBinder} publishes envelope-jdbc's meters;</li>
 *   <li>with Spring Boot's health support, the {@code envelope} health indicator
 *       ({@code management.health.envelope.enabled=false} turns it off).</li>
 * </ul>
 * Where the configuration comes from: {@link EnvelopeSettings}. The driver class for a {@code jdbc:envelope:} URL is
 * filled in by {@link EnvelopeEnvironmentPostProcessor}.
 */
@AutoConfiguration
@ConditionalOnClass(DataSource.class)
@Conditional(EnvelopeActivatedCondition.class)
public class EnvelopeAutoConfiguration {

    @Bean
    static EnvelopeDataSourcePostProcessor envelopeDataSourcePostProcessor(Environment environment) {
        return new EnvelopeDataSourcePostProcessor(environment);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        EnvelopeMeterBinder envelopeMeterBinder() {
            return new EnvelopeMeterBinder();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("envelope")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "envelopeHealthIndicator")
        EnvelopeHealthIndicator envelopeHealthIndicator(ObjectProvider<DataSource> dataSources) {
            return new EnvelopeHealthIndicator(dataSources::getIfUnique);
        }
    }
}
