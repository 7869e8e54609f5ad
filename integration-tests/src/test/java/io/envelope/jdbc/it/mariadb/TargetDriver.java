package io.envelope.jdbc.it.mariadb;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The JDBC driver the wrapper hands statements to on the MariaDB server. The suites written once for both drivers
 * ({@link RoundTripScenarios}, {@link AttackScenarios}, {@link MySqlDifferentialFuzzScenarios}) take one; what the
 * two do differently is named here, so a scenario states what it expects of each instead of asking which driver
 * it runs on.
 */
enum TargetDriver {

    MARIADB_CONNECTOR_J("MariaDB Connector/J") {
        @Override
        Connection connect(EncryptedMariaDb db) throws SQLException {
            return db.connect();
        }

        @Override
        Connection plain(EncryptedMariaDb db) throws SQLException {
            return db.plain();
        }

        @Override
        String plainUrl(EncryptedMariaDb db) {
            return db.plainUrl();
        }

        @Override
        String envelopeUrl(EncryptedMariaDb db) {
            return db.envelopeUrl();
        }

        @Override
        boolean followsALaterNoBackslashEscapes() {
            return true;
        }

        @Override
        boolean closesTheConnectionOnAMultiByteCharacterSet() {
            return true;
        }
    },

    MYSQL_CONNECTOR_J("MySQL Connector/J") {
        @Override
        Connection connect(EncryptedMariaDb db) throws SQLException {
            return db.connectThroughMySqlConnectorJ();
        }

        @Override
        Connection plain(EncryptedMariaDb db) throws SQLException {
            return db.plainThroughMySqlConnectorJ();
        }

        @Override
        String plainUrl(EncryptedMariaDb db) {
            return db.mysqlConnectorJUrl();
        }

        @Override
        String envelopeUrl(EncryptedMariaDb db) {
            return db.envelopeMySqlConnectorJUrl();
        }

        /** It escapes (and scans) bound strings as the session was when it connected. */
        @Override
        boolean followsALaterNoBackslashEscapes() {
            return false;
        }

        /** It lets the session change; the wrapper's next analysis reads the session again. */
        @Override
        boolean closesTheConnectionOnAMultiByteCharacterSet() {
            return false;
        }
    };

    private final String driverName;

    TargetDriver(String driverName) {
        this.driverName = driverName;
    }

    /** What the driver calls itself in {@code DatabaseMetaData.getDriverName()}, which the wrapper passes on. */
    String driverName() {
        return driverName;
    }

    /** A connection through the wrapper to {@code db}, with this driver behind it. */
    abstract Connection connect(EncryptedMariaDb db) throws SQLException;

    /** A plain connection of this driver to {@code db}: what the server holds, as this driver reads it. */
    abstract Connection plain(EncryptedMariaDb db) throws SQLException;

    /** This driver's own URL of {@code db}. */
    abstract String plainUrl(EncryptedMariaDb db);

    /** The wrapper's URL of {@code db} with this driver behind it. */
    abstract String envelopeUrl(EncryptedMariaDb db);

    /** Whether the driver follows NO_BACKSLASH_ESCAPES set by a statement after it connected. */
    abstract boolean followsALaterNoBackslashEscapes();

    /** Whether the driver itself refuses {@code SET NAMES gbk} and closes the connection. */
    abstract boolean closesTheConnectionOnAMultiByteCharacterSet();
}
