package io.envelope.jdbc;

/**
 * What envelope-jdbc depends on at run time, checked now: whether the KMS answers for the master key, whether the key
 * table can be read, and how many data keys are held in memory. Get it from any envelope-jdbc connection with
 * {@code connection.unwrap(EnvelopeConnection.class).health()}; the Spring Boot auto-configuration shows it as the
 * {@code envelope} health indicator. Holds no key material; the error texts are envelope-jdbc's own messages,
 * which name keys and tables, never data.
 *
 * @param kmsProvider    {@code aws-kms} or {@code local}
 * @param masterKeyId    the master key new data keys are wrapped under (a key ARN, or {@code local:} + hex)
 * @param kmsError       why the KMS check failed; null when it answered (aws-kms: DescribeKey of the key, enabled)
 * @param keyTable       the key table, as configured
 * @param keyRows        key versions in the key table, all tables together
 * @param tablesWithKeys configured or not, the tables that have at least one key version
 * @param keyTableError  why the key table could not be read; null when it could
 * @param cachedDataKeys unwrapped data keys held in memory now (0 until the first value is written or read)
 */
public record EnvelopeHealth(String kmsProvider, String masterKeyId, String kmsError, String keyTable, int keyRows,
                             int tablesWithKeys, String keyTableError, int cachedDataKeys) {

    public boolean kmsReachable() {
        return kmsError == null;
    }

    public boolean keyTableReadable() {
        return keyTableError == null;
    }

    /** Both checks passed: new data keys can be made and existing ones unwrapped. */
    public boolean healthy() {
        return kmsReachable() && keyTableReadable();
    }
}
