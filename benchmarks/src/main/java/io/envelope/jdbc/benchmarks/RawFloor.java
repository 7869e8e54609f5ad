package io.envelope.jdbc.benchmarks;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The floor the column cipher is measured against: the JCE primitives of each mode with cached instances and
 * nothing else, over values laid out as an application doing its own encryption would store them. The AAD is as
 * long as the stored format's (its header and the length-prefixed table and column), since the format
 * authenticates those bytes with every value and that work belongs to the floor, not to the wrapper.
 *
 * <ul>
 *   <li>randomized: AES-256-GCM, stored as {@code nonce(12) || ciphertext || tag(16)};</li>
 *   <li>deterministic: AES-256-CBC with PKCS#5 padding and an HMAC-SHA-256 tag over the AAD, the IV and the
 *       ciphertext, stored as {@code iv(16) || ciphertext || tag(32)}.</li>
 * </ul>
 * One instance per thread (the JCE objects are not thread-safe).
 */
final class RawFloor {

    /** A randomized value's AAD: the 35-byte header, then LP("public.customers") and LP("ssn"). */
    private static final int GCM_AAD_BYTES = 35 + 4 + "public.customers".length() + 4 + "ssn".length();
    /** A deterministic value's authenticated prefix: the 7-byte header, then LP("public.customers") and LP("email"). */
    private static final int HMAC_AAD_BYTES = 7 + 4 + "public.customers".length() + 4 + "email".length();
    private static final int NONCE = 12;
    private static final int GCM_TAG_BITS = 128;
    private static final int IV = 16;
    private static final int HMAC_TAG = 32;

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec aesKey = new SecretKeySpec(randomBytes(32), "AES");
    private final SecretKeySpec macKey = new SecretKeySpec(randomBytes(32), "HmacSHA256");
    private final byte[] gcmAad = randomBytes(GCM_AAD_BYTES);
    private final byte[] hmacAad = randomBytes(HMAC_AAD_BYTES);
    private final Cipher gcm;
    private final Cipher cbc;
    private final Mac hmac;
    private final byte[] tag = new byte[HMAC_TAG];

    RawFloor() throws GeneralSecurityException {
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        cbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(macKey);
    }

    /** AES-256-GCM under a fresh random nonce. */
    byte[] gcmSeal(byte[] plaintext) throws GeneralSecurityException {
        byte[] out = new byte[NONCE + plaintext.length + GCM_TAG_BITS / 8];
        random.nextBytes(out);
        gcm.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(GCM_TAG_BITS, out, 0, NONCE));
        gcm.updateAAD(gcmAad);
        gcm.doFinal(plaintext, 0, plaintext.length, out, NONCE);
        return out;
    }

    byte[] gcmOpen(byte[] sealed) throws GeneralSecurityException {
        gcm.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(GCM_TAG_BITS, sealed, 0, NONCE));
        gcm.updateAAD(gcmAad);
        return gcm.doFinal(sealed, NONCE, sealed.length - NONCE);
    }

    /** AES-256-CBC under a random IV, then the HMAC tag (the deterministic mode derives its IV instead). */
    byte[] cbcHmacSeal(byte[] plaintext) throws GeneralSecurityException {
        byte[] iv = randomBytes(IV);
        cbc.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
        byte[] ciphertext = cbc.doFinal(plaintext);
        byte[] out = new byte[IV + ciphertext.length + HMAC_TAG];
        System.arraycopy(iv, 0, out, 0, IV);
        System.arraycopy(ciphertext, 0, out, IV, ciphertext.length);
        hmac.update(hmacAad);
        hmac.update(out, 0, IV + ciphertext.length);
        hmac.doFinal(out, IV + ciphertext.length);
        return out;
    }

    /** Verifies the tag, then decrypts; an altered value is an exception. */
    byte[] cbcHmacOpen(byte[] sealed) throws GeneralSecurityException {
        int tagAt = sealed.length - HMAC_TAG;
        hmac.update(hmacAad);
        hmac.update(sealed, 0, tagAt);
        hmac.doFinal(tag, 0);
        int diff = 0;
        for (int i = 0; i < HMAC_TAG; i++) {
            diff |= tag[i] ^ sealed[tagAt + i];
        }
        if (diff != 0) {
            throw new GeneralSecurityException("tag mismatch");
        }
        cbc.init(Cipher.DECRYPT_MODE, aesKey, new IvParameterSpec(sealed, 0, IV));
        return cbc.doFinal(sealed, IV, tagAt - IV);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Override
    public String toString() {
        return "RawFloor[<keys hidden>]";
    }
}
