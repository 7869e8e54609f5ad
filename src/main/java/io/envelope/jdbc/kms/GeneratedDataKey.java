package io.envelope.jdbc.kms;

/**
 * A new data key from the KMS: its plaintext (kept only in memory) and its wrapped form (stored in the key table).
 * {@link #toString()} never shows the plaintext.
 *
 * @param plaintext the 32-byte AES-256 key; callers must not log or store it
 * @param wrapped   the KMS ciphertext blob that goes into {@code encrypted_key}
 * @param kmsKeyId  the master key that wrapped it, as recorded in {@code kms_key_id}
 */
public record GeneratedDataKey(byte[] plaintext, byte[] wrapped, String kmsKeyId) {
    @Override
    public String toString() {
        return "GeneratedDataKey[kmsKeyId=" + kmsKeyId + ", plaintext=<hidden>, wrapped=" + wrapped.length + " bytes]";
    }
}
