package io.envelope.jdbc.crypto;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.security.auth.Destroyable;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;

/**
 * Per-thread JCE instances: {@code getInstance} is slow and the instances are not thread-safe. One thread-local
 * holds them all, so a value costs one thread-local lookup however many engines it uses.
 */
final class Jce {

    private static final ThreadLocal<Engines> ENGINES = ThreadLocal.withInitial(Engines::new);

    private Jce() {
    }

    /** This thread's engines. */
    static Engines engines() {
        return ENGINES.get();
    }

    /** One thread's engines; never shared between threads. */
    static final class Engines {
        final Cipher gcm = cipher("AES/GCM/NoPadding");
        final Cipher cbc = cipher("AES/CBC/PKCS5Padding");
        private final KeyedMac siv = new KeyedMac();
        private final KeyedMac tag = new KeyedMac();
        private byte[] aad = new byte[128];
        /** The place whose bytes follow the header in {@link #aad} now, for the header length {@link #aadHeader}. */
        private byte[] aadPlace;
        private int aadHeader;

        /** The HMAC for deterministic synthetic IVs, initialised with {@code key}. */
        Mac sivMac(Key key) throws InvalidKeyException {
            return siv.with(key);
        }

        /** The HMAC for deterministic tags, initialised with {@code key}. */
        Mac tagMac(Key key) throws InvalidKeyException {
            return tag.with(key);
        }

        /**
         * Gives {@code cipher} the AAD {@code header} then {@code place} in one call, through this thread's scratch
         * array: the JCE buffers AAD in a stream sized by the first call, so a second call grows and copies it for
         * every value. (The AAD is public data: the stored header and the column's place.)
         */
        @SuppressWarnings("ReferenceEquality") // by identity on purpose: a column cipher's own place array
        void updateAad(Cipher cipher, byte[] header, int headerLength, byte[] place) {
            int length = headerLength + place.length;
            if (place != aadPlace || headerLength != aadHeader) {
                // another column than this thread's last one: its place goes in once, not with every value
                if (aad.length < length) {
                    aad = new byte[length];
                }
                System.arraycopy(place, 0, aad, headerLength, place.length);
                aadPlace = place;
                aadHeader = headerLength;
            }
            System.arraycopy(header, 0, aad, 0, headerLength);
            cipher.updateAAD(aad, 0, length);
        }

        @Override
        public String toString() {
            return "Jce.Engines[<keys hidden>]";
        }
    }

    /**
     * An HMAC that stays initialised with the key it was last given, so a thread that keeps using one column's
     * sub-key (the steady state) skips re-initialising it for every value. A destroyed key is always given to init
     * again, which refuses it, as it would without this.
     */
    private static final class KeyedMac {
        private final Mac mac = newHmac();
        private Key key;

        @SuppressWarnings("ReferenceEquality") // by identity on purpose: the very key object it was initialised with
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
