package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.kms.EncryptionContext;
import io.envelope.jdbc.kms.GeneratedDataKey;
import io.envelope.jdbc.kms.KmsProvider;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The data keys of every configured table of one runtime (one configuration and database): finds them in the
 * key table, unwraps them through the KMS once per TTL, creates a table's first key race-safely, and caches.
 * Shared by every connection of the runtime; thread-safe.
 *
 * <p>Caching: an unwrapped key lives for {@code ttl} from when it was unwrapped; a table's key-row list (versions
 * and statuses) for {@code ttl} from when it was read; with a zero TTL neither is kept. Concurrent misses for one
 * key make one KMS call; different keys load in parallel. A version a table's cached row list does not know yet
 * (another process rotated) is looked up afresh at once.
 */
public final class KeyRing implements AutoCloseable {

    /**
     * Cache key of an unwrapped data key: its place and its wrapped form (a re-created or re-wrapped row is a new
     * entry). Built on every decryption, so it compares the wrapped bytes as they are (no encoding) and hashes
     * them once.
     */
    private static final class DataKeyId {
        private final String tableIdentity;
        private final int version;
        private final byte[] wrapped;
        private final int hash;

        private DataKeyId(String tableIdentity, int version, byte[] wrapped) {
            this.tableIdentity = tableIdentity;
            this.version = version;
            this.wrapped = wrapped;
            this.hash = 31 * (31 * tableIdentity.hashCode() + version) + Arrays.hashCode(wrapped);
        }

        static DataKeyId of(KeyRow row) {
            return new DataKeyId(row.tableName(), row.keyVersion(), row.encryptedKey());
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

    private final KmsProvider kms;
    private final KeyTable table;
    private final KeyUnwrapper unwrapper;
    private final Clock clock;
    private final KeyCache<String, List<KeyRow>> rowCache;
    private final KeyCache<DataKeyId, DataKey> keyCache;
    private final SingleFlight<String, List<KeyRow>> firstKeys = new SingleFlight<>();
    /** Per table identity, the highest version this process has handed out for randomized writes. */
    private final ConcurrentHashMap<String, Integer> randomizedHighWater = new ConcurrentHashMap<>();
    private volatile boolean closed;

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
        Objects.requireNonNull(keyTable, "keyTable");
        this.kms = Objects.requireNonNull(kms, "kms");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("key-cache.ttl must not be negative");
        }
        this.table = new KeyTable(keyTable, createKeyTable, connections);
        this.unwrapper = new KeyUnwrapper(kms, keyTable);
        this.rowCache = new KeyCache<>(ttl, clock, "the key rows of table");
        this.keyCache = new KeyCache<>(ttl, clock, "the data key of table", true);
    }

    /** The key randomized values of this table are written under: the highest active version (created if none). */
    public DataKey randomizedWriteKey(String tableIdentity) throws SQLException {
        List<KeyRow> rows = writableRows(tableIdentity);
        KeyRow row = rows.get(0);
        for (KeyRow candidate : rows) {
            if (candidate.keyVersion() > row.keyVersion()) {
                row = candidate;
            }
        }
        Integer used = randomizedHighWater.get(tableIdentity);
        if (used != null && row.keyVersion() < used) {
            KeyAudit.versionWentBackwards(table.name(), tableIdentity, row.keyVersion(), used);
            throw EnvelopeException.key("audit: key table " + table.name() + ": the highest active key version of "
                    + "table " + tableIdentity + " is now " + row.keyVersion() + ", but this process already wrote "
                    + "randomized values under version " + used + "; a write version never moves backwards, so the "
                    + "write is refused (was version " + used + " set back from active?)");
        }
        DataKey key = dataKey(row);
        randomizedHighWater.merge(tableIdentity, row.keyVersion(), Math::max);
        return key;
    }

    /** The key deterministic values of this table are written under: the lowest active version (created if none). */
    public DataKey deterministicWriteKey(String tableIdentity) throws SQLException {
        List<KeyRow> rows = writableRows(tableIdentity);
        KeyRow row = rows.get(0);
        for (KeyRow candidate : rows) {
            if (candidate.keyVersion() < row.keyVersion()) {
                row = candidate;
            }
        }
        return dataKey(row);
    }

