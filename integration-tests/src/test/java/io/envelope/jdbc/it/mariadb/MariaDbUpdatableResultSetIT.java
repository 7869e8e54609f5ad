package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.UpdatableResultSetScenarios;

/** The {@link UpdatableResultSetScenarios} on MariaDB through MariaDB Connector/J. */
class MariaDbUpdatableResultSetIT extends UpdatableResultSetScenarios {

    MariaDbUpdatableResultSetIT() {
        super(new MariaDbUpdatableTarget(TargetDriver.MARIADB_CONNECTOR_J));
    }
}
