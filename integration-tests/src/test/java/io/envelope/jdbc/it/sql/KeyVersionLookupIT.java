package io.envelope.jdbc.it.sql;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.EncryptedPlace;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link KeyVersionScenarios} on PostgreSQL through pgJDBC, and the parameter metadata of a widened lookup
 * (pgJDBC describes parameters; MariaDB Connector/J does not, with or without the wrapper).
 */
class KeyVersionLookupIT extends KeyVersionScenarios {

    KeyVersionLookupIT() {
        super(new Postgres());
    }

    @Test
    void parameterMetadataDescribesTheApplicationsParametersWhenALookupIsWidened() throws Exception {
        try (Connection c = db.connect()) {
            insert(c, 1, "a@x", "k1");
            rotate();
            try (PreparedStatement ps = c.prepareStatement("select id from t where email = ? and id > ?")) {
                java.sql.ParameterMetaData metaData = ps.getParameterMetaData();
                assertThat(metaData.getParameterCount()).as("2 application parameters, 3 in the SQL sent")
                        .isEqualTo(2);
                assertThat(metaData.getParameterType(1)).isEqualTo(java.sql.Types.VARCHAR);
                assertThat(metaData.getParameterType(2)).isEqualTo(java.sql.Types.INTEGER);
                ps.setString(1, "a@x");
                ps.setInt(2, 0);
                assertThat(ids(ps)).containsExactly(1);
            }
        }
    }

    private static final class Postgres implements KeyVersionTarget {

        @Override
        public EncryptedPlace create(String prefix, String tablesYaml, String extraYaml) throws Exception {
            return EncryptedDatabase.create(prefix, tablesYaml, extraYaml);
        }

        @Override
        public String identityOfT(EncryptedPlace place) {
            return ((EncryptedDatabase) place).schema() + ".t";
        }

        @Override
        public String[] createTables() {
            return new String[] {
                    "CREATE TABLE t (id int PRIMARY KEY, email bytea, code text, n bytea, legacy text, legacyb bytea,"
                            + " note bytea)",
                    "CREATE TABLE elsewhere (id int PRIMARY KEY, email bytea)"};
        }

        @Override
        public String insertPlaintextLegacyRow() {
            return "insert into t (id, legacy, legacyb) values (10, 'plain-l', convert_to('plain-b', 'UTF8'))";
        }

        @Override
        public String flipLastByteOfEmailInRow1() {
            return "UPDATE t SET email = set_byte(email, length(email) - 1, get_byte(email, length(email) - 1) # 1)"
                    + " WHERE id = 1";
        }

        /** pgJDBC's statement text: a widened lookup is {@code = ANY (?)} over an array of candidates. */
        @Override
        public String widenedLookupMarker() {
            return "ANY";
        }
    }
}
