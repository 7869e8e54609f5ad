package io.envelope.jdbc;

import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.driver.EnvelopeConnector;
import io.envelope.jdbc.driver.EnvelopeUrl;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The {@code jdbc:envelope:} driver (see README, Quick start). {@code jdbc:envelope:postgresql://db/app} delegates to
 * {@code jdbc:postgresql://db/app} through whatever driver {@link DriverManager} finds for it; the target driver
 * only has to be on the class path, and is never loaded by a class name guessed from the URL.
 */
public final class EnvelopeDriver implements Driver {

    static {
        try {
            DriverManager.registerDriver(new EnvelopeDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return EnvelopeUrl.accepts(url);
    }

    /**
     * Opens a target connection and wraps it. The configuration is found, loaded and fully validated here: every
     * configuration error is raised by this call.
     *
     * @return null for a URL that is not {@code jdbc:envelope:} (as JDBC asks of drivers)
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Properties properties = info == null ? new Properties() : info;
        EnvelopeUrl parsed = EnvelopeUrl.parse(url);
        EnvelopeConfig config = ConfigLoader.load(properties, parsed.envelopeParameters());
        Properties targetProperties = EnvelopeUrl.targetProperties(properties);
        Driver target = targetDriver(parsed.targetUrl());
        return EnvelopeConnector.connect(config, parsed.targetUrl(), targetProperties,
                () -> openTarget(target, parsed.targetUrl(), targetProperties));
    }

    private static Driver targetDriver(String targetUrl) throws SQLException {
        try {
            return DriverManager.getDriver(targetUrl);
        } catch (SQLException e) {
            throw EnvelopeErrors.config("no JDBC driver on the class path accepts the target URL "
                    + scheme(targetUrl) + "...; add the database's driver (e.g. org.postgresql:postgresql)", e);
        }
    }

    private static Connection openTarget(Driver target, String url, Properties properties) throws SQLException {
        Connection connection = target.connect(url, properties);
        if (connection == null) {
            throw EnvelopeErrors.config("the target driver " + target.getClass().getName()
                    + " did not accept the target URL " + scheme(url) + "...");
        }
        return connection;
    }

    /** The URL up to the host part, for messages: never credentials in the query. */
    private static String scheme(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return new DriverPropertyInfo[0];
        }
        String target = EnvelopeUrl.parse(url).targetUrl();
        DriverPropertyInfo[] targetInfo = targetDriver(target).getPropertyInfo(target,
                EnvelopeUrl.targetProperties(info == null ? new Properties() : info));
        DriverPropertyInfo config = new DriverPropertyInfo(ConfigLoader.CONFIG_PROPERTY,
                info == null ? null : info.getProperty(ConfigLoader.CONFIG_PROPERTY));
        config.description = "envelope-jdbc configuration: a file path or classpath:NAME";
        DriverPropertyInfo[] all = Arrays.copyOf(targetInfo, targetInfo.length + 1);
        all[targetInfo.length] = config;
        return all;
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** Not JDBC compliant in the strict sense: some SQL on encrypted columns is refused by design. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException(EnvelopeErrors.PREFIX + "envelope-jdbc logs through SLF4J");
    }
}
