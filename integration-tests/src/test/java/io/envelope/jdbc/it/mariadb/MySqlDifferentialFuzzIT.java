package io.envelope.jdbc.it.mariadb;

/** The {@link MySqlDifferentialFuzzScenarios} with MariaDB Connector/J behind the wrapper. */
class MySqlDifferentialFuzzIT extends MySqlDifferentialFuzzScenarios {

    MySqlDifferentialFuzzIT() {
        super(TargetDriver.MARIADB_CONNECTOR_J);
    }
}
