package io.envelope.jdbc.keys;

import java.time.LocalDateTime;

/**
 * One row of the key metadata table (contract §4). Holds only the wrapped key.
 */
public record KeyRow(
        String tableName,
        int keyVersion,
        String kmsProvider,
        String kmsKeyId,
        byte[] encryptedKey,
        KeyStatus status,
        LocalDateTime createdAt) {

    @Override
    public String toString() {
        return "KeyRow[" + tableName + " v" + keyVersion + " " + status.dbValue() + " " + kmsProvider + " "
                + kmsKeyId + "]";
    }
}
