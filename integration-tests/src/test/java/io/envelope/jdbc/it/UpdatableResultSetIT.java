package io.envelope.jdbc.it;

/** The {@link UpdatableResultSetScenarios} on PostgreSQL through pgJDBC. */
class UpdatableResultSetIT extends UpdatableResultSetScenarios {

    UpdatableResultSetIT() {
        super(new Target() {
            @Override
            public EncryptedPlace create(String prefix, String tablesYaml) throws Exception {
                return EncryptedDatabase.create(prefix, tablesYaml);
            }

            @Override
            public String qualifier(EncryptedPlace place) {
                return ((EncryptedDatabase) place).schema();
            }

            @Override
            public String createCustomers() {
                return "CREATE TABLE customers (id int PRIMARY KEY, name text, email bytea, ssn text)";
            }
        });
    }
}
