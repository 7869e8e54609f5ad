package io.envelope.jdbc.keys;

import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.kms.KmsProvider;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The data keys of every configured table of one runtime (one configuration and database): finds them in the
 * key table, unwraps them through the KMS once per TTL, creates a table's first key race-safely, and caches.
 * Shared by every connection of the runtime; thread-safe.
 *
 * <p>API skeleton: implemented by the keys work.
 */
public final class KeyRing implements AutoCloseable {

    /**
     * @param keyTable       the key table name, possibly schema-qualified
     * @param createKeyTable create it when missing
     * @param kms            the KMS provider
     * @param connections    opens connections of its own for key-table work
     * @param ttl            how long an unwrapped key (and the table's key-row list) is used, from when it was read
     * @param clock          time source (tests move it)
     */
    public KeyRing(String keyTable, boolean createKeyTable, KmsProvider kms, ConnectionSource connections,
                   Duration ttl, Clock clock) {
    }

    /** The key randomized values of this table are written under: the highest active version (created if none). */
    public DataKey randomizedWriteKey(String tableIdentity) throws SQLException {
        throw new UnsupportedOperationException("implemented by the keys work");
    }

    /** The key deterministic values of this table are written under: the lowest active version (created if none). */
    public DataKey deterministicWriteKey(String tableIdentity) throws SQLException {
        throw new UnsupportedOperationException("implemented by the keys work");
    }

    /** Every non-retired version, lowest first, for deterministic lookups that must match any of them. */
    public List<DataKey> matchKeys(String tableIdentity) throws SQLException {
        throw new UnsupportedOperationException("implemented by the keys work");
    }

    /** The key of one version, for decrypting a stored value that names it. */
    public DataKey key(String tableIdentity, int version) throws SQLException {
        throw new UnsupportedOperationException("implemented by the keys work");
    }

    @Override
    public void close() {
    }
}
