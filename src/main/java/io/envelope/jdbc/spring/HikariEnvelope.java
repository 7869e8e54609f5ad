package io.envelope.jdbc.spring;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.EnvelopeDriver;
import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.driver.EnvelopeUrl;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Turns a HikariCP pool that has not started into a pool of envelope-jdbc connections, in place. Only loaded when
 * HikariCP is on the class path.
 */
final class HikariEnvelope {

    private HikariEnvelope() {
    }

    static boolean isHikari(DataSource dataSource) {
        try {
            return dataSource instanceof HikariDataSource || dataSource.isWrapperFor(HikariDataSource.class);
        } catch (SQLException e) {
            return false;
        }
    }

    static void encrypt(DataSource dataSource, EnvelopeSettings settings) throws SQLException {
        HikariDataSource hikari = dataSource instanceof HikariDataSource h ? h : dataSource.unwrap(HikariDataSource.class);
        if (hikari.getDataSource() instanceof EnvelopeDataSource
                || EnvelopeDataSource.class.getName().equals(hikari.getDataSourceClassName())) {
            return; // already a pool of envelope-jdbc connections
        }
        if (hikari.isRunning()) {
            throw EnvelopeErrors.config("HikariCP pool " + hikari.getPoolName() + " was started before"
                    + " envelope-jdbc could wrap it; nothing may take a connection from it while the application"
                    + " context starts (or wrap it yourself: new EnvelopeDataSource(pool, configuration))");
        }
        if (hikari.getDataSource() != null) {
            hikari.setDataSource(new EnvelopeDataSource(hikari.getDataSource(),
                    settings.resolve(new Properties(), Map.of())));
            return;
        }
        String url = hikari.getJdbcUrl();
        if (url == null) {
            throw EnvelopeErrors.config("HikariCP pool " + hikari.getPoolName() + " has no jdbcUrl (it uses"
                    + " dataSourceClassName " + hikari.getDataSourceClassName() + "); envelope-jdbc wraps pools"
                    + " configured by URL. Give spring.datasource.url, or wrap it yourself with EnvelopeDataSource");
        }
        Properties properties = hikari.getDataSourceProperties();
        String targetUrl = url;
        Map<String, String> urlParameters = Map.of();
        if (EnvelopeUrl.accepts(url)) {
            EnvelopeUrl parsed = EnvelopeUrl.parse(url);
            targetUrl = parsed.targetUrl();
            urlParameters = parsed.envelopeParameters();
        }
        EnvelopeConfig config = settings.resolve(properties, urlParameters);
        String driver = hikari.getDriverClassName();
        if (EnvelopeDriver.class.getName().equals(driver)) {
            driver = null; // the target driver is found by URL, as the envelope driver would find it
        }
        DataSource target = new DriverDataSource(targetUrl, driver, EnvelopeUrl.targetProperties(properties),
                hikari.getUsername(), hikari.getPassword());
        hikari.setDataSource(new EnvelopeDataSource(target, config));
    }
}
