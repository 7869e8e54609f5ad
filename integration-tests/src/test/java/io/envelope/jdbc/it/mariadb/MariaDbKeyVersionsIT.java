package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.EncryptedPlace;
import io.envelope.jdbc.it.sql.KeyVersionScenarios;
import io.envelope.jdbc.it.sql.KeyVersionTarget;

/** The {@link KeyVersionScenarios} on MariaDB through MariaDB Connector/J. */
class MariaDbKeyVersionsIT extends KeyVersionScenarios {

    MariaDbKeyVersionsIT() {
        super(new MariaDb());
    }

    private static final class MariaDb implements KeyVersionTarget {

        @Override
        public EncryptedPlace create(String prefix, String tablesYaml, String extraYaml) throws Exception {
            return EncryptedMariaDb.create(prefix, tablesYaml, extraYaml);
        }

        @Override
        public String identityOfT(EncryptedPlace place) {
            return ((EncryptedMariaDb) place).database() + ".t";
        }

        @Override
        public String[] createTables() {
            return new String[] {
                    "CREATE TABLE t (id INT PRIMARY KEY, email VARBINARY(255), code TEXT, n VARBINARY(255),"
                            + " legacy TEXT, legacyb VARBINARY(255), note BLOB)",
                    "CREATE TABLE elsewhere (id INT PRIMARY KEY, email VARBINARY(255))"};
        }

        @Override
        public String insertPlaintextLegacyRow() {
            return "INSERT INTO t (id, legacy, legacyb) VALUES (10, 'plain-l', 'plain-b')";
        }

        @Override
        public String flipLastByteOfEmailInRow1() {
            return "UPDATE t SET email = CONCAT(LEFT(email, LENGTH(email) - 1), CHAR(ASCII(RIGHT(email, 1)) ^ 1))"
                    + " WHERE id = 1";
        }

        /** A widened lookup is {@code IN (?, ?)} over the candidates: MySQL has no arrays. */
        @Override
        public String widenedLookupMarker() {
            return "IN (";
        }
    }
}
