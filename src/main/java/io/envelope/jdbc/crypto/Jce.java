package io.envelope.jdbc.crypto;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import java.security.GeneralSecurityException;

/** Per-thread JCE instances: {@code getInstance} is slow and the instances are not thread-safe. */
final class Jce {

    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding"));
    private static final ThreadLocal<Cipher> CBC = ThreadLocal.withInitial(() -> cipher("AES/CBC/PKCS5Padding"));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(Jce::newHmac);

    private Jce() {
    }

    static Cipher gcm() {
        return GCM.get();
    }

    static Cipher cbc() {
        return CBC.get();
    }

    static Mac hmac() {
        return HMAC.get();
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
