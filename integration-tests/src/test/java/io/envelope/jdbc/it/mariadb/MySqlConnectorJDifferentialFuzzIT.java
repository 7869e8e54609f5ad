package io.envelope.jdbc.it.mariadb;

/**
 * The {@link MySqlDifferentialFuzzScenarios} with MySQL Connector/J as the target driver: what it was handed and
 * what the server stores are checked the same way. While the session's NO_BACKSLASH_ESCAPES differs from the one
 * the driver read when it connected, every statement naming the configured table is refused (the driver would
 * escape bound strings for the other mode), so those stretches count as refusals.
 */
class MySqlConnectorJDifferentialFuzzIT extends MySqlDifferentialFuzzScenarios {

    MySqlConnectorJDifferentialFuzzIT() {
        super(TargetDriver.MYSQL_CONNECTOR_J);
    }
}
