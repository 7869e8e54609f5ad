package io.envelope.jdbc.crypto;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Encrypts and decrypts the values of one configured column (see docs/format.md). Thread-safe; one per column,
 * shared by every connection of a runtime.
 *
 * <p>The stored format is described in {@link ValueFormat} and, byte by byte, in docs/format.md.
 * Randomized values use AES-256-GCM under a per-writer HKDF sub-key (random 128-bit salt, 96-bit counter
 * nonce, re-salted every 2^32 values); deterministic values use AES-256-CBC with a synthetic IV and an
 * HMAC-SHA-256 tag (encrypt-then-MAC). Errors name the table, column and key version, never the value.
 */
public final class ColumnCipher {

    /** Source of the 128-bit randomized-mode salts (a seam for known-answer tests). */
    interface SaltSource {
        void nextSalt(byte[] out);
    }

    private static final SaltSource SECURE_RANDOM = new SaltSource() {
        private final SecureRandom random = new SecureRandom();

        @Override
        public void nextSalt(byte[] out) {
            random.nextBytes(out);
        }
    };

    private final String tableIdentity;
    private final ColumnConfig config;
    private final int minFormatVersion;

    private final ColumnConfig effective;   // config with defaults filled in
    private final String place;             // "schema.table.column", for messages
    private final byte[] placeAad;          // LP(table identity) || LP(column), UTF-8
    private final TypeFamily family;
    private final byte familyByte;          // family code, | 0x80 when padded
    private final SaltSource saltSource;
    private final long firstCounter;

    /** The last key material used: the steady state skips even the map lookup. */
    private volatile KeyMaterial last;

    /**
     * @param tableIdentity    {@code schema.table}, bound into every value's AAD
     * @param columnName       the column name as the catalog spells it, bound into every value's AAD
     * @param config           mode, plaintext type, scale/precision, pad
     * @param minFormatVersion stored values of an older format version are refused
     */
    public ColumnCipher(String tableIdentity, String columnName, ColumnConfig config, int minFormatVersion) {
        this(tableIdentity, columnName, config, minFormatVersion, SECURE_RANDOM, 0L);
    }

    /** Test seam: fixed salts and a chosen first counter value (to pin known answers and exercise re-salting). */
    ColumnCipher(String tableIdentity, String columnName, ColumnConfig config, int minFormatVersion,
                 SaltSource saltSource, long firstCounter) {
        this.tableIdentity = tableIdentity;
        this.config = config;
        this.minFormatVersion = minFormatVersion;
        this.effective = new ColumnConfig(config.name(),
                config.mode() == null ? EncryptionMode.RANDOMIZED : config.mode(),
                config.type() == null ? PlaintextType.TEXT : config.type(),
                config.scale(), config.precision(), config.pad(), config.acceptPlaintext());
        this.place = tableIdentity + "." + columnName;
        this.placeAad = Hkdf.lengthPrefixed(Hkdf.utf8(tableIdentity), Hkdf.utf8(columnName));
        this.family = TypeFamily.of(effective.type());
        this.familyByte = (byte) (family.code | (effective.pad() > 0 ? ValueFormat.PADDED_FLAG : 0));
        this.saltSource = saltSource;
        this.firstCounter = firstCounter;
    }

    public ColumnConfig config() {
        return config;
    }

