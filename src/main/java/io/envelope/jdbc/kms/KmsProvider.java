package io.envelope.jdbc.kms;

import java.sql.SQLException;

/**
 * The seam to a key management service: it makes and unwraps data keys, and never sees row data.
 * Implementations are thread-safe and shared by every connection of one configuration.
 *
 * <p>Failures are {@link SQLException}s built with {@link io.envelope.jdbc.EnvelopeErrors#key}, naming the
 * operation, the master key and the table; never key material.
 */
public interface KmsProvider extends AutoCloseable {

    /** The value of {@code kms_provider} in key rows this provider writes: {@code aws-kms} or {@code local}. */
    String providerName();

    /**
     * The master key new data keys are wrapped under, exactly as stored in {@code kms_key_id}: for aws-kms the
     * key ARN resolved once from the configured key id; for local {@code local:} + 32 hex digits.
     */
    String masterKeyId();

    /** Whether a key row naming this master key may be unwrapped: the configured key or an allowed one. */
    boolean isAllowed(String kmsKeyId);

    /** Makes a new 256-bit data key wrapped under {@link #masterKeyId()}, bound to the context. */
    GeneratedDataKey generateDataKey(EncryptionContext context) throws SQLException;

    /**
     * Unwraps a data key. The caller has checked {@link #isAllowed(String)} first.
     *
     * @param kmsKeyId the master key named in the key row
     * @param wrapped  the stored {@code encrypted_key}
     * @param context  the row's table identity and version; a mismatch fails
     * @return the 32-byte plaintext key
     */
    byte[] decrypt(String kmsKeyId, byte[] wrapped, EncryptionContext context) throws SQLException;

    /**
     * Re-wraps a data key under another master key without exposing it to the caller when the KMS allows
     * (aws-kms ReEncrypt). Used by {@code keys rewrap}.
     */
    byte[] reEncrypt(String fromKmsKeyId, byte[] wrapped, String toKmsKeyId, EncryptionContext context)
            throws SQLException;

    /**
     * Asks the KMS whether the master key can be used now, without touching any data key (health checks). aws-kms:
     * DescribeKey of the key ARN; local: nothing to ask (the master key is in memory).
     *
     * @throws SQLException an {@code envelope-jdbc:} key error naming the operation and the KMS error code
     */
    default void checkReachable() throws SQLException {
    }

    @Override
    default void close() {
    }
}
