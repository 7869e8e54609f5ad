package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.conversion.AssignmentCasts;
import io.envelope.jdbc.conversion.PlaintextDescriptions;
import io.envelope.jdbc.conversion.PlaintextGetters;
import io.envelope.jdbc.conversion.SessionZone;
import io.envelope.jdbc.crypto.CiphertextWidths;
import io.envelope.jdbc.crypto.ColumnCipher;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.PhysicalColumn;
import io.envelope.jdbc.sql.EncryptedLiteral;
import io.envelope.jdbc.sql.ParameterTarget;
import io.envelope.jdbc.sql.SqlDialect;
import io.envelope.jdbc.sql.StatementPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneId;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where values of encrypted columns cross between the application and the target driver:
 * a parameter is encrypted under the right data key and bound as bytes or base64 text; a stored value is read
 * as bytes or text, its key version found in its header, and decrypted (see docs/format.md).
 */
final class ColumnValues implements StatementPlan.Candidates {

    private static final Logger AUDIT = LoggerFactory.getLogger("io.envelope.jdbc.audit");
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final long PLAINTEXT_LOG_EVERY = 10_000;
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private final KeyRing keyRing;
    private final ConnectionCatalog catalog;
    /** How a ciphertext is written as a SQL literal on this database. */
    private final SqlDialect dialect;
    /** The last read key per table (see {@link #readKey}); a connection is mostly used by one thread at a time. */
    private final Map<EncryptedTable, KeyRing.KeyLease> readLeases = new ConcurrentHashMap<>();
    /**
     * The table of the last value read and its lease, in front of {@link #readLeases}: a result's values mostly come
     * from one table, so most reads skip the map. One immutable pair, so threads sharing the connection never see a
     * table with another table's lease.
     */
    private ReadLease lastRead;

    private record ReadLease(EncryptedTable table, KeyRing.KeyLease lease) {
    }

    /**
     * Values a lease may decrypt before the clock is read again (the clock was 4% of a 100-row read's CPU when read
     * for every value): a lease is checked at the first value of every statement and every 64th value after, so it
     * outlives its TTL by at most 63 values, and never past the wipe of its key. Racy by design: a lost update only
     * moves the next check.
     */
    private static final int LEASE_USES_BETWEEN_CHECKS = 64;
    private int leaseUsesBeforeCheck;

    private final SessionZone sessionZone;

    ColumnValues(KeyRing keyRing, ConnectionCatalog catalog, SessionZone sessionZone, SqlDialect dialect) {
        this.keyRing = keyRing;
        this.catalog = catalog;
        this.sessionZone = sessionZone;
        this.dialect = dialect;
    }

    /** How the target driver describes a plaintext column or parameter, for the encrypted ones' metadata. */
    PlaintextDescriptions descriptions() {
        return PlaintextDescriptions.of(dialect.isMySqlFamily(), dialect.behindMySqlConnectorJ());
    }

    /** The getters of an encrypted column, answering as the target driver does for a plaintext column. */
    PlaintextGetters getters(EncryptedColumn column) {
        return PlaintextGetters.of(column, sessionZone, dialect.isMySqlFamily(), dialect.behindMySqlConnectorJ());
    }

    /**
     * Encrypts {@code value} for {@code target} and binds it to parameter {@code index} of the target driver's
     * statement. A null value binds SQL NULL (NULL stays NULL, see docs/format.md).
     */
    void bind(PreparedStatement statement, int index, ParameterTarget target, Object value) throws SQLException {
        EncryptedColumn column = target.column();
        PhysicalColumn physical = catalog.physical(column);
        ColumnStorage storage = physical.storage();
        if (value == null) {
            statement.setNull(index, storage == ColumnStorage.BINARY ? Types.BINARY : Types.VARCHAR);
            return;
        }
        byte[] stored = column.cipher().encrypt(cast(column, value), writeKey(target));
        if (target.use() == ParameterTarget.Use.STORE) {
            checkFits(column, physical, stored);
        }
        if (storage == ColumnStorage.BINARY) {
            statement.setBytes(index, stored);
        } else {
            statement.setString(index, BASE64.encodeToString(stored));
        }
    }

