package io.envelope.jdbc.it.keys;

import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.keys.ConnectionSource;
import io.envelope.jdbc.keys.CountingTestKms;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.keys.KeyStatus;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link KeyRingScenarios} against a real PostgreSQL, and the key ring's independence from the application's
 * transaction (which on PostgreSQL can hold DDL, and roll it back).
 */
class KeyRingPostgresIT extends KeyRingScenarios {

    KeyRingPostgresIT() {
        super(new Postgres());
    }

    @Test
    void keyCreatedDuringAnApplicationTransactionSurvivesItsRollback() throws SQLException {
        String schema = TestDatabase.freshSchema("keys_tx");
        String keyTable = schema + ".envelope_data_keys";
        String identity = schema + ".orders";
        KeyRing ring = ring(schema, keyTable, new CountingTestKms());
        try (Connection app = TestDatabase.plainConnection()) {
            app.setAutoCommit(false);
            try (Statement s = app.createStatement()) {
                s.execute("CREATE TABLE " + identity + " (id int primary key, note bytea)");
                s.execute("INSERT INTO " + identity + " VALUES (1, '\\x00')");
            }
            DataKey key = ring.randomizedWriteKey(identity); // as the driver would, mid-transaction
            assertThat(key.version()).isEqualTo(1);
            app.rollback();
        }
        assertThat(countRows(keyTable, identity)).isEqualTo(1);
        try (Connection c = TestDatabase.plainConnection();
             ResultSet rs = c.getMetaData().getTables(null, schema, "orders", null)) {
            assertThat(rs.next()).as("the application's own work was rolled back").isFalse();
        }
        assertThat(ring.rows()).extracting(KeyRow::tableName, KeyRow::keyVersion, KeyRow::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(identity, 1, KeyStatus.ACTIVE));
    }

    /** PostgreSQL through pgJDBC: a schema per test, the key table named with its schema. */
    private static final class Postgres implements KeyRingTarget {

        static {
            // Registered explicitly: until io.envelope.jdbc.EnvelopeDriver exists, the META-INF/services entry that
            // names it can stop DriverManager's service loading before it reaches pgJDBC.
            try {
                Class.forName("org.postgresql.Driver");
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @Override
        public String freshSchema(String prefix) throws SQLException {
            return TestDatabase.freshSchema(prefix);
        }

        @Override
        public ConnectionSource connections(String schema) {
            return () -> DriverManager.getConnection(TestDatabase.jdbcUrl());
        }

        @Override
        public Connection plain() throws SQLException {
            return TestDatabase.plainConnection();
        }

        @Override
        public String racedKeyTableName(String schema) {
            return schema + ".envelope_data_keys";
        }

        @Override
        public int keyTableRaces() {
            return 10;
        }

        @Override
        public List<String> keyTableColumns(String schema) throws SQLException {
            try (Connection c = plain();
                 ResultSet rs = c.getMetaData().getColumns(null, schema, "envelope_data_keys", null)) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
                }
                return columns;
            }
        }

        @Override
        public List<String> expectedKeyTableColumns() {
            return List.of("table_name varchar", "key_version int4", "kms_provider varchar", "kms_key_id varchar",
                    "encrypted_key bytea", "status varchar", "created_at timestamp", "state_seq int8",
                    "state_mac bytea");
        }

        @Override
        public String copyWrappedKey(String keyTable, String from, String to) {
            return "UPDATE " + keyTable + " SET encrypted_key = (SELECT encrypted_key FROM " + keyTable
                    + " WHERE table_name = '" + from + "' AND key_version = 1) WHERE table_name = '" + to + "'";
        }
    }
}
