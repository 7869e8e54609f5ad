package io.envelope.jdbc.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sub-keys one column cipher derives from one data key, built once per (column cipher, DataKey object)
 * and cached in the DataKey, so the steady state does no key derivation per value. Never prints keys.
 */
final class KeyMaterial {

    static final String LABEL_RANDOMIZED = "envelope-jdbc/v1/randomized";
    static final String LABEL_DET_ENC = "envelope-jdbc/v1/deterministic/enc";
    static final String LABEL_DET_MAC = "envelope-jdbc/v1/deterministic/mac";
    static final String LABEL_DET_IV = "envelope-jdbc/v1/deterministic/iv";

    private static final int MAX_READ_SALTS = 4096;

    final DataKey dataKey;
    private final byte[] prk;
    private final byte[] placeInfo;      // LP(table) || LP(column)
    private final ColumnCipher.SaltSource saltSource;
    private final long firstCounter;     // 0, except in tests that exercise re-salting

    // randomized
    private final AtomicReference<Writer> writer = new AtomicReference<>();
    private final ConcurrentHashMap<SaltId, WipeableKey> readKeys = new ConcurrentHashMap<>();

    /** The salt last looked up for reading and its sub-key (see {@link #randomizedKey}). */
    private volatile LastRead lastRead;

    private record LastRead(long hi, long lo, WipeableKey key) {
        @Override
        public String toString() {
            return "LastRead[<key hidden>]";
        }
    }

    // deterministic, built on first use
    private volatile Deterministic deterministic;

    /** One writer generation: a random salt, its sub-key and the counter of nonces used under it. */
    static final class Writer {
        final byte[] salt;
        final WipeableKey key;
        final AtomicLong counter;

        Writer(byte[] salt, WipeableKey key, long firstCounter) {
            this.salt = salt;
            this.key = key;
            this.counter = new AtomicLong(firstCounter);
        }

        @Override
        public String toString() {
            return "Writer[<key hidden>]";
        }
    }

    static final class Deterministic {
        final WipeableKey enc;
        final WipeableKey mac;
        final WipeableKey iv;

        Deterministic(WipeableKey enc, WipeableKey mac, WipeableKey iv) {
            this.enc = enc;
            this.mac = mac;
            this.iv = iv;
        }

        @Override
        public String toString() {
            return "Deterministic[<keys hidden>]";
        }
    }

    private record SaltId(long hi, long lo) {
    }

    KeyMaterial(DataKey dataKey, byte[] placeInfo, ColumnCipher.SaltSource saltSource, long firstCounter)
            throws GeneralSecurityException {
        this.dataKey = dataKey;
        this.prk = Hkdf.extract(null, dataKey.keyBytes());
        this.placeInfo = placeInfo;
        this.saltSource = saltSource;
        this.firstCounter = firstCounter;
    }

    /** The current writer generation; a fresh salt after {@link ValueFormat#VALUES_PER_SUBKEY} values. */
    Writer writer() throws GeneralSecurityException {
        Writer w = writer.get();
        if (w == null) {
            w = newWriter(firstCounter);
            if (!writer.compareAndSet(null, w)) {
                w = writer.get();
            }
        }
        return w;
    }

    /** Replaces an exhausted writer generation (only the first caller's replacement wins). */
    void resalt(Writer exhausted) throws GeneralSecurityException {
        Writer next = newWriter(0L);
        writer.compareAndSet(exhausted, next);
    }

    private Writer newWriter(long counter) throws GeneralSecurityException {
        byte[] salt = new byte[ValueFormat.SALT_BYTES];
        saltSource.nextSalt(salt);
        WipeableKey key = randomizedKey(salt, 0);
        return new Writer(salt, key, counter);
    }

    /** The randomized sub-key for the salt at {@code off}; derived once per salt, then cached. */
    WipeableKey randomizedKey(byte[] b, int off) throws GeneralSecurityException {
        long hi = longAt(b, off);
        long lo = longAt(b, off + 8);
        // Values read together were mostly written by one writer generation: the last salt answers without a map
        // lookup (and without building its map key).
        LastRead last = lastRead;
        if (last != null && last.hi == hi && last.lo == lo && !last.key.isDestroyed()) {
            return last.key;
        }
        SaltId id = new SaltId(hi, lo);
        WipeableKey k = readKeys.get(id);
        if (k == null) {
            byte[] salt = Arrays.copyOfRange(b, off, off + ValueFormat.SALT_BYTES);
            byte[] info = concat(Hkdf.lengthPrefixed(Hkdf.utf8(LABEL_RANDOMIZED)), placeInfo,
                    Hkdf.lengthPrefixed(salt));
            byte[] raw = Hkdf.expand(prk, info, 32);
            k = new WipeableKey(raw, "AES");
            Arrays.fill(raw, (byte) 0);
            if (readKeys.size() >= MAX_READ_SALTS) {
                // Not destroyed here: another thread may be using one of them right now.
                readKeys.clear();
            }
            readKeys.put(id, k);
        }
        lastRead = new LastRead(hi, lo, k);
        return k;
    }

    Deterministic deterministic() throws GeneralSecurityException {
        Deterministic d = deterministic;
        if (d == null) {
            d = new Deterministic(subKey(LABEL_DET_ENC, "AES"), subKey(LABEL_DET_MAC, "HmacSHA256"),
                    subKey(LABEL_DET_IV, "HmacSHA256"));
            deterministic = d;
        }
        return d;
    }

    private WipeableKey subKey(String label, String algorithm) throws GeneralSecurityException {
        byte[] raw = Hkdf.expand(prk, concat(Hkdf.lengthPrefixed(Hkdf.utf8(label)), placeInfo), 32);
        WipeableKey k = new WipeableKey(raw, algorithm);
        Arrays.fill(raw, (byte) 0);
        return k;
    }

    /**
     * Best effort: overwrites this object's derived keys and forgets them. JCE engines that were initialised with
     * them keep their own expanded copies until they are initialised with another key (see SECURITY.md).
     */
    void forget() {
        Arrays.fill(prk, (byte) 0);
        readKeys.values().forEach(WipeableKey::destroy);
        readKeys.clear();
        lastRead = null;
        Writer w = writer.getAndSet(null);
        if (w != null) {
            w.key.destroy();
        }
        Deterministic d = deterministic;
        deterministic = null;
        if (d != null) {
            d.enc.destroy();
            d.mac.destroy();
            d.iv.destroy();
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + dataKey + ", <keys hidden>]";
    }
}
