package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.kms.KmsProvider;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The data keys of every configured table of one runtime (one configuration and database): finds them in the key
 * table, verifies the table's key-row state before honouring a status, unwraps keys through the KMS once per TTL
 * (refreshed ahead of expiry in the background), creates a table's first key race-safely (never over values that
 * already exist), and caches. Thread-safe.
 *
 * <p>One key ring is shared by every connection of the runtime; {@link #on(Connection)} gives a connection its view,
 * which reads key rows on that connection (plain SELECTs: a value's key row always commits before the value, so a
 * transaction that sees the value sees its key) and never takes a second connection from a pool on the request
 * path. Keys are created, and the background refresh reads, on connections of the driver's own
 * ({@link KeyConnections}). The ring itself (the command line's) reads on such connections too.
 *
 * <p>Caching: an unwrapped key lives for {@code ttl} from when it was unwrapped; a table's key rows for {@code ttl}
 * from when they were read. With a zero TTL nothing is shared: each connection's view keeps what one statement
 * needed until its next statement starts ({@link #statementStarts()}).
 */
public final class KeyRing implements AutoCloseable {

    /**
     * A data key with the time until which it may be used without asking the key ring again: the end of its
     * cache entry (one TTL from when it was unwrapped), or with a zero TTL, the statement it was taken for.
     */
    public record KeyLease(DataKey key, Instant expiresAt, long statement) {
    }

    /** A connection for key work that commits on its own; closing it closes it unless it is the application's. */
    static final class OwnConnection implements AutoCloseable {
        private final Connection connection;
        private final boolean owned;

        OwnConnection(Connection connection, boolean owned) {
            this.connection = connection;
            this.owned = owned;
        }

        Connection connection() {
            return connection;
        }

        @Override
        public void close() {
            if (owned) {
                KeyConnections.closeQuietly(connection);
            }
        }
    }

    private final KeyRingState s;
    /** The application's connection this view reads key rows on; null for the ring itself. */
    private final Connection application;
    /** With a zero TTL: the statement counter and what the current statement has read and unwrapped. */
    private final AtomicLong statement = new AtomicLong();
    private final Map<String, RowSnapshot> statementRows = new ConcurrentHashMap<>();
    private final Map<DataKeyId, DataKey> statementKeys = new ConcurrentHashMap<>();
    private final RecentKeyIds recentIds = new RecentKeyIds();
    /** What this view last answered per table for randomized writes, deterministic writes and lookups. */
    private final Map<String, Answer<DataKey>> randomizedAnswers = new ConcurrentHashMap<>();
    private final Map<String, Answer<DataKey>> deterministicAnswers = new ConcurrentHashMap<>();
    private final Map<String, Answer<List<DataKey>>> matchAnswers = new ConcurrentHashMap<>();

    /**
     * How many values may reuse one answer before the full path runs again. Working out a write key walks the
     * cached rows, the table's history, the refusal checks and the key cache (two clock reads and half a dozen map
     * lookups) — for a batch of 500 rows with two encrypted columns, a thousand times for the same answer. Running
     * the full path now and then keeps every check it makes in force even if this class missed a way its inputs
     * can change.
     */
    private static final int MAX_REUSES = 64;

    /**
     * An answer of the key ring (a write key, or the keys a lookup matches) with what it was worked out from. It is
     * reused while neither cache changed (no entry stored, replaced or removed: no new rows, no refresh, no
     * rotation or invalidation seen by this process), before its rows and keys expire, within its statement when
     * nothing is cached (zero TTL), and for at most {@link #MAX_REUSES} values. Each reuse marks the rows and keys
     * used, as asking the caches would, so the refresher keeps renewing them.
     */
    private static final class Answer<T> {
        final T value;
        final List<DataKey> keys;
        /** The cache entry of the rows it came from; null with a zero TTL. */
        final KeyCache.Entry<RowSnapshot> rows;
        final long changes;
        final long statement;
        final long expiresAtMillis;
        /** Not synchronized: a lost increment lets one more value reuse an answer every other check still allows. */
        int reuses;

        Answer(T value, List<DataKey> keys, KeyCache.Entry<RowSnapshot> rows, long changes, long statement,
               long expiresAtMillis) {
            this.value = value;
            this.keys = keys;
            this.rows = rows;
            this.changes = changes;
            this.statement = statement;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    /** A ring that reads and writes on new connections from {@code connections} (the command line, tests). */
    public KeyRing(String keyTable, boolean createKeyTable, KmsProvider kms, ConnectionSource connections,
                   Duration ttl, Clock clock) {
        this(keyTable, createKeyTable, null, kms, KeyConnections.direct(connections), StoredValueProbe.NONE, ttl,
                clock);
    }

    /**
     * @param keyTable       the key table name, possibly schema-qualified
     * @param createKeyTable create it when missing
     * @param expectedOwner  on PostgreSQL, the role that must own the key table; null: the connecting role or one
     *                       it is a member of
     * @param kms            the KMS provider
     * @param own            connections of the driver's own, for creating keys and background refreshes
     * @param probe          checks a table for existing values before its first key is made
     * @param ttl            how long an unwrapped key (and the table's key-row list) is used, from when it was read
     * @param clock          time source (tests move it)
     */
    public KeyRing(String keyTable, boolean createKeyTable, String expectedOwner, KmsProvider kms,
                   KeyConnections own, StoredValueProbe probe, Duration ttl, Clock clock) {
        this.s = new KeyRingState(new KeyTableLocation(Objects.requireNonNull(keyTable, "keyTable"), createKeyTable,
                expectedOwner), kms, own, probe, ttl, clock);
        this.application = null;
    }

    private KeyRing(KeyRingState state, Connection application) {
        this.s = state;
        this.application = application;
    }

    /**
     * The view of one application connection: key rows are read on it. The first call of a runtime resolves the
     * key table on that connection (schema-qualified, owner checked; a missing one is created with the first key).
     */
    public KeyRing on(Connection applicationConnection) throws SQLException {
        s.checkOpen();
        KeyRing view = new KeyRing(s, Objects.requireNonNull(applicationConnection, "applicationConnection"));
        s.table.location().resolve(applicationConnection);
        return view;
    }

    /**
     * A statement of this view's connection starts. With a zero TTL it drops (and wipes) what the previous statement
     * read and unwrapped, so each statement reads the key rows and unwraps each key it needs once, on this
     * connection. Nothing happens with a TTL above zero.
     */
    public void statementStarts() {
        if (s.caching()) {
            return;
        }
        statement.incrementAndGet();
        statementRows.clear();
        for (DataKey key : statementKeys.values()) {
            key.destroy();
        }
        statementKeys.clear();
    }

    /**
     * The key randomized values of this table are written under: the highest active version (created if none). A
     * refused key row above it could be the real highest active version, so the write is refused then.
     */
    public DataKey randomizedWriteKey(String tableIdentity) throws SQLException {
        DataKey reused = reused(randomizedAnswers, tableIdentity);
        if (reused != null) {
            return reused;
        }
        long changes = changes();
        RowSnapshot snapshot = writable(tableIdentity);
        List<KeyRow> active = active(snapshot);
        KeyRow row = active.get(active.size() - 1);
        for (int version : refusedVersions(snapshot)) {
            if (version > row.keyVersion()) {
                throw s.refusal(tableIdentity, version, "it may be the highest active version, so randomized writes"
                        + " are refused rather than written under version " + row.keyVersion());
            }
        }
        s.history(tableIdentity).randomizedWrite(row.keyVersion());
        DataKey key = dataKey(row);
        remember(randomizedAnswers, tableIdentity, key, List.of(key), List.of(row), snapshot, changes);
        return key;
    }

    /**
     * The key deterministic values of this table are written under: the lowest active version (created if none). A
     * refused key row below it could be the real lowest active version, so the write is refused then.
     */
    public DataKey deterministicWriteKey(String tableIdentity) throws SQLException {
        DataKey reused = reused(deterministicAnswers, tableIdentity);
        if (reused != null) {
            return reused;
        }
        long changes = changes();
        RowSnapshot snapshot = writable(tableIdentity);
        KeyRow row = active(snapshot).get(0);
        for (int version : refusedVersions(snapshot)) {
            if (version < row.keyVersion()) {
                throw s.refusal(tableIdentity, version, "it may be the lowest active version, so deterministic writes"
                        + " are refused rather than written under version " + row.keyVersion());
            }
        }
        DataKey key = dataKey(row);
        remember(deterministicAnswers, tableIdentity, key, List.of(key), List.of(row), snapshot, changes);
        return key;
    }

    /**
     * Every non-retired version (active and retiring), lowest first, for deterministic lookups that must match any
     * of them; a refused row is matched too, whatever it claims (matching one version more never finds a wrong
     * row, matching one less could miss rows). Creates the table's first key when it has none. A table whose
     * versions are all retired is an error.
     */
    public List<DataKey> matchKeys(String tableIdentity) throws SQLException {
        List<DataKey> reused = reused(matchAnswers, tableIdentity);
        if (reused != null) {
            return reused;
        }
        long changes = changes();
        RowSnapshot snapshot = honoured(tableIdentity, false);
        List<KeyRow> matching = matching(snapshot);
        if (matching.isEmpty() && s.caching()) {
            snapshot = honoured(tableIdentity, true);
            matching = matching(snapshot);
        }
        if (matching.isEmpty()) {
            throw EnvelopeErrors.key("key table " + s.table.name() + ": table " + tableIdentity
                    + " has no active or retiring key version to match lookups against (versions: "
                    + describe(rows(tableIdentity).rows) + ")");
        }
        List<DataKey> keys = new ArrayList<>(matching.size());
        for (KeyRow row : matching) {
            keys.add(dataKey(row));
        }
        keys = List.copyOf(keys);
        remember(matchAnswers, tableIdentity, keys, keys, matching, snapshot, changes);
        return keys;
    }

    /** How many times either cache changed so far: an answer worked out before a change is not reused. */
    private long changes() {
        return s.rowCache.changes() + s.keyCache.changes();
    }

    /** The answer remembered for the table while it may be reused (see {@link Answer}), else null. */
    private <T> T reused(Map<String, Answer<T>> answers, String tableIdentity) {
        Answer<T> a = answers.get(tableIdentity);
        if (a == null || a.reuses >= MAX_REUSES || a.changes != changes() || a.statement != statement.get()
                || s.clock.millis() >= a.expiresAtMillis) {
            return null;
        }
        for (DataKey key : a.keys) {
            if (key.isDestroyed()) {
                return null;
            }
            key.markUsed();
        }
        if (a.rows != null) {
            a.rows.markUsed();
        }
        a.reuses++;
        return a.value;
    }

    /**
     * Remembers an answer worked out from {@code snapshot} and {@code keys} (the keys of {@code keyRows}), if the
     * caches still hold them: it expires with the first of them. Nothing is remembered when the caches changed while
     * it was worked out.
     */
    private <T> void remember(Map<String, Answer<T>> answers, String tableIdentity, T value, List<DataKey> keys,
                              List<KeyRow> keyRows, RowSnapshot snapshot, long changesBefore) {
        if (!s.caching()) {
            answers.put(tableIdentity, new Answer<>(value, keys, null, changesBefore, statement.get(),
                    Long.MAX_VALUE));
            return;
        }
        KeyCache.Entry<RowSnapshot> rows = s.rowCache.entry(tableIdentity, snapshot);
        if (rows == null || changes() != changesBefore) {
            answers.remove(tableIdentity);
            return;
        }
        long expires = rows.expiresAt().toEpochMilli();
        for (int i = 0; i < keys.size(); i++) {
            KeyCache.Entry<DataKey> entry = s.keyCache.entry(recentIds.of(keyRows.get(i)), keys.get(i));
            if (entry == null) {
                answers.remove(tableIdentity);
                return;
            }
            expires = Math.min(expires, entry.expiresAt().toEpochMilli());
        }
        answers.put(tableIdentity, new Answer<>(value, keys, rows, changesBefore, 0, expires));
    }

    /** The key of one version (any status: retired keys still decrypt), for decrypting a stored value that names it. */
    public DataKey key(String tableIdentity, int version) throws SQLException {
        return lease(tableIdentity, version).key();
    }

    /** The key of one version, for decrypting a stored value that names it, with its lease (see {@link KeyLease}). */
    public KeyLease lease(String tableIdentity, int version) throws SQLException {
        KeyRow row = rows(tableIdentity).version(version);
        if (row == null && s.caching()) {
            // Perhaps created by another process since the row list was cached.
            row = reread(tableIdentity).version(version);
        }
        if (row == null) {
            throw EnvelopeErrors.key("key table " + s.table.name() + ": table " + tableIdentity + " has no key"
                    + " version " + version + ", which a stored value names: the key table has lost it (restored"
                    + " without it, dropped, or key-table points at another table) or it was destroyed. Restore the"
                    + " key rows from your key export with `keys import --in FILE` (see the README, Backups and"
                    + " disaster recovery)");
        }
        DataKey key = dataKey(row);
        if (!s.caching()) {
            return new KeyLease(key, Instant.MAX, statement.get());
        }
        Instant until = s.keyCache.expiresAt(DataKeyId.of(row), key);
        return new KeyLease(key, until == null ? Instant.MIN : until, 0);
    }

    /** Whether a lease may still be used (by this ring's clock; with a zero TTL, within its statement). */
    public boolean isCurrent(KeyLease lease) {
        if (!s.caching()) {
            return lease.statement() == statement.get() && !lease.expiresAt().equals(Instant.MIN);
        }
        // millis(), not instant(): on the read path for every value, and the system clock's millis() allocates nothing
        Instant expiresAt = lease.expiresAt();
        return !expiresAt.equals(Instant.MIN) && s.clock.millis() < expiresAt.toEpochMilli();
    }

    // ---- administration (the command line): always on connections of the driver's own -------------------------

    /** Every row of the key table, by table identity and version (read afresh; holds only wrapped keys). */
    public List<KeyRow> rows() throws SQLException {
        try (OwnConnection own = resolvedOwn("listing the keys")) {
            return s.table.allRows(own.connection());
        }
    }

    /** The checks and changes of the key table's rows: rotation, status, destruction, rewrap, upgrade, import. */
    public KeyAdministration administration() throws SQLException {
        s.checkOpen();
        return new KeyAdministration(s, this);
    }

    /** See {@link KeyAdministration#addVersion}. */
    public KeyRow addVersion(String tableIdentity) throws SQLException {
        return administration().addVersion(tableIdentity);
    }

    /** See {@link KeyAdministration#setStatus}. */
    public void setStatus(String tableIdentity, int version, KeyStatus status) throws SQLException {
        administration().setStatus(tableIdentity, version, status);
    }

    /** See {@link KeyAdministration#destroy}. */
    public void destroy(String tableIdentity, int version) throws SQLException {
        administration().destroy(tableIdentity, version);
    }

    /** See {@link KeyAdministration#rewrap}. */
    public boolean rewrap(KeyRow row, String toKmsKeyId) throws SQLException {
        return administration().rewrap(row, toKmsKeyId);
    }

    /** How many unwrapped data keys this ring holds in memory now (fresh ones: their cache period has not ended). */
    public int cachedDataKeys() {
        return s.keyCache.freshCount();
    }

    /** Drops every cached key row list and unwrapped key, so the next call reads the key table and the KMS afresh. */
    public void invalidate() {
        s.rowCache.clear();
        s.keyCache.clear();
    }

    /** Closes the ring (not a view): stops its background refresh and wipes its cached keys. */
    @Override
    public void close() {
        statementStarts();
        if (application == null) {
            s.close();
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** A connection of the driver's own with the key table resolved (for the command line). */
    OwnConnection resolvedOwn(String purpose) throws SQLException {
        s.checkOpen();
        return openOwn(purpose, false);
    }

    /**
     * {@link #openUnresolved}, and the key table resolved on the connection if no application connection resolved
     * it before (the command line's ring).
     */
    OwnConnection openOwn(String purpose, boolean mayUseApplication) throws SQLException {
        OwnConnection own = openUnresolved(purpose, mayUseApplication);
        if (!s.table.location().resolved()) {
            try {
                s.table.location().resolve(own.connection());
            } catch (SQLException | RuntimeException e) {
                own.close();
                throw e;
            }
        }
        return own;
    }

    /**
     * A connection of the driver's own for key work that must commit independently. When none can be had (a pool
     * with every connection in use) and {@code mayUseApplication}, the application's connection is used if it is in
     * autocommit mode with no transaction open — each statement then commits at once, independently of any later
     * transaction. A transaction opened with a raw {@code BEGIN} counts as open (see {@link TransactionState}): a key
     * row written inside it would vanish with a rollback while this process kept writing values under the key.
     */
    private OwnConnection openUnresolved(String purpose, boolean mayUseApplication) throws SQLException {
        try {
            return new OwnConnection(s.own.open(s.table.name(), purpose), true);
        } catch (SQLException e) {
            Connection app = application;
            if (mayUseApplication && app != null && !TransactionState.open(app)) {
                return new OwnConnection(app, false);
            }
            if (s.own.pooled()) {
                throw EnvelopeErrors.key(e.getMessage().substring(EnvelopeErrors.PREFIX.length())
                        + ". A key row must commit independently of the application's transaction, so it is not"
                        + " written on the application's connection while a transaction is open: leave a connection"
                        + " of the pool free, run the first write of each table in autocommit mode, or create the"
                        + " keys ahead (any write through envelope-jdbc in autocommit mode)", e);
            }
            throw e;
        }
    }

    /** The rows of a table to honour: verified (authenticated key tables), checked against this process's history. */
    private RowSnapshot honoured(String tableIdentity, boolean reread) throws SQLException {
        RowSnapshot snapshot = reread ? reread(tableIdentity) : rows(tableIdentity);
        if (snapshot.isEmpty()) {
            snapshot = s.firstKey(tableIdentity, this);
        }
        if (!snapshot.verified) {
            s.verify(snapshot, this);
        }
        return s.history(tableIdentity).honour(snapshot);
    }

    /** A table's honoured rows with at least one active, verified version (its first key created if it has none). */
    private RowSnapshot writable(String tableIdentity) throws SQLException {
        RowSnapshot snapshot = honoured(tableIdentity, false);
        if (active(snapshot).isEmpty() && s.caching()) {
            snapshot = honoured(tableIdentity, true);
        }
        if (active(snapshot).isEmpty()) {
            if (!snapshot.refused.isEmpty()) {
                throw s.refusal(tableIdentity, snapshot.refused.keySet().iterator().next(),
                        "no other version is active, so writes are refused");
            }
            throw EnvelopeErrors.key("key table " + s.table.name() + ": table " + tableIdentity
                    + " has no active key version to write under (versions: " + describe(snapshot.rows)
                    + "); add one with keys rotate");
        }
        return snapshot;
    }

    /** A table's rows: cached for one TTL (or, with a zero TTL, for the current statement). */
    RowSnapshot rows(String tableIdentity) throws SQLException {
        s.checkOpen();
        Objects.requireNonNull(tableIdentity, "tableIdentity");
        if (!s.caching()) {
            RowSnapshot mine = statementRows.get(tableIdentity);
            if (mine == null) {
                mine = read(tableIdentity);
                statementRows.put(tableIdentity, mine);
            }
            return mine;
        }
        RowSnapshot rows = s.rowCache.get(tableIdentity, () -> read(tableIdentity));
        if (rows.isEmpty()) {
            // Cached as empty: another process may have created the key since.
            rows = reread(tableIdentity);
        }
        return rows;
    }

    /** A table's rows read afresh (and cached). */
    RowSnapshot reread(String tableIdentity) throws SQLException {
        if (!s.caching()) {
            RowSnapshot mine = read(tableIdentity);
            statementRows.put(tableIdentity, mine);
            return mine;
        }
        return s.rowCache.reload(tableIdentity, () -> read(tableIdentity));
    }

    /** Remembers rows read elsewhere (after a key was created) as this view's current ones. */
    void remember(RowSnapshot snapshot) {
        if (s.caching()) {
            s.rowCache.put(snapshot.table, snapshot);
        } else {
            statementRows.put(snapshot.table, snapshot);
        }
    }

    /**
     * Reads a table's rows on the application's connection — inside a savepoint when a transaction is open, so a
     * failure never aborts the application's transaction — or, when that fails (an aborted transaction, a driver
     * that allows no second statement while a result streams), on a connection of the driver's own.
     */
    private RowSnapshot read(String tableIdentity) throws SQLException {
        Connection app = application;
        if (app != null) {
            try {
                return new RowSnapshot(tableIdentity, readOnApplication(app, tableIdentity));
            } catch (SQLException onApplication) {
                try {
                    return s.readOwn(tableIdentity, this);
                } catch (SQLException onOwn) {
                    onOwn.addSuppressed(onApplication);
                    throw onOwn;
                }
            }
        }
        return s.readOwn(tableIdentity, this);
    }

    private List<KeyRow> readOnApplication(Connection app, String tableIdentity) throws SQLException {
        if (app.getAutoCommit()) {
            return s.table.rowsOf(app, tableIdentity);
        }
        Savepoint savepoint = app.setSavepoint();
        try {
            List<KeyRow> rows = s.table.rowsOf(app, tableIdentity);
            app.releaseSavepoint(savepoint);
            return rows;
        } catch (SQLException e) {
            try {
                app.rollback(savepoint);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The unwrapped key of a row: cached per TTL (or per statement); refused rows are refused on every call. */
    DataKey dataKey(KeyRow row) throws SQLException {
        s.unwrapper.checkAllowed(row);
        DataKeyId id = recentIds.of(row);
        if (!s.caching()) {
            DataKey mine = statementKeys.get(id);
            if (mine == null) {
                mine = s.unwrapper.unwrap(row);
                DataKey raced = statementKeys.putIfAbsent(id, mine);
                if (raced != null) {
                    mine.destroy();
                    mine = raced;
                }
            }
            return mine;
        }
        return s.keyCache.get(id, () -> s.unwrapper.unwrap(row));
    }

    /** Keeps a freshly generated key as the unwrapped key of its row (no Decrypt for the process that made it). */
    void keep(KeyRow row, DataKey key) {
        if (s.caching()) {
            s.keyCache.put(DataKeyId.of(row), key);
        } else if (statementKeys.putIfAbsent(DataKeyId.of(row), key) != null) {
            key.destroy();
        }
    }

    /** The refused versions of a snapshot; none, the usual case, without building a key set view per value. */
    private static Iterable<Integer> refusedVersions(RowSnapshot snapshot) {
        Map<Integer, String> refused = snapshot.refused;
        return refused.isEmpty() ? Collections.emptySet() : refused.keySet();
    }

    /** The verified active rows, lowest version first (worked out once per snapshot: this is on every write). */
    private static List<KeyRow> active(RowSnapshot snapshot) {
        return snapshot.active();
    }

    /** The rows lookups match: verified non-retired rows and every refused row, lowest version first. */
    private static List<KeyRow> matching(RowSnapshot snapshot) {
        return snapshot.matching();
    }

    static String describe(List<KeyRow> rows) {
        if (rows.isEmpty()) {
            return "none";
        }
        return rows.stream().map(r -> r.keyVersion() + " " + r.status().dbValue()).collect(Collectors.joining(", "));
    }
}
