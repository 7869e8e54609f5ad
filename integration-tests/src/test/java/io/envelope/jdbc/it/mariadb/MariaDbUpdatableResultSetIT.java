package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.it.UpdatableResultSetScenarios;

/** The {@link UpdatableResultSetScenarios} on MariaDB through MariaDB Connector/J. */
class MariaDbUpdatableResultSetIT extends UpdatableResultSetScenarios {

    MariaDbUpdatableResultSetIT() {
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
        });
    }
}
