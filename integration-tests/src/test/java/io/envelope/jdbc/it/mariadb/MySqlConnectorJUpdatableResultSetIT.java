package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.UpdatableResultSetScenarios;

/** The {@link UpdatableResultSetScenarios} on MariaDB through MySQL Connector/J, whose updatable result sets differ. */
class MySqlConnectorJUpdatableResultSetIT extends UpdatableResultSetScenarios {

    MySqlConnectorJUpdatableResultSetIT() {
        super(new MariaDbUpdatableTarget(TargetDriver.MYSQL_CONNECTOR_J));
    }
}
