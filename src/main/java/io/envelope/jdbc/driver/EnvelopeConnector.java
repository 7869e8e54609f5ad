package io.envelope.jdbc.driver;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.keys.ConnectionSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the public entry points ({@code EnvelopeDriver}, {@code EnvelopeDataSource}) meet the wrapper: finds the
 * runtime for a configuration and database, opens the target connection and wraps it.
 */
public final class EnvelopeConnector {

    private EnvelopeConnector() {
    }

    /**
     * @param config           the loaded configuration
     * @param targetUrl        the target URL (identifies the database, with the user, for runtime sharing; see
     *                         {@link DatabaseIdentity})
     * @param targetProperties the properties the target driver receives
     * @param targets          opens target connections: the application's, and the key table's own
     */
    public static Connection connect(EnvelopeConfig config, String targetUrl, Properties targetProperties,
                                     ConnectionSource targets) throws SQLException {
        return connect(config, DatabaseIdentity.of(targetUrl, targetProperties), targets);
    }

    /**
     * @param database what identifies the target database for runtime sharing (a URL and user, or a DataSource)
     */
    public static Connection connect(EnvelopeConfig config, Object database, ConnectionSource targets)
            throws SQLException {
        EnvelopeRuntime runtime = null;
        Connection target = null;
        try {
            target = targets.open();
            if (target.isWrapperFor(EnvelopeConnection.class)) {
                // A pool of envelope-jdbc connections wrapped once more (e.g. a proxy DataSource around it): a second
                // layer would encrypt the ciphertext again, so the connection is handed out as it is.
                return target;
            }
            runtime = EnvelopeRuntimes.acquire(config, database, targets);
            return new EnvelopeConnection(target, runtime);
        } catch (SQLException | RuntimeException e) {
            if (runtime != null) {
                EnvelopeRuntimes.release(runtime);
            }
            try {
                if (target != null) {
                    target.close();
                }
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