    /**
     * Every non-retired version (active and retiring), lowest first, for deterministic lookups that must match any
     * of them. Creates the table's first key when it has none. A table whose versions are all retired is an error.
     */
    public List<DataKey> matchKeys(String tableIdentity) throws SQLException {
        List<KeyRow> matching = nonRetired(rowsOf(tableIdentity, true));
        if (matching.isEmpty() && rowCache.caching()) {
            matching = nonRetired(rowCache.reload(tableIdentity, () -> table.rowsOf(tableIdentity)));
        }
        if (matching.isEmpty()) {
            throw EnvelopeException.key("key table " + table.name() + ": table " + tableIdentity
                    + " has no active or retiring key version to match lookups against (versions: "
                    + describe(rowsOf(tableIdentity, false)) + ")");
        }
        List<DataKey> keys = new ArrayList<>(matching.size());
        for (KeyRow row : matching) {
            keys.add(dataKey(row));
        }
        return keys;
    }

    /** The key of one version (any status: retired keys still decrypt), for decrypting a stored value that names it. */
    public DataKey key(String tableIdentity, int version) throws SQLException {
        return lease(tableIdentity, version).key();
    }

    /**
     * A data key with the time until which it may be used without asking the key ring again: the end of its
     * cache entry (one TTL from when it was unwrapped; already past with a zero TTL). Lets the read path keep
     * the key of the version it is decrypting for a whole result without breaking the TTL rule.
     */
    public record KeyLease(DataKey key, Instant expiresAt) {
    }

    /** The key of one version, for decrypting a stored value that names it, with its lease (see {@link KeyLease}). */
    public KeyLease lease(String tableIdentity, int version) throws SQLException {
        KeyRow row = find(rowsOf(tableIdentity, false), version);
        if (row == null && rowCache.caching()) {
            // Perhaps created by another process since the row list was cached.
            row = find(rowCache.reload(tableIdentity, () -> table.rowsOf(tableIdentity)), version);
        }
        if (row == null) {
            throw EnvelopeException.key("key table " + table.name() + ": table " + tableIdentity + " has no key version "
                    + version + " (never created, or destroyed)");
        }
        DataKey key = dataKey(row);
        Instant until = keyCache.expiresAt(DataKeyId.of(row), key);
        return new KeyLease(key, until == null ? Instant.MIN : until);
    }

    /** Whether a lease may still be used (by this ring's clock). */
    public boolean isCurrent(KeyLease lease) {
        return clock.instant().isBefore(lease.expiresAt());
    }

    /** Every row of the key table, by table identity and version (read afresh; holds only wrapped keys). */
    public List<KeyRow> rows() throws SQLException {
        checkOpen();
        return table.allRows();
    }

    /**
     * Adds a new {@code active} version (highest + 1, or 1 for a table without keys) with a new data key. This
     * process writes randomized values under it at once; others within one TTL. Fails if another process added the
     * same version at the same moment.
     */
    public KeyRow addVersion(String tableIdentity) throws SQLException {
        checkOpen();
        List<KeyRow> current = table.rowsOf(tableIdentity);
        int next = current.stream().mapToInt(KeyRow::keyVersion).max().orElse(0) + 1;
        List<KeyRow> rows = createVersion(tableIdentity, next, false);
        return find(rows, next);
    }

    /** Sets the status of one version. This process sees it at once, others within one TTL. */
    public void setStatus(String tableIdentity, int version, KeyStatus status) throws SQLException {
        checkOpen();
        Objects.requireNonNull(status, "status");
        int changed = table.updateStatus(tableIdentity, version, status);
        rowCache.remove(tableIdentity);
        if (changed == 0) {
            throw EnvelopeException.key("key table " + table.name() + ": table " + tableIdentity + " has no key version "
                    + version + " to set " + status.dbValue());
        }
        KeyAudit.statusChanged(table.name(), tableIdentity, version, status.dbValue());
    }