    /**
     * Refuses a stored value longer than its column holds, before it is sent: MySQL outside a strict
     * {@code sql_mode} (and under {@code INSERT IGNORE} in any mode) would cut it to fit with only a warning, and
     * a cut ciphertext never decrypts again. Everywhere the error names the column and the width it needs.
     */
    private static void checkFits(EncryptedColumn column, PhysicalColumn physical, byte[] stored)
            throws SQLException {
        if (stored.length <= physical.capacityBytes()) {
            return;
        }
        boolean base64 = physical.storage() == ColumnStorage.BASE64_TEXT;
        throw EnvelopeErrors.tooLong("a value for encrypted column " + column.qualifiedName() + " is stored as "
                + (base64 ? CiphertextWidths.base64Chars(stored.length) + " characters of base64"
                : stored.length + " bytes") + ", but the column is " + physical.describe()
                + ", so it was not sent: widen the column (README, Column widths)");
    }

    /**
     * Binds a value for {@code target} to the {@code width} target parameters from {@code first}: for a
     * lookup (MATCH), one ciphertext per non-retired key version and, under {@code accept-plaintext}, the
     * stored plaintext form, repeated to fill the width (a repeat changes nothing in = ANY, &lt;&gt; ALL, IN or
     * NOT IN).
     *
     * @return false, with nothing bound, when the lookup now has more candidates than the width (a key version
     *         was added since the statement was prepared): the caller prepares wider SQL or refuses
     */
    boolean bind(PreparedStatement statement, int first, int width, ParameterTarget target, Object value)
            throws SQLException {
        if (target.use() != ParameterTarget.Use.MATCH || (width == 1 && value == null)) {
            bind(statement, first, target, value);
            return true;
        }
        EncryptedColumn column = target.column();
        ColumnStorage storage = catalog.storage(column);
        if (value == null) {
            for (int i = 0; i < width; i++) {
                statement.setNull(first + i, storage == ColumnStorage.BINARY ? Types.BINARY : Types.VARCHAR);
            }
            return true;
        }
        List<Object> candidates = matchCandidates(column, storage, value);
        if (candidates.size() > width) {
            return false;
        }
        for (int i = 0; i < width; i++) {
            Object c = candidates.get(Math.min(i, candidates.size() - 1));
            if (c instanceof byte[] b) {
                statement.setBytes(first + i, b);
            } else {
                statement.setString(first + i, (String) c);
            }
        }
        return true;
    }

    /** Stored forms (byte[] or String per storage) a lookup value must match, lowest key version first. */
    private List<Object> matchCandidates(EncryptedColumn column, ColumnStorage storage, Object value)
            throws SQLException {
        value = cast(column, value);
        List<Object> out = new ArrayList<>();
        for (DataKey key : keyRing.matchKeys(column.table().identity())) {
            byte[] stored = column.cipher().encrypt(value, key);
            out.add(storage == ColumnStorage.BINARY ? stored : BASE64.encodeToString(stored));
        }
        if (column.config().acceptPlaintext()) {
            Object plain = plaintextForm(value, storage);
            if (plain != null) {
                out.add(plain);
            }
        }
        return out;
    }

