package io.envelope.jdbc.sql;

import io.envelope.jdbc.EnvelopeErrors;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What MySQL Connector/J believes of its session. It reads {@code sql_mode} once, when it connects, and does not
 * notice a later {@code SET sql_mode}: it then keeps finding placeholders (and escaping bound strings) for the
 * NO_BACKSLASH_ESCAPES it read. Where that belief and the session differ, a bound string can end where the server
 * does not end it, so the dialect refuses such a session ({@link SqlDialect#readMySqlSession}).
 *
 * <p>Read through the driver's public interfaces ({@code com.mysql.cj.MysqlConnection#getSession},
 * {@code Session#getServerSession}, {@code ServerSession#isNoBackslashEscapesSet}) by reflection, since
 * envelope-jdbc does not depend on the driver; the connection may be a pool's proxy, which unwraps to it.
 */
final class MySqlConnectorJState {

    private static final String CONNECTION = "com.mysql.cj.MysqlConnection";

    private MySqlConnectorJState() {
    }

    /**
     * Whether the driver behind {@code connection} takes the session to have NO_BACKSLASH_ESCAPES.
     *
     * @throws SQLException an {@code envelope-jdbc:} error when the driver's belief cannot be read (fail closed)
     */
    static boolean believesNoBackslashEscapes(Connection connection) throws SQLException {
        Exception cause = null;
        for (ClassLoader loader : new ClassLoader[] {connection.getClass().getClassLoader(),
                Thread.currentThread().getContextClassLoader(), MySqlConnectorJState.class.getClassLoader()}) {
            try {
                Class<?> type = Class.forName(CONNECTION, false, loader);
                if (!connection.isWrapperFor(type)) {
                    continue;
                }
                Object driverConnection = connection.unwrap(type);
                Object session = type.getMethod("getSession").invoke(driverConnection);
                Method serverSession = Class.forName("com.mysql.cj.Session", false, type.getClassLoader())
                        .getMethod("getServerSession");
                Object server = serverSession.invoke(session);
                Object flag = Class.forName("com.mysql.cj.protocol.ServerSession", false, type.getClassLoader())
                        .getMethod("isNoBackslashEscapesSet").invoke(server);
                return (Boolean) flag;
            } catch (ReflectiveOperationException | RuntimeException e) {
                cause = e;
            }
        }
        throw EnvelopeErrors.config("cannot read which NO_BACKSLASH_ESCAPES MySQL Connector/J assumes for this "
                + "session (" + (cause == null ? "its connection does not unwrap to " + CONNECTION
                : cause.getClass().getSimpleName()) + "), so the connection is refused: envelope-jdbc must know "
                + "where the driver finds each ? placeholder");
    }
}