    /**
     * Deletes a retiring or retired version's key row: every value under it becomes unreadable for good
     * (crypto-shredding). An active version is refused.
     */
    public void destroy(String tableIdentity, int version) throws SQLException {
        checkOpen();
        KeyRow row = find(table.rowsOf(tableIdentity), version);
        if (row == null) {
            throw EnvelopeException.key("key table " + table.name() + ": table " + tableIdentity + " has no key version "
                    + version + " to destroy");
        }
        int deleted = table.deleteUnlessActive(tableIdentity, version);
        rowCache.remove(tableIdentity);
        if (deleted == 0) {
            throw EnvelopeException.key("key table " + table.name() + ": table " + tableIdentity + " key version "
                    + version + " is active (or was just made active): only retiring or retired versions can be "
                    + "destroyed");
        }
        for (DataKey gone : keyCache.removeIf(id -> id.tableIdentity().equals(tableIdentity)
                && id.version() == version)) {
            gone.destroy();
        }
        KeyAudit.destroyed(table.name(), tableIdentity, version, row.kmsKeyId());
    }

    /**
     * Re-wraps one key row under another master key through the KMS (aws-kms: ReEncrypt, so the data key never
     * leaves the KMS), bound to the same table and version; no row data changes. The row must be allowed (its
     * master key is the configured one or in {@code allowed-key-ids}). A row already under {@code toKmsKeyId} is
     * left alone, so an interrupted rewrap can simply run again.
     *
     * @return true when the row was re-wrapped, false when it already was
     */
    public boolean rewrap(KeyRow row, String toKmsKeyId) throws SQLException {
        checkOpen();
        if (row.kmsKeyId().equals(toKmsKeyId)) {
            return false;
        }
        unwrapper.checkAllowed(row);
        byte[] rewrapped = kms.reEncrypt(row.kmsKeyId(), row.encryptedKey(), toKmsKeyId,
                new EncryptionContext(row.tableName(), row.keyVersion()));
        if (table.updateWrapping(row, toKmsKeyId, rewrapped) != 1) {
            throw EnvelopeException.key("re-wrapping key version " + row.keyVersion() + " of table "
                    + row.tableName() + ": the row changed while it was being re-wrapped (another rewrap or"
                    + " rotation at the same time?); run the command again");
        }
        rowCache.remove(row.tableName());
        return true;
    }

    /** How many unwrapped data keys this ring holds in memory now (fresh ones: their cache period has not ended). */
    public int cachedDataKeys() {
        return keyCache.freshCount();
    }

    /** Drops every cached key row list and unwrapped key, so the next call reads the key table and the KMS afresh. */
    public void invalidate() {
        rowCache.clear();
        keyCache.clear();
    }

