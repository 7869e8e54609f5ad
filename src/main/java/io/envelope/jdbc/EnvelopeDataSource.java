package io.envelope.jdbc;

import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.driver.EnvelopeConnector;
import io.envelope.jdbc.keys.ConnectionSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A {@link DataSource} for envelope-jdbc (see README, Quick start), in one of two ways:
 * <ul>
 *   <li>as a bean ({@code url} — the {@code jdbc:envelope:} URL —, {@code user}, {@code password},
 *       {@code configLocation}), e.g. HikariCP's {@code dataSourceClassName};</li>
 *   <li>wrapping an existing DataSource (a pool): {@code new EnvelopeDataSource(pool, "classpath:envelope.yaml")}.</li>
 * </ul>
 */
public class EnvelopeDataSource implements DataSource {

    private final DataSource target;
    /** The configuration given when wrapping; null to load it (from {@code configLocation} or the search). */
    private final EnvelopeConfig config;
    private volatile String url;
    private volatile String user;
    private volatile String password;
    private volatile String configLocation;
    private volatile int loginTimeout;
    private volatile PrintWriter logWriter;

    /** A bean: set {@code url} (and {@code user}, {@code password}, {@code configLocation}) before use. */
    public EnvelopeDataSource() {
        this.target = null;
        this.config = null;
    }

    /**
     * Wraps an existing DataSource: its connections are the target connections.
     *
     * @param target         the DataSource to wrap (e.g. a HikariDataSource)
     * @param configLocation a file path or {@code classpath:NAME}; null to search as the driver does
     */
    public EnvelopeDataSource(DataSource target, String configLocation) {
        if (target == null) {
            throw new IllegalArgumentException("target DataSource is null");
        }
        this.target = target;
        this.config = null;
        this.configLocation = configLocation;
    }

    /**
     * Wraps an existing DataSource with a configuration loaded already (e.g. from Spring Boot properties by the
     * auto-configuration, or from {@link io.envelope.jdbc.config.ConfigLoader#loadFrom(String)}).
     *
     * @param target the DataSource to wrap
     * @param config the loaded and validated configuration
     */
    public EnvelopeDataSource(DataSource target, EnvelopeConfig config) {
        if (target == null) {
            throw new IllegalArgumentException("target DataSource is null");
        }
        if (config == null) {
            throw new IllegalArgumentException("configuration is null");
        }
        this.target = target;
        this.config = config;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        if (target != null) {
            EnvelopeConfig loaded = config != null ? config : ConfigLoader.load(configProperties(), Map.of());
            // Key work that must commit on its own borrows from the same pool, briefly (see KeyConnections).
            return EnvelopeConnector.connect(loaded, target, ConnectionSource.ofPool(
                    () -> username == null ? target.getConnection() : target.getConnection(username, pass)));
        }
        if (url == null) {
            throw EnvelopeErrors.config("EnvelopeDataSource has no url; set it to a jdbc:envelope: URL");
        }
        Properties properties = configProperties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (pass != null) {
            properties.setProperty("password", pass);
        }
        Connection connection = new EnvelopeDriver().connect(url, properties);
        if (connection == null) {
            throw EnvelopeErrors.config("EnvelopeDataSource url must start with jdbc:envelope:");
        }
        return connection;
    }

    private Properties configProperties() {
        Properties properties = new Properties();
        if (configLocation != null) {
            properties.setProperty(ConfigLoader.CONFIG_PROPERTY, configLocation);
        }
        return properties;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    /** Write-only in spirit: there is no getter, so the password never shows up in bean dumps. */
    public void setPassword(String password) {
        this.password = password;
    }

    public String getConfigLocation() {
        return configLocation;
    }

    public void setConfigLocation(String configLocation) {
        this.configLocation = configLocation;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target != null ? target.getLogWriter() : logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        if (target != null) {
            target.setLogWriter(out);
        } else {
            this.logWriter = out;
        }
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        if (target != null) {
            target.setLoginTimeout(seconds);
        } else {
            this.loginTimeout = seconds;
        }
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target != null ? target.getLoginTimeout() : loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException(EnvelopeErrors.PREFIX + "envelope-jdbc logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (target != null) {
            return target.unwrap(iface);
        }
        throw new SQLException(EnvelopeErrors.PREFIX + "EnvelopeDataSource does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || (target != null && target.isWrapperFor(iface));
    }

    @Override
    public String toString() {
        return "EnvelopeDataSource[" + (target != null ? "wrapping " + target.getClass().getName() : "url") + "]";
    }
}
