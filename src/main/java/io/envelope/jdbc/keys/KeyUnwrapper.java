package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.kms.EncryptionContext;
import io.envelope.jdbc.kms.KmsProvider;

import java.sql.SQLException;
import java.util.Arrays;

/**
 * Turns one key row into a {@link DataKey}: first checks the row's KMS provider and master key against the
 * configuration (before any KMS call: the key table lives in a database a DBA controls), then unwraps through the
 * KMS bound to the row's own table identity and version, so a wrapped key copied to another row fails.
 */
final class KeyUnwrapper {

    private final KmsProvider kms;
    private final String keyTable;

    KeyUnwrapper(KmsProvider kms, String keyTable) {
        this.kms = kms;
        this.keyTable = keyTable;
    }

    /** Refuses a row this configuration may not unwrap; no KMS call is made. */
    void checkAllowed(KeyRow row) throws SQLException {
        String provider = kms.providerName();
        if (!provider.equals(row.kmsProvider())) {
            String reason = "kms_provider '" + row.kmsProvider() + "' is not the configured provider '" + provider + "'";
            KeyAudit.unwrapRefused(row.tableName(), row.keyVersion(), row.kmsKeyId(), reason);
            throw EnvelopeErrors.key("key table " + keyTable + ": table " + row.tableName() + " key version "
                    + row.keyVersion() + " is refused: its " + reason);
        }
        if (row.kmsKeyId() == null || !kms.isAllowed(row.kmsKeyId())) {
            String reason = "kms_key_id '" + row.kmsKeyId() + "' is neither the configured KMS key '"
                    + kms.masterKeyId() + "' nor in kms.allowed-key-ids";
            KeyAudit.unwrapRefused(row.tableName(), row.keyVersion(), row.kmsKeyId(), reason);
            throw EnvelopeErrors.key("key table " + keyTable + ": table " + row.tableName() + " key version "
                    + row.keyVersion() + " is refused: its " + reason);
        }
    }

    /** Checks, then unwraps (one KMS Decrypt). */
    DataKey unwrap(KeyRow row) throws SQLException {
        checkAllowed(row);
        EncryptionContext context = new EncryptionContext(row.tableName(), row.keyVersion());
        byte[] plaintext;
        try {
            plaintext = kms.decrypt(row.kmsKeyId(), row.encryptedKey(), context);
        } catch (SQLException | RuntimeException e) {
            KeyAudit.unwrapFailed(row.tableName(), row.keyVersion(), row.kmsKeyId(), e);
            if (namesTheKmsCall(e)) {
                throw (SQLException) e;
            }
            throw EnvelopeErrors.key("KMS Decrypt of the data key of table " + row.tableName() + " key version "
                    + row.keyVersion() + " under KMS key " + row.kmsKeyId() + " failed", e);
        }
        try {
            if (plaintext == null || plaintext.length != DataKey.KEY_BYTES) {
                SQLException wrong = EnvelopeErrors.key("KMS Decrypt of the data key of table " + row.tableName()
                        + " key version " + row.keyVersion() + " under KMS key " + row.kmsKeyId() + " returned "
                        + (plaintext == null ? "nothing" : plaintext.length + " bytes") + ", not "
                        + DataKey.KEY_BYTES);
                KeyAudit.unwrapFailed(row.tableName(), row.keyVersion(), row.kmsKeyId(), wrong);
                throw wrong;
            }
            DataKey key = new DataKey(row.tableName(), row.keyVersion(), plaintext);
            KeyAudit.unwrapped(row.tableName(), row.keyVersion(), row.kmsKeyId());
            return key;
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    /**
     * Whether a provider's error already names the KMS operation, key, table and version and the KMS error code
     * (the aws-kms provider's do): it is passed on as it is rather than wrapped in a message that would hide the
     * error code one cause deeper.
     */
    static boolean namesTheKmsCall(Exception e) {
        return e instanceof SQLException && e.getMessage() != null
                && e.getMessage().startsWith(EnvelopeErrors.PREFIX + "KMS ");
    }
}