    @Override
    public void close() {
        closed = true;
        rowCache.clear();
        for (DataKey key : keyCache.clear()) {
            key.destroy();
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** The active rows of a table, creating its first key if it has none; an error if it has rows but none active. */
    private List<KeyRow> writableRows(String tableIdentity) throws SQLException {
        List<KeyRow> active = active(rowsOf(tableIdentity, true));
        if (active.isEmpty() && rowCache.caching()) {
            active = active(rowCache.reload(tableIdentity, () -> table.rowsOf(tableIdentity)));
        }
        if (active.isEmpty()) {
            throw EnvelopeException.key("key table " + table.name() + ": table " + tableIdentity
                    + " has no active key version to write under (versions: " + describe(rowsOf(tableIdentity, false))
                    + "); add one with keys rotate");
        }
        return active;
    }

    /** A table's rows (cached for one TTL); when it has none and {@code create}, its first key is made. */
    private List<KeyRow> rowsOf(String tableIdentity, boolean create) throws SQLException {
        checkOpen();
        Objects.requireNonNull(tableIdentity, "tableIdentity");
        List<KeyRow> rows = rowCache.get(tableIdentity, () -> table.rowsOf(tableIdentity));
        if (rows.isEmpty() && rowCache.caching()) {
            // Cached as empty: another process may have created the key since.
            rows = rowCache.reload(tableIdentity, () -> table.rowsOf(tableIdentity));
        }
        if (rows.isEmpty() && create) {
            rows = firstKeys.run(tableIdentity, "the first data key of table " + tableIdentity, () -> {
                List<KeyRow> again = table.rowsOf(tableIdentity);
                if (!again.isEmpty()) {
                    rowCache.put(tableIdentity, again);
                    return again;
                }
                return createVersion(tableIdentity, 1, true);
            });
        }
        return rows;
    }

    /**
     * Generates a data key for one version, inserts it if the version is free and re-reads. If another writer won,
     * its key is adopted (when {@code adoptOnConflict}) or the call fails; the generated key is then discarded.
     *
     * @return the table's rows after the insert
     */
    private List<KeyRow> createVersion(String tableIdentity, int version, boolean adoptOnConflict)
            throws SQLException {
        EncryptionContext context = new EncryptionContext(tableIdentity, version);
        GeneratedDataKey generated;
        try {
            generated = kms.generateDataKey(context);
        } catch (SQLException | RuntimeException e) {
            KeyAudit.generateFailed(table.name(), tableIdentity, version, kms.masterKeyId(), e);
            if (KeyUnwrapper.namesTheKmsCall(e)) {
                throw (SQLException) e;
            }
            throw EnvelopeException.key("KMS GenerateDataKey for table " + tableIdentity + " key version " + version
                    + " under KMS key " + kms.masterKeyId() + " failed", e);
        }
        byte[] plaintext = generated.plaintext();
        try {
            if (plaintext == null || plaintext.length != DataKey.KEY_BYTES || generated.wrapped() == null
                    || generated.kmsKeyId() == null) {
                throw EnvelopeException.key("KMS GenerateDataKey for table " + tableIdentity + " key version " + version
                        + " under KMS key " + kms.masterKeyId() + " returned an incomplete data key");
            }
            KeyRow mine = new KeyRow(tableIdentity, version, kms.providerName(), generated.kmsKeyId(),
                    generated.wrapped(), KeyStatus.ACTIVE, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            boolean inserted = table.insertIfAbsent(mine);
            List<KeyRow> rows = table.rowsOf(tableIdentity);
            KeyRow stored = find(rows, version);
            if (stored == null) {
                throw EnvelopeException.key("key table " + table.name() + ": key version " + version + " of table "
                        + tableIdentity + " is missing right after it was stored");
            }
            if (inserted && Arrays.equals(stored.encryptedKey(), generated.wrapped())) {
                keyCache.put(DataKeyId.of(stored), new DataKey(tableIdentity, version, plaintext));
                KeyAudit.keyCreated(table.name(), tableIdentity, version, generated.kmsKeyId());
            } else if (adoptOnConflict) {
                KeyAudit.keyAdopted(table.name(), tableIdentity, version, stored.kmsKeyId());
            } else {
                rowCache.put(tableIdentity, rows);
                throw EnvelopeException.key("key table " + table.name() + ": key version " + version + " of table "
                        + tableIdentity + " was created at the same moment by another process; nothing was added");
            }
            rowCache.put(tableIdentity, rows);
            return rows;
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private DataKey dataKey(KeyRow row) throws SQLException {
        // Refused rows are refused on every call, cached key or not.
        unwrapper.checkAllowed(row);
        return keyCache.get(DataKeyId.of(row), () -> unwrapper.unwrap(row));
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw EnvelopeException.key("key table " + table.name() + ": the key ring is closed");
        }
    }

    private static List<KeyRow> active(List<KeyRow> rows) {
        return rows.stream().filter(r -> r.status() == KeyStatus.ACTIVE).toList();
    }

    private static List<KeyRow> nonRetired(List<KeyRow> rows) {
        return rows.stream().filter(r -> r.status() != KeyStatus.RETIRED)
                .sorted((a, b) -> Integer.compare(a.keyVersion(), b.keyVersion())).toList();
    }

    private static KeyRow find(List<KeyRow> rows, int version) {
        for (KeyRow row : rows) {
            if (row.keyVersion() == version) {
                return row;
            }
        }
        return null;
    }

    private static String describe(List<KeyRow> rows) {
        if (rows.isEmpty()) {
            return "none";
        }
        return rows.stream().map(r -> r.keyVersion() + " " + r.status().dbValue()).collect(Collectors.joining(", "));
    }
}
