package io.envelope.jdbc.crypto;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.security.auth.Destroyable;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;

/** Per-thread JCE instances: {@code getInstance} is slow and the instances are not thread-safe. */
final class Jce {

    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding"));
    private static final ThreadLocal<Cipher> CBC = ThreadLocal.withInitial(() -> cipher("AES/CBC/PKCS5Padding"));
    private static final ThreadLocal<KeyedMac> SIV_MAC = ThreadLocal.withInitial(KeyedMac::new);
    private static final ThreadLocal<KeyedMac> TAG_MAC = ThreadLocal.withInitial(KeyedMac::new);

    /**
     * A per-thread HMAC that stays initialised with the key it was last given, so a thread that keeps using one
     * column's sub-key (the steady state) skips re-initialising it for every value. A destroyed key is always
     * given to init again, which refuses it, as it would without this.
     */
    private static final class KeyedMac {
        private final Mac mac = newHmac();
        private Key key;

        Mac with(Key k) throws InvalidKeyException {
            if (k != key || (k instanceof Destroyable d && d.isDestroyed())) {
                key = null;
                mac.init(k);
                key = k;
            } else {
                mac.reset(); // nothing left over from a use that ended early
            }
            return mac;
        }
    }

    private Jce() {
    }

    static Cipher gcm() {
        return GCM.get();
    }

    static Cipher cbc() {
        return CBC.get();
    }

    /** This thread's HMAC for deterministic synthetic IVs, initialised with {@code key}. */
    static Mac sivMac(Key key) throws InvalidKeyException {
        return SIV_MAC.get().with(key);
    }

    /** This thread's HMAC for deterministic tags, initialised with {@code key}. */
    static Mac tagMac(Key key) throws InvalidKeyException {
        return TAG_MAC.get().with(key);
    }

    private static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JCE lacks " + transformation, e);
        }
    }

    private static Mac newHmac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JCE lacks HmacSHA256", e);
        }
    }
}
