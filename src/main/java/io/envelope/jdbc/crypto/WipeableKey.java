package io.envelope.jdbc.crypto;

import javax.crypto.SecretKey;
import java.util.Arrays;

/**
 * A raw secret key whose bytes can be overwritten. The JDK's {@code SecretKeySpec} cannot be destroyed (its
 * {@code destroy()} throws), so the sub-keys the crypto package derives use this instead. JCE engines copy the
 * bytes into their own state when a Cipher or Mac is initialised with it; those copies are outside our reach (see
 * SECURITY.md). After {@link #destroy()}, {@link #getEncoded()} fails, so a destroyed key can never be used.
 */
public final class WipeableKey implements SecretKey {

    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final byte[] key;
    private volatile boolean destroyed;

    /** Copies {@code raw}; the caller wipes its own array. */
    public WipeableKey(byte[] raw, String algorithm) {
        this.key = raw.clone();
        this.algorithm = algorithm;
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("envelope-jdbc: this key was destroyed");
        }
        return key.clone();
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "WipeableKey[" + algorithm + ", <hidden>]";
    }
}
