package io.envelope.jdbc.keys;

import java.util.Arrays;

/**
 * Cache key of an unwrapped data key: its place and its wrapped form (a re-created or re-wrapped row is a new
 * entry). Built on every key lookup, so it compares the wrapped bytes as they are and hashes them once. Carries the
 * row it came from (not part of equality), so a background refresh can unwrap it again.
 */
final class DataKeyId {

    private final String tableIdentity;
    private final int version;
    private final byte[] wrapped;
    private final int hash;
    final KeyRow row;

    private DataKeyId(KeyRow row) {
        this.tableIdentity = row.tableName();
        this.version = row.keyVersion();
        this.wrapped = row.encryptedKey();
        this.row = row;
        this.hash = 31 * (31 * tableIdentity.hashCode() + version) + Arrays.hashCode(wrapped);
    }

    static DataKeyId of(KeyRow row) {
        return new DataKeyId(row);
    }

    String tableIdentity() {
        return tableIdentity;
    }

    int version() {
        return version;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataKeyId id && id.hash == hash && id.version == version
                && id.tableIdentity.equals(tableIdentity) && Arrays.equals(id.wrapped, wrapped);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return tableIdentity + " v" + version;
    }
}
