package io.envelope.jdbc.crypto;

import javax.crypto.Mac;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The MAC that authenticates a table's key-row state (versions, statuses, wrapped keys, sequence): HMAC-SHA-256 under
 * a key derived with HKDF from one of that table's data keys, with a label of its own so it can never collide with a
 * value sub-key. Only a holder of the data key, that is someone with KMS Decrypt, can make one. The message
 * encoding is the key ring's (see docs/format.md, "Key rows"); this class only keys and computes.
 */
public final class KeyRowsMac {

    /** HKDF label of the key-row MAC key. */
    static final String LABEL = "envelope-jdbc/v1/key-rows";
    public static final int MAC_BYTES = 32;

    private KeyRowsMac() {
    }

    /** HMAC-SHA-256(K_rows, message), K_rows = HKDF-Expand(PRK(key), LP(label) || LP(table identity), 32). */
    public static byte[] compute(DataKey key, byte[] message) throws GeneralSecurityException {
        if (key.isDestroyed()) {
            throw new GeneralSecurityException("the data key " + key + " was destroyed");
        }
        byte[] prk = Hkdf.extract(null, key.keyBytes());
        byte[] raw = Hkdf.expand(prk, KeyMaterial.concat(Hkdf.lengthPrefixed(Hkdf.utf8(LABEL)),
                Hkdf.lengthPrefixed(Hkdf.utf8(key.tableIdentity()))), 32);
        Arrays.fill(prk, (byte) 0);
        WipeableKey macKey = new WipeableKey(raw, "HmacSHA256");
        Arrays.fill(raw, (byte) 0);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            return mac.doFinal(message);
        } finally {
            macKey.destroy();
        }
    }

    /** Constant-time comparison of a stored MAC with the one {@link #compute} gives. */
    public static boolean verify(DataKey key, byte[] message, byte[] stored) throws GeneralSecurityException {
        return stored != null && MessageDigest.isEqual(compute(key, message), stored);
    }
}
