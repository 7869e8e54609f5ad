package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.frameworks.Ciphertext;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the MariaDB example apps check with plain MariaDB Connector/J: {@link Ciphertext}'s checks on a MariaDB
 * database.
 */
public final class MariaDbCiphertext {

    private MariaDbCiphertext() {
    }

    /** See {@link Ciphertext#assertStoredAsCiphertext(Connection, String, String, String...)}. */
    public static int assertStoredAsCiphertext(EncryptedMariaDb db, String table, String column,
                                               String... plaintexts) throws SQLException {
        try (Connection plain = db.plain()) {
            return Ciphertext.assertStoredAsCiphertext(plain, table, column, plaintexts);
        }
    }
}