    /**
     * Canonicalises a non-null Java value to the column's plaintext type and encrypts it under {@code key}.
     *
     * @return the stored value's bytes (the caller base64-encodes them for a character column)
     */
    public byte[] encrypt(Object value, DataKey key) throws SQLException {
        if (value == null) {
            throw EnvelopeErrors.data("cannot encrypt " + place + ": SQL NULL is stored as NULL, not encrypted");
        }
        if (minFormatVersion > ValueFormat.CURRENT_VERSION) {
            // it would write values that it then refuses to read
            throw EnvelopeErrors.data("cannot encrypt " + place + ": min-format-version " + minFormatVersion
                    + " is newer than format version " + ValueFormat.CURRENT_VERSION + ", the one this build writes");
        }
        checkKey(key, key == null ? 0 : key.version(), "encrypt");
        byte[] plaintext = Canonical.encode(value, effective, place);
        if (effective.pad() > 0) {
            plaintext = Padding.pad(plaintext, effective.pad());
        }
        byte[] out;
        try {
            KeyMaterial m = material(key);
            out = effective.mode() == EncryptionMode.DETERMINISTIC
                    ? encryptDeterministic(plaintext, key.version(), m)
                    : encryptRandomized(plaintext, key.version(), m);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw EnvelopeErrors.data("cannot encrypt " + place + " (key version " + key.version()
                    + "): " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        if (key.isDestroyed()) {
            // destroyed while we were working: the sub-keys may have been derived from wiped bytes
            throw destroyed(key, "encrypt");
        }
        EnvelopeMetrics.encrypted();
        return out;
    }

    /** Whether the bytes are in envelope format (a known format version and a well-formed header). */
    public boolean isEnvelopeFormat(byte[] stored) {
        return ValueFormat.wellFormed(stored);
    }

    /** The data key version a stored value names in its header. */
    public int keyVersionOf(byte[] stored) throws SQLException {
        if (!ValueFormat.wellFormed(stored)) {
            throw EnvelopeErrors.data("cannot read the key version of " + place
                    + ": the stored value is not in envelope format");
        }
        return ValueFormat.keyVersion(stored);
    }

    /** Authenticates and decrypts a stored value; returns the canonical Java value of the plaintext type. */
    public Object decrypt(byte[] stored, DataKey key) throws SQLException {
        if (stored == null) {
            throw EnvelopeErrors.data("cannot decrypt " + place + ": SQL NULL is not an encrypted value");
        }
        if (stored.length > 0 && (stored[0] & 0xff) < minFormatVersion
                && (stored[0] & 0xff) >= ValueFormat.OLDEST_READABLE_VERSION) {
            throw EnvelopeErrors.data("cannot decrypt " + place + ": format version " + (stored[0] & 0xff)
                    + " is older than min-format-version " + minFormatVersion);
        }
        if (!ValueFormat.wellFormed(stored)) {
            String why = stored.length > 0 && stored[0] != ValueFormat.CURRENT_VERSION
                    ? "format version " + (stored[0] & 0xff) + " is not known to this build"
                    : "the stored value is not in envelope format (bad header or length)";
            throw EnvelopeErrors.data("cannot decrypt " + place + ": " + why);
        }
        int version = ValueFormat.keyVersion(stored);
        checkKey(key, version, "decrypt");
        if (key.version() != version) {
            throw EnvelopeErrors.data("cannot decrypt " + place + " (key version " + version
                    + "): the data key supplied is version " + key.version());
        }
        int storedFamily = stored[ValueFormat.OFF_FAMILY] & ~ValueFormat.PADDED_FLAG & 0xff;
        if (storedFamily != family.code) {
            throw EnvelopeErrors.data("cannot decrypt " + place + " (key version " + version + "): the value holds a "
                    + TypeFamily.fromCode(storedFamily).name().toLowerCase(Locale.ROOT)
                    + " but the column's declared type is " + effective.type().configName());
        }
        byte[] plaintext;
        try {
            KeyMaterial m = material(key);
            plaintext = stored[ValueFormat.OFF_MODE] == ValueFormat.MODE_DETERMINISTIC
                    ? decryptDeterministic(stored, m)
                    : decryptRandomized(stored, m);
        } catch (AEADBadTagException e) {
            throw authenticationFailed(version, e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw EnvelopeErrors.data("cannot decrypt " + place + " (key version " + version + "): "
                    + e.getClass().getSimpleName(), e);
        }
        if (plaintext == null) {
            throw authenticationFailed(version, null);
        }
        if ((stored[ValueFormat.OFF_FAMILY] & ValueFormat.PADDED_FLAG) != 0) {
            byte[] unpadded = Padding.unpad(plaintext);
            Arrays.fill(plaintext, (byte) 0);
            if (unpadded == null) {
                throw EnvelopeErrors.data("cannot decrypt " + place + " (key version " + version
                        + "): malformed length padding");
            }
            plaintext = unpadded;
        }
        EnvelopeMetrics.decrypted();
        return Canonical.decode(plaintext, effective, place);
    }

    @Override
    public String toString() {
        return "ColumnCipher[" + place + ", " + effective.mode().configName() + ", "
                + effective.type().configName() + "]";
    }

    // ------------------------------------------------------------------ randomized: AES-256-GCM

    private byte[] encryptRandomized(byte[] plaintext, int keyVersion, KeyMaterial m)
            throws GeneralSecurityException {
        KeyMaterial.Writer w;
        long n;
        while (true) {
            w = m.writer();
            n = w.counter.getAndIncrement();
            if (n < ValueFormat.VALUES_PER_SUBKEY) {
                break;
            }
            m.resalt(w);
        }
        byte[] out = new byte[ValueFormat.RANDOMIZED_HEADER + plaintext.length + ValueFormat.GCM_TAG_BYTES];
        writeFixedHeader(out, ValueFormat.MODE_RANDOMIZED, keyVersion);
        System.arraycopy(w.salt, 0, out, ValueFormat.FIXED_HEADER, ValueFormat.SALT_BYTES);
        int nonceAt = ValueFormat.FIXED_HEADER + ValueFormat.SALT_BYTES;
        // 96-bit big-endian counter: 4 zero bytes (already zero) then the low 64 bits
        for (int i = 0; i < 8; i++) {
            out[nonceAt + 11 - i] = (byte) (n >>> (8 * i));
        }
        Jce.Engines engines = Jce.engines();
        Cipher c = engines.gcm;
        c.init(Cipher.ENCRYPT_MODE, w.key,
                new GCMParameterSpec(ValueFormat.GCM_TAG_BYTES * 8, out, nonceAt, ValueFormat.NONCE_BYTES));
        engines.updateAad(c, out, ValueFormat.RANDOMIZED_HEADER, placeAad);
        c.doFinal(plaintext, 0, plaintext.length, out, ValueFormat.RANDOMIZED_HEADER);
        return out;
    }

    private byte[] decryptRandomized(byte[] stored, KeyMaterial m) throws GeneralSecurityException {
        Jce.Engines engines = Jce.engines();
        Cipher c = engines.gcm;
        c.init(Cipher.DECRYPT_MODE, m.randomizedKey(stored, ValueFormat.FIXED_HEADER),
                new GCMParameterSpec(ValueFormat.GCM_TAG_BYTES * 8, stored,
                        ValueFormat.FIXED_HEADER + ValueFormat.SALT_BYTES, ValueFormat.NONCE_BYTES));
        engines.updateAad(c, stored, ValueFormat.RANDOMIZED_HEADER, placeAad);
        return c.doFinal(stored, ValueFormat.RANDOMIZED_HEADER, stored.length - ValueFormat.RANDOMIZED_HEADER);
    }

    // ------------------------------------------------------------------ deterministic: AES-256-CBC + HMAC

    private byte[] encryptDeterministic(byte[] plaintext, int keyVersion, KeyMaterial m)
            throws GeneralSecurityException {
        KeyMaterial.Deterministic k = m.deterministic();
        int ctLen = (plaintext.length / ValueFormat.AES_BLOCK + 1) * ValueFormat.AES_BLOCK;
        int ctAt = ValueFormat.FIXED_HEADER + ValueFormat.IV_BYTES;
        byte[] out = new byte[ctAt + ctLen + ValueFormat.HMAC_TAG_BYTES];
        writeFixedHeader(out, ValueFormat.MODE_DETERMINISTIC, keyVersion);

        Jce.Engines engines = Jce.engines();
        Mac mac = engines.sivMac(k.iv);
        mac.update(out, 0, ValueFormat.FIXED_HEADER);
        mac.update(placeAad);
        mac.update(plaintext);
        byte[] siv = mac.doFinal();
        System.arraycopy(siv, 0, out, ValueFormat.FIXED_HEADER, ValueFormat.IV_BYTES);

        Cipher c = engines.cbc;
        c.init(Cipher.ENCRYPT_MODE, k.enc, new IvParameterSpec(out, ValueFormat.FIXED_HEADER, ValueFormat.IV_BYTES));
        int written = c.doFinal(plaintext, 0, plaintext.length, out, ctAt);
        if (written != ctLen) {
            throw new IllegalStateException("unexpected CBC output length");
        }

        mac = engines.tagMac(k.mac);
        mac.update(out, 0, ValueFormat.FIXED_HEADER);
        mac.update(placeAad);
        mac.update(out, ValueFormat.FIXED_HEADER, ValueFormat.IV_BYTES + ctLen);
        mac.doFinal(out, ctAt + ctLen);
        return out;
    }

    /** The padded plaintext, or null when the tag does not verify. */
    private byte[] decryptDeterministic(byte[] stored, KeyMaterial m) throws GeneralSecurityException {
        KeyMaterial.Deterministic k = m.deterministic();
        int tagAt = stored.length - ValueFormat.HMAC_TAG_BYTES;
        int ctAt = ValueFormat.FIXED_HEADER + ValueFormat.IV_BYTES;
        Jce.Engines engines = Jce.engines();
        Mac mac = engines.tagMac(k.mac);
        mac.update(stored, 0, ValueFormat.FIXED_HEADER);
        mac.update(placeAad);
        mac.update(stored, ValueFormat.FIXED_HEADER, tagAt - ValueFormat.FIXED_HEADER);
        byte[] expected = mac.doFinal();
        if (!tagEquals(expected, stored, tagAt)) {
            return null;
        }
        Cipher c = engines.cbc;
        c.init(Cipher.DECRYPT_MODE, k.enc, new IvParameterSpec(stored, ValueFormat.FIXED_HEADER, ValueFormat.IV_BYTES));
        return c.doFinal(stored, ctAt, tagAt - ctAt);
    }

    /**
     * Whether {@code stored} holds {@code expected} at {@code at} (to its end), in time independent of where they
     * differ, as MessageDigest.isEqual but without copying the stored tag out first.
     */
    static boolean tagEquals(byte[] expected, byte[] stored, int at) {
        if (stored.length - at != expected.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff |= expected[i] ^ stored[at + i];
        }
        return diff == 0;
    }

    // ------------------------------------------------------------------ shared

    private void writeFixedHeader(byte[] out, byte mode, int keyVersion) {
        out[ValueFormat.OFF_VERSION] = (byte) ValueFormat.CURRENT_VERSION;
        out[ValueFormat.OFF_MODE] = mode;
        ValueFormat.putInt(out, ValueFormat.OFF_KEY_VERSION, keyVersion);
        out[ValueFormat.OFF_FAMILY] = familyByte;
    }

    private KeyMaterial material(DataKey key) throws GeneralSecurityException {
        KeyMaterial m = last;
        if (m != null && m.dataKey == key) {
            return m;
        }
        m = key.derived.get(this);
        if (m == null) {
            KeyMaterial fresh = new KeyMaterial(key, placeAad, saltSource, firstCounter);
            KeyMaterial raced = key.derived.putIfAbsent(this, fresh);
            m = raced == null ? fresh : raced;
        }
        last = m;
        return m;
    }

    private void checkKey(DataKey key, int version, String what) throws SQLException {
        if (key == null) {
            throw EnvelopeErrors.data("cannot " + what + " " + place + " (key version " + version
                    + "): no data key supplied");
        }
        if (!tableIdentity.equals(key.tableIdentity())) {
            throw EnvelopeErrors.data("cannot " + what + " " + place + " (key version " + version
                    + "): the data key supplied belongs to table " + key.tableIdentity());
        }
        if (key.version() <= 0) {
            throw EnvelopeErrors.data("cannot " + what + " " + place + ": key version " + key.version()
                    + " is not a valid version");
        }
        if (key.isDestroyed()) {
            throw destroyed(key, what);
        }
    }

    private SQLException destroyed(DataKey key, String what) {
        return EnvelopeErrors.data("cannot " + what + " " + place + " (key version " + key.version()
                + "): the data key object has been destroyed");
    }

    private SQLException authenticationFailed(int version, Throwable cause) {
        String msg = "cannot decrypt " + place + " (key version " + version + "): the value failed authentication"
                + " (it was altered, or copied from another column or table, or the key is wrong)";
        return cause == null ? EnvelopeErrors.data(msg) : EnvelopeErrors.data(msg, cause);
    }
}
