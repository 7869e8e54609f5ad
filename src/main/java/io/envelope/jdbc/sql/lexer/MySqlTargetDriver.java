package io.envelope.jdbc.sql.lexer;

/**
 * The target drivers envelope-jdbc accepts for MySQL and MariaDB servers. Each finds a prepared statement's
 * {@code ?} placeholders with its own client-side scan of the text, which {@link MySqlLexer} re-traces to refuse
 * text where that scan and the server's reading disagree; any other driver's scan is unknown, so it is refused.
 */
public enum MySqlTargetDriver {

    /** MariaDB Connector/J 3.x: {@link MariaDbClientScan}. */
    MARIADB_CONNECTOR_J("MariaDB Connector/J"),

    /** MySQL Connector/J 9.x: {@link MySqlConnectorJScan}. */
    MYSQL_CONNECTOR_J("MySQL Connector/J");

    private final String driverName;

    MySqlTargetDriver(String driverName) {
        this.driverName = driverName;
    }

    /** The name the driver reports ({@code DatabaseMetaData.getDriverName}). */
    public String driverName() {
        return driverName;
    }

    /** The driver of this name (its reported name, which may carry a suffix), or null for any other. */
    public static MySqlTargetDriver named(String reported) {
        if (reported != null) {
            for (MySqlTargetDriver d : values()) {
                if (reported.startsWith(d.driverName)) {
                    return d;
                }
            }
        }
        return null;
    }

    /** Null when this driver would find exactly the placeholders of {@code lexed}; else why not (no SQL text). */
    String disagreement(LexedSql lexed, boolean noBackslashEscapes) {
        return this == MARIADB_CONNECTOR_J ? MariaDbClientScan.disagreement(lexed, noBackslashEscapes)
                : MySqlConnectorJScan.disagreement(lexed, noBackslashEscapes);
    }
}
