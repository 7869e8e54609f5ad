package io.envelope.jdbc.it.mariadb;

/** The {@link AttackScenarios} with MariaDB Connector/J behind the wrapper. */
class MariaDbAttacksIT extends AttackScenarios {

    MariaDbAttacksIT() {
        super(TargetDriver.MARIADB_CONNECTOR_J);
    }
}
