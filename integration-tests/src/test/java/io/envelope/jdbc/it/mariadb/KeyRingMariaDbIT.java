package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.it.keys.KeyRingScenarios;
import io.envelope.jdbc.it.keys.KeyRingTarget;
import io.envelope.jdbc.keys.ConnectionSource;
import io.envelope.jdbc.keys.CountingTestKms;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.TestKeys;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link KeyRingScenarios} with the key table's MariaDB dialect against the real MariaDB server (through
 * MariaDB Connector/J), and what MariaDB's collations add: table identities that differ only in case, or in
 * trailing spaces.
 */
class KeyRingMariaDbIT extends KeyRingScenarios {

    KeyRingMariaDbIT() {
        super(new MariaDb());
    }

    @Test
    void tableIdentitiesKeepTheirCase() throws SQLException {
        String db = MariaDbDatabase.freshDatabase("keys_case");
        String keyTable = db + ".envelope_data_keys";
        KeyRing ring = ring(db, keyTable, new CountingTestKms());
        DataKey lower = ring.randomizedWriteKey(db + ".customers");
        // Under the server's default collation these would share one key row; with lower_case_table_names = 0
        // they are two tables.
        DataKey upper = ring.randomizedWriteKey(db + ".Customers");
        assertThat(TestKeys.bytesOf(upper)).isNotEqualTo(TestKeys.bytesOf(lower));
        assertThat(countRows(keyTable, db + ".customers")).isEqualTo(1);
        assertThat(ring.rows()).hasSize(2);
        // The collation ignores trailing spaces (no table name has one): the row found is bound to its own name,
        // so it is refused, never handed out as this name's key.
        assertThatThrownBy(() -> ring.randomizedWriteKey(db + ".customers "))
                .hasMessageStartingWith("envelope-jdbc: ");
        assertThat(ring.rows()).hasSize(2);
    }

    /** MariaDB through MariaDB Connector/J: a database per test, each ring's connections opened in it. */
    private static final class MariaDb implements KeyRingTarget {

        static {
            try {
                Class.forName("org.mariadb.jdbc.Driver");
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @Override
        public String freshSchema(String prefix) throws SQLException {
            return MariaDbDatabase.freshDatabase(prefix);
        }

        @Override
        public ConnectionSource connections(String database) {
            return () -> DriverManager.getConnection(MariaDbDatabase.jdbcUrl(database));
        }

        @Override
        public Connection plain() throws SQLException {
            return MariaDbDatabase.plainConnection();
        }

        /** Unqualified: resolved in the connection's database (its JDBC catalog). */
        @Override
        public String racedKeyTableName(String database) {
            return "envelope_data_keys";
        }

        @Override
        public int keyTableRaces() {
            return 5;
        }

        @Override
        public List<String> keyTableColumns(String database) throws SQLException {
            try (Connection c = plain();
                 ResultSet rs = c.getMetaData().getColumns(database, null, "envelope_data_keys", null)) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME").toLowerCase());
                }
                return columns;
            }
        }

        @Override
        public List<String> expectedKeyTableColumns() {
            return List.of("table_name varchar", "key_version int", "kms_provider varchar", "kms_key_id varchar",
                    "encrypted_key blob", "status varchar", "created_at datetime", "state_seq bigint",
                    "state_mac blob");
        }

        /** MariaDB cannot update a table it selects from in a subquery, but it can join a derived table. */
        @Override
        public String copyWrappedKey(String keyTable, String from, String to) {
            return "UPDATE " + keyTable + " k JOIN (SELECT encrypted_key FROM " + keyTable
                    + " WHERE table_name = '" + from + "' AND key_version = 1) src"
                    + " SET k.encrypted_key = src.encrypted_key WHERE k.table_name = '" + to + "'";
        }
    }
}
