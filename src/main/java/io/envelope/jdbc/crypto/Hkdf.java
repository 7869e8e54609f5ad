package io.envelope.jdbc.crypto;

import javax.crypto.Mac;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** HKDF-SHA-256 (RFC 5869) on the JCE's HmacSHA256, plus the unambiguous info encoding the format uses. */
final class Hkdf {

    static final int HASH_LEN = 32;
    private static final String HMAC = "HmacSHA256";

    private Hkdf() {
    }

    /** HKDF-Extract(salt, ikm); an empty or null salt means HashLen zero bytes (RFC 5869 §2.2). */
    static byte[] extract(byte[] salt, byte[] ikm) throws GeneralSecurityException {
        byte[] s = (salt == null || salt.length == 0) ? new byte[HASH_LEN] : salt;
        Mac mac = Mac.getInstance(HMAC);
        WipeableKey key = new WipeableKey(s, HMAC);
        try {
            mac.init(key);
            return mac.doFinal(ikm);
        } finally {
            key.destroy();
        }
    }

    /** HKDF-Expand(prk, info, length), length at most 255 * HashLen. */
    static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        if (length < 1 || length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("HKDF output length out of range");
        }
        Mac mac = Mac.getInstance(HMAC);
        WipeableKey key = new WipeableKey(prk, HMAC);
        mac.init(key);
        key.destroy();
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            t = mac.doFinal();
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    /** The concatenation of each part as a 4-byte big-endian length followed by its bytes. */
    static byte[] lengthPrefixed(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += 4 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
