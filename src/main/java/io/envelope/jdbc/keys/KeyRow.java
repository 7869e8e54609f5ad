package io.envelope.jdbc.keys;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row of the key metadata table. Holds only the wrapped key. {@code stateSeq} and {@code stateMac} authenticate
 * the table's key-row state (docs/format.md, "Key rows"); both are null in a key table of the 0.1.0 layout and in a
 * row that has not been authenticated yet.
 */
public record KeyRow(
        String tableName,
        int keyVersion,
        String kmsProvider,
        String kmsKeyId,
        byte[] encryptedKey,
        KeyStatus status,
        LocalDateTime createdAt,
        Long stateSeq,
        byte[] stateMac) {

    /** A row without authentication (the 0.1.0 layout, or before it is sealed). */
    public KeyRow(String tableName, int keyVersion, String kmsProvider, String kmsKeyId, byte[] encryptedKey,
                  KeyStatus status, LocalDateTime createdAt) {
        this(tableName, keyVersion, kmsProvider, kmsKeyId, encryptedKey, status, createdAt, null, null);
    }

    /** Created-at as every layout stores it: whole microseconds. */
    static LocalDateTime storedTime(LocalDateTime time) {
        return time == null ? null : time.truncatedTo(ChronoUnit.MICROS);
    }

    KeyRow withStatus(KeyStatus newStatus) {
        return new KeyRow(tableName, keyVersion, kmsProvider, kmsKeyId, encryptedKey, newStatus, createdAt, stateSeq,
                stateMac);
    }

    KeyRow withWrapping(String newKmsKeyId, byte[] newWrapped) {
        return new KeyRow(tableName, keyVersion, kmsProvider, newKmsKeyId, newWrapped, status, createdAt, stateSeq,
                stateMac);
    }

    KeyRow withState(Long seq, byte[] mac) {
        return new KeyRow(tableName, keyVersion, kmsProvider, kmsKeyId, encryptedKey, status, createdAt, seq, mac);
    }

    /** Same place, key and status (the authentication columns aside): what an export and a key table must agree on. */
    public boolean sameKeyAs(KeyRow other) {
        return other != null && tableName.equals(other.tableName) && keyVersion == other.keyVersion
                && Objects.equals(kmsProvider, other.kmsProvider) && Objects.equals(kmsKeyId, other.kmsKeyId)
                && Arrays.equals(encryptedKey, other.encryptedKey) && status == other.status
                && Objects.equals(storedTime(createdAt), storedTime(other.createdAt));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyRow r && sameKeyAs(r) && Objects.equals(stateSeq, r.stateSeq)
                && Arrays.equals(stateMac, r.stateMac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tableName, keyVersion, status, stateSeq) * 31 + Arrays.hashCode(encryptedKey);
    }

    @Override
    public String toString() {
        return "KeyRow[" + tableName + " v" + keyVersion + " " + status.dbValue() + " " + kmsProvider + " "
                + kmsKeyId + (stateSeq == null ? "" : " seq " + stateSeq) + "]";
    }
}
