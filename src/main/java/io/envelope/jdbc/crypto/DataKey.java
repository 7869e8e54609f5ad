package io.envelope.jdbc.crypto;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One unwrapped 256-bit data key of one table and key version, as the key ring hands it out.
 * The crypto package derives its sub-keys from it (and may cache them inside it), so one DataKey object
 * lives as long as its cache entry; a fresh unwrap gives a fresh object.
 *
 * <p>{@link #toString()} never shows key material.
 */
public final class DataKey {

    public static final int KEY_BYTES = 32;

    private final String tableIdentity;
    private final int version;
    private final byte[] keyBytes;
    /** Sub-keys derived by each column cipher from this key, built on first use (crypto package only). */
    final ConcurrentHashMap<Object, KeyMaterial> derived = new ConcurrentHashMap<>();
    private volatile boolean destroyed;
    /** Whether the key served a value since the key ring's refresher last asked (see {@link #markUsed()}). */
    private volatile boolean usedSinceAsked;

    /**
     * @param tableIdentity the table identity ({@code schema.table}) the key belongs to
     * @param version       its key version (1, 2, ...)
     * @param keyBytes      the 32 key bytes; copied, so the caller may wipe its array
     */
    public DataKey(String tableIdentity, int version, byte[] keyBytes) {
        if (keyBytes == null || keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("a data key has " + KEY_BYTES + " bytes");
        }
        this.tableIdentity = tableIdentity;
        this.version = version;
        this.keyBytes = keyBytes.clone();
    }

    public String tableIdentity() {
        return tableIdentity;
    }

    public int version() {
        return version;
    }

    /** The raw key, for the crypto package only. */
    byte[] keyBytes() {
        return keyBytes;
    }

    /**
     * Notes that the key served a value. Readers that keep a key for its whole life (a lease, without asking the
     * key ring per value) call this, so the key ring still knows the key is in use and refreshes it ahead of its
     * expiry. A volatile read per call once set, so it costs next to nothing on the read path.
     */
    public void markUsed() {
        if (!usedSinceAsked) {
            usedSinceAsked = true;
        }
    }

    /** Whether the key served a value since the last call of this method (the key ring's refresher asks). */
    public boolean takeUsed() {
        boolean used = usedSinceAsked;
        if (used) {
            usedSinceAsked = false;
        }
        return used;
    }

    /** Best effort: overwrites this object's copy of the key (JCE may hold more copies; see SECURITY docs). */
    public void destroy() {
        destroyed = true;
        for (KeyMaterial m : derived.values()) {
            m.forget();
        }
        derived.clear();
        Arrays.fill(keyBytes, (byte) 0);
    }

    /** Whether {@link #destroy()} was called: such a key must not encrypt or decrypt anything. */
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "DataKey[" + tableIdentity + " v" + version + "]";
    }
}
