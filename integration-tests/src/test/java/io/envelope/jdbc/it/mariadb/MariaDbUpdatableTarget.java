package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.it.UpdatableResultSetScenarios;

import java.sql.Connection;
import java.sql.SQLException;

/** The MariaDB server under {@link UpdatableResultSetScenarios}, through one of the two {@link TargetDriver}s. */
final class MariaDbUpdatableTarget implements UpdatableResultSetScenarios.Target {

    private final TargetDriver driver;

    MariaDbUpdatableTarget(TargetDriver driver) {
        this.driver = driver;
    }

    @Override
    public EncryptedPlace create(String prefix, String tablesYaml) throws Exception {
        return EncryptedMariaDb.create(prefix, tablesYaml);
    }

    @Override
    public String qualifier(EncryptedPlace place) {
        return ((EncryptedMariaDb) place).database();
    }

    @Override
    public String createCustomers() {
        return "CREATE TABLE customers (id int PRIMARY KEY, name varchar(100), email varbinary(200), ssn varchar(200))";
    }

    @Override
    public Connection connect(EncryptedPlace place) throws SQLException {
        return driver.connect((EncryptedMariaDb) place);
    }
}