    /**
     * How a value sits in a not-yet-migrated plaintext column (what {@link #read} hands back unchanged): a text
     * column holds the string, a bytea column its UTF-8 bytes (or the bytes themselves). Strings, byte arrays
     * and numbers have such a form; other values (dates, ...) are matched as ciphertext only.
     */
    private static Object plaintextForm(Object value, ColumnStorage storage) {
        String text = null;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof BigDecimal d) {
            text = d.toPlainString();
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            text = value.toString();
        } else if (value instanceof byte[] b) {
            return storage == ColumnStorage.BINARY ? b.clone() : null;
        }
        if (text == null) {
            return null;
        }
        return storage == ColumnStorage.BINARY ? text.getBytes(StandardCharsets.UTF_8) : text;
    }

    @Override
    public String storedArray(EncryptedColumn column, int width) throws SQLException {
        return dialect.storedArray(catalog.storage(column), width);
    }

    /** How many ciphertexts a lookup on {@code column} must match right now (for preparing its SQL). */
    @Override
    public int width(EncryptedColumn column) throws SQLException {
        return keyRing.matchKeys(column.table().identity()).size() + (column.config().acceptPlaintext() ? 1 : 0);
    }

    /**
     * SQL literal texts for a literal of SQL text: one ciphertext under the write key for a stored value, every
     * candidate for a lookup. A binary column's ciphertext in the dialect's syntax ({@code '\x…'::bytea} on
     * PostgreSQL, {@code X'…'} on H2), a character column's as a {@code 'base64'} string.
     */
    @Override
    public List<String> literals(EncryptedLiteral literal) throws SQLException {
        EncryptedColumn column = literal.column();
        PhysicalColumn physical = catalog.physical(column);
        ColumnStorage storage = physical.storage();
        List<Object> forms;
        if (literal.use() == ParameterTarget.Use.STORE) {
            byte[] stored = column.cipher().encrypt(cast(column, literal.value()), writeKey(new ParameterTarget(column,
                    ParameterTarget.Use.STORE)));
            checkFits(column, physical, stored);
            forms = List.of(storage == ColumnStorage.BINARY ? stored : BASE64.encodeToString(stored));
        } else {
            forms = matchCandidates(column, storage, literal.value());
        }
        List<String> texts = new ArrayList<>(forms.size());
        for (Object f : forms) {
            texts.add(f instanceof byte[] b ? dialect.binaryLiteral(b) : dialect.stringLiteral((String) f));
        }
        return texts;
    }

    /** How an encrypted column is stored, as the catalog says (a result reading it asks once, not per value). */
    ColumnStorage storage(EncryptedColumn column) throws SQLException {
        return catalog.storage(column);
    }

    /**
     * Reads and decrypts column {@code index} of the target driver's result set, stored as {@code storage} (see
     * {@link #storage}). Returns null for SQL NULL, the canonical Java value of the column's plaintext type, or — for
     * a column with {@code accept-plaintext} — the stored plaintext as it is (String or byte[]).
     */
    Object read(ResultSet result, int index, EncryptedColumn column, ColumnStorage storage) throws SQLException {
        byte[] stored;
        String text = null;
        if (storage == ColumnStorage.BINARY) {
            stored = result.getBytes(index);
            if (stored == null) {
                return null;
            }
        } else if (dialect.readsTextAsBytes() && !column.config().acceptPlaintext()) {
            // the base64 text as the server sent it: decoded without making a String of it first
            byte[] base64 = result.getBytes(index);
            if (base64 == null) {
                return null;
            }
            stored = decodeBase64(base64);
        } else {
            text = result.getString(index);
            if (text == null) {
                return null;
            }
            stored = decodeBase64(text);
        }
        ColumnCipher cipher = column.cipher();
        if (stored == null || !cipher.isEnvelopeFormat(stored)) {
            if (column.config().acceptPlaintext()) {
                countPlaintextRead(column);
                return plaintextAsStored(column, storage, stored, text);
            }
            throw EnvelopeErrors.data("a stored value of " + column.qualifiedName()
                    + " is not in envelope format; it was not written through envelope-jdbc, or it was altered"
                    + " (set accept-plaintext: true only while migrating existing plaintext)");
        }
        int version = cipher.keyVersionOf(stored);
        return cipher.decrypt(stored, readKey(column.table(), version));
    }

    /**
     * The key of a table's version for decrypting, kept per table while its lease lasts (at most one TTL from
     * when it was unwrapped), so reading a result asks the key ring once per table and version, not per value.
     */
    @SuppressWarnings("ReferenceEquality") // by identity on purpose: the schema's own table object
    private DataKey readKey(EncryptedTable table, int version) throws SQLException {
        ReadLease last = lastRead;
        KeyRing.KeyLease lease = last != null && last.table == table ? last.lease : readLeases.get(table);
        if (lease == null || lease.key().version() != version || !leaseStillCurrent(lease)) {
            lease = keyRing.lease(table.identity(), version);
            readLeases.put(table, lease);
            leaseUsesBeforeCheck = LEASE_USES_BETWEEN_CHECKS;
        }
        if (last == null || last.table != table || last.lease != lease) {
            lastRead = new ReadLease(table, lease);
        }
        lease.key().markUsed(); // the ring refreshes keys in use; this read did not ask it
        return lease.key();
    }

    private boolean leaseStillCurrent(KeyRing.KeyLease lease) {
        if (--leaseUsesBeforeCheck > 0 && !lease.key().isDestroyed()) {
            // a key is wiped 10 s after its TTL ends: a slow reader between two checks asks again then
            return true;
        }
        leaseUsesBeforeCheck = LEASE_USES_BETWEEN_CHECKS;
        return keyRing.isCurrent(lease);
    }

    /** A statement starts on the connection: its first value read checks its key's lease (see {@link #readKey}). */
    void statementStarts() {
        leaseUsesBeforeCheck = 0;
    }

    /**
     * Counts a plaintext value read inside an accept-plaintext window ({@link io.envelope.jdbc.EnvelopeMetrics}) and
     * records the count in the audit log on the first one per column and every {@value #PLAINTEXT_LOG_EVERY}th after,
     * rather than a line per value on the read path.
     */
    private static void countPlaintextRead(EncryptedColumn column) {
        long count = io.envelope.jdbc.EnvelopeMetrics.plaintextRead(column.qualifiedName());
        if (count == 1 || count % PLAINTEXT_LOG_EVERY == 0) {
            AUDIT.info("plaintext values read from {} (accept-plaintext migration window): {} so far in this process;"
                    + " run migrate to encrypt them", column.qualifiedName(), count);
        }
    }

    /**
     * A not-yet-migrated plaintext value as the getters take it: the text of a character column; the bytes of a
     * bytea column for a {@code bytes} column, else their UTF-8 text (the form {@link #plaintextForm} matches).
     */
    private static Object plaintextAsStored(EncryptedColumn column, ColumnStorage storage, byte[] stored, String text) {
        if (storage != ColumnStorage.BINARY) {
            return text;
        }
        return column.config().type() == io.envelope.jdbc.config.PlaintextType.BYTES
                ? stored : new String(stored, StandardCharsets.UTF_8);
    }

    /** The server's assignment cast to the column's plaintext type, done here since the server sees ciphertext. */
    private Object cast(EncryptedColumn column, Object value) throws SQLException {
        if (value == null || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] b && b.length == 16 && column.config().type() == PlaintextType.UUID
                && dialect.isMySqlFamily()) {
            // MySQL has no uuid type: applications (and Hibernate) keep a UUID in BINARY(16), its 16 bytes in order
            ByteBuffer bytes = ByteBuffer.wrap(b);
            return new UUID(bytes.getLong(), bytes.getLong());
        }
        // only java.time values meet a conversion in the session zone; others skip reading it
        ZoneId zone = value instanceof Temporal ? sessionZone.zone() : null;
        return AssignmentCasts.cast(value, column.config(), column.qualifiedName(), zone);
    }

    private DataKey writeKey(ParameterTarget target) throws SQLException {
        EncryptedColumn column = target.column();
        String table = column.table().identity();
        return switch (column.mode()) {
            case RANDOMIZED -> keyRing.randomizedWriteKey(table);
            case DETERMINISTIC -> keyRing.deterministicWriteKey(table);
        };
    }

    private static byte[] decodeBase64(String text) {
        try {
            return BASE64_DECODER.decode(text);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static byte[] decodeBase64(byte[] text) {
        try {
            return BASE64_DECODER.decode(text);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
