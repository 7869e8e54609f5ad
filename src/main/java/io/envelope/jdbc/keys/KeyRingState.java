package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.kms.EncryptionContext;
import io.envelope.jdbc.kms.GeneratedDataKey;
import io.envelope.jdbc.kms.KmsProvider;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every view of one {@link KeyRing} shares: the key table, the KMS, the caches and their refresher, what this
 * process has seen of each table's key rows, and the one place a table's first key is made.
 */
final class KeyRingState {

    final KeyTable table;
    final KmsProvider kms;
    final KeyUnwrapper unwrapper;
    final KeyConnections own;
    final StoredValueProbe probe;
    final Clock clock;
    final KeyCache<String, RowSnapshot> rowCache;
    final KeyCache<DataKeyId, DataKey> keyCache;
    private final SingleFlight<String, RowSnapshot> firstKeys = new SingleFlight<>();
    private final ConcurrentHashMap<String, KeyHistory> histories = new ConcurrentHashMap<>();
    private final KeyRefresher refresher;
    private volatile boolean closed;
    private volatile boolean unauthenticatedReported;

    KeyRingState(KeyTableLocation location, KmsProvider kms, KeyConnections own, StoredValueProbe probe,
                 Duration ttl, Clock clock) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.own = Objects.requireNonNull(own, "own");
        this.probe = probe == null ? StoredValueProbe.NONE : probe;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl == null || ttl.isNegative()) {
            throw new IllegalArgumentException("key-cache.ttl must not be negative");
        }
        this.table = new KeyTable(location);
        this.unwrapper = new KeyUnwrapper(kms, location.name());
        this.rowCache = new KeyCache<>(ttl, clock, "the key rows of table");
        this.keyCache = new KeyCache<>(ttl, clock, "the data key of table", true);
        this.refresher = ttl.isZero() ? null
                : new KeyRefresher(rowCache, keyCache, unwrapper, this::readOwnInBackground, clock, ttl);
    }

    boolean caching() {
        return rowCache.caching();
    }

    KeyHistory history(String tableIdentity) {
        return histories.computeIfAbsent(tableIdentity, t -> new KeyHistory(table.name(), t));
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw EnvelopeErrors.key("key table " + table.name() + ": the key ring is closed");
        }
    }

    /** A table's rows read on a connection of the driver's own. */
    RowSnapshot readOwn(String tableIdentity, KeyRing via) throws SQLException {
        try (KeyRing.OwnConnection c = via.openOwn("reading the keys of table " + tableIdentity, false)) {
            return new RowSnapshot(tableIdentity, table.rowsOf(c.connection(), tableIdentity));
        }
    }

    private RowSnapshot readOwnInBackground(String tableIdentity) throws SQLException {
        try (Connection c = own.open(table.name(), "refreshing the keys of table " + tableIdentity)) {
            return new RowSnapshot(tableIdentity, table.rowsOf(c, tableIdentity));
        }
    }

    /**
     * Verifies a snapshot of an authenticated key table with the unwrapped key of its newest version; rows that fail
     * are audited and marked refused (never honoured as written). A key table of the 0.1.0 layout is reported once
     * and used as it is.
     */
    void verify(RowSnapshot snapshot, KeyRing via) throws SQLException {
        if (!table.location().authenticated()) {
            if (!unauthenticatedReported) {
                unauthenticatedReported = true;
                KeyAudit.unauthenticatedKeyTable(table.name());
            }
            snapshot.verified(null);
            return;
        }
        KeyRowStates.Verdict verdict = KeyRowStates.verify(snapshot.table, snapshot.rows,
                via.dataKey(KeyRowStates.newest(snapshot.rows)));
        verdict.refused().forEach((version, reason) ->
                KeyAudit.rowsRefused(table.name(), snapshot.table, "key version " + version + ": " + reason));
        snapshot.verified(verdict);
    }

    /** The error for a write or change that a refused key row makes impossible to decide safely. */
    SQLException refusal(String tableIdentity, int version, String consequence) {
        return EnvelopeErrors.key("audit: key table " + table.name() + ": key version " + version + " of table "
                + tableIdentity + " is refused (its row fails verification; see the audit log), and " + consequence
                + ". Restore the key rows from your key export (keys import) or, if the change was yours,"
                + " re-authenticate the current rows with keys upgrade");
    }

    /**
     * A table's first key: read its rows again on a connection of the driver's own (committed state); if there are
     * none, check that the table holds no values in envelope format (else the key table lost its keys: refused),
     * then generate a key and insert it if version 1 is still free, adopting the winner's when another writer was
     * first. One attempt at a time per table in this process.
     */
    RowSnapshot firstKey(String tableIdentity, KeyRing via) throws SQLException {
        checkOpen();
        RowSnapshot made = firstKeys.run(tableIdentity, "the first data key of table " + tableIdentity, () -> {
            try (KeyRing.OwnConnection c = via.openOwn("creating the first data key of table " + tableIdentity, true)) {
                List<KeyRow> again = table.rowsOf(c.connection(), tableIdentity);
                if (!again.isEmpty()) {
                    return new RowSnapshot(tableIdentity, again);
                }
                if (probe.holdsEnvelopeValues(c.connection(), tableIdentity)) {
                    // Another writer may have committed the first key and then values between the read above and
                    // the probe (each statement sees its own snapshot). A key row always commits no later than
                    // the values under it, so a read after the probe sees it if it exists.
                    List<KeyRow> afterProbe = table.rowsOf(c.connection(), tableIdentity);
                    if (!afterProbe.isEmpty()) {
                        return new RowSnapshot(tableIdentity, afterProbe);
                    }
                    KeyAudit.forkRefused(table.name(), tableIdentity);
                    throw EnvelopeErrors.key("key table " + table.name() + " has no key for table " + tableIdentity
                            + ", but the table already holds values in envelope format: the key table has lost this"
                            + " table's keys (dropped, restored without them, or key-table points at another table)."
                            + " A new key would make those values unreadable for good, so nothing was written."
                            + " Restore the key rows from your key export with `keys import --in FILE` (see the"
                            + " README, Backups and disaster recovery)");
                }
                return createFirst(c, tableIdentity, via);
            }
        });
        via.remember(made);
        return made;
    }

    private RowSnapshot createFirst(KeyRing.OwnConnection c, String tableIdentity, KeyRing via) throws SQLException {
        Generated generated = generate(tableIdentity, 1);
        try {
            KeyRow mine = new KeyRow(tableIdentity, 1, kms.providerName(), generated.kmsKeyId(), generated.wrapped(),
                    KeyStatus.ACTIVE, now());
            if (table.location().authenticated()) {
                mine = KeyRowStates.seal(tableIdentity, 1, List.of(mine), generated.key()).get(0);
            }
            boolean inserted = table.insertIfAbsent(c.connection(), mine);
            List<KeyRow> rows = table.rowsOf(c.connection(), tableIdentity);
            KeyRow stored = KeyTable.find(rows, 1);
            if (stored == null) {
                throw EnvelopeErrors.key("key table " + table.name() + ": key version 1 of table " + tableIdentity
                        + " is missing right after it was stored");
            }
            RowSnapshot snapshot = new RowSnapshot(tableIdentity, rows);
            if (inserted && Arrays.equals(stored.encryptedKey(), generated.wrapped())) {
                via.keep(stored, generated.key());
                KeyAudit.keyCreated(table.name(), tableIdentity, 1, generated.kmsKeyId());
            } else {
                generated.key().destroy();
                KeyAudit.keyAdopted(table.name(), tableIdentity, 1, stored.kmsKeyId());
            }
            return snapshot;
        } catch (SQLException | RuntimeException e) {
            generated.key().destroy();
            throw e;
        }
    }

    /** A freshly generated data key, wrapped, with its plaintext in a DataKey (the KMS's buffer wiped). */
    record Generated(DataKey key, byte[] wrapped, String kmsKeyId) {
    }

    Generated generate(String tableIdentity, int version) throws SQLException {
        EncryptionContext context = new EncryptionContext(tableIdentity, version);
        GeneratedDataKey generated;
        try {
            generated = kms.generateDataKey(context);
        } catch (SQLException | RuntimeException e) {
            KeyAudit.generateFailed(table.name(), tableIdentity, version, kms.masterKeyId(), e);
            if (KeyUnwrapper.namesTheKmsCall(e)) {
                throw (SQLException) e;
            }
            throw EnvelopeErrors.key("KMS GenerateDataKey for table " + tableIdentity + " key version " + version
                    + " under KMS key " + kms.masterKeyId() + " failed", e);
        }
        byte[] plaintext = generated.plaintext();
        try {
            if (plaintext == null || plaintext.length != DataKey.KEY_BYTES || generated.wrapped() == null
                    || generated.kmsKeyId() == null) {
                throw EnvelopeErrors.key("KMS GenerateDataKey for table " + tableIdentity + " key version " + version
                        + " under KMS key " + kms.masterKeyId() + " returned an incomplete data key");
            }
            return new Generated(new DataKey(tableIdentity, version, plaintext), generated.wrapped(),
                    generated.kmsKeyId());
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    LocalDateTime now() {
        return KeyRow.storedTime(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    void close() {
        closed = true;
        if (refresher != null) {
            refresher.close();
        }
        rowCache.clear();
        for (DataKey key : keyCache.clear()) {
            key.destroy();
        }
    }
}
