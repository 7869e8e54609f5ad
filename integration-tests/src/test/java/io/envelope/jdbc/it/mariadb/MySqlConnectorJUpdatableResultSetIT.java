package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.it.UpdatableResultSetScenarios;

import java.sql.Connection;
import java.sql.SQLException;

/** The {@link UpdatableResultSetScenarios} on MariaDB through MySQL Connector/J, whose updatable result sets differ. */
class MySqlConnectorJUpdatableResultSetIT extends UpdatableResultSetScenarios {

    MySqlConnectorJUpdatableResultSetIT() {
        super(new Target() {
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
                return "CREATE TABLE customers (id int PRIMARY KEY, name varchar(100), email varbinary(200),"
                        + " ssn varchar(200))";
            }

            @Override
            public Connection connect(EncryptedPlace place) throws SQLException {
                return ((EncryptedMariaDb) place).connectThroughMySqlConnectorJ();
            }
        });
    }
}
