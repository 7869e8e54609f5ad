package io.envelope.jdbc.it.mariadb;

/**
 * {@link MySqlDifferentialFuzzIT} with MySQL Connector/J as the target driver: what it was handed and what the
 * server stores are checked the same way. While the session's NO_BACKSLASH_ESCAPES differs from the one the driver
 * read when it connected, every statement naming the configured table is refused (the driver would escape bound
 * strings for the other mode), so those stretches count as refusals.
 */
class MySqlConnectorJDifferentialFuzzIT extends MySqlDifferentialFuzzIT {

    @Override
    String targetUrl(EncryptedMariaDb db) {
        return db.mysqlConnectorJUrl();
    }
}
