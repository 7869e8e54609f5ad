package io.envelope.jdbc.crypto;

/**
 * The byte layout of a stored value, format version 1 (docs/format.md is the byte-by-byte reference).
 *
 * <pre>
 * offset size  field
 * 0      1     format version (0x01)
 * 1      1     mode: 0x01 randomized, 0x02 deterministic
 * 2      4     data key version, unsigned big-endian, 1 .. 2^31-1
 * 6      1     plaintext type family (low 7 bits) | 0x80 when the plaintext is padded
 * -- randomized (AES-256-GCM) --
 * 7      16    salt: selects this writer's HKDF sub-key
 * 23     12    nonce: 96-bit big-endian counter under that sub-key
 * 35     n     ciphertext (n = length of the encoded, padded plaintext)
 * 35+n   16    GCM tag
 * -- deterministic (AES-256-CBC + HMAC-SHA-256, encrypt-then-MAC) --
 * 7      16    synthetic IV = HMAC-SHA-256(iv key, AAD || plaintext)[0..16)
 * 23     16k   ciphertext, AES-256-CBC with PKCS#7 padding (k >= 1)
 * 23+16k 32    tag = HMAC-SHA-256(mac key, AAD || IV || ciphertext)
 * </pre>
 *
 * AAD = header || len(table identity) || table identity || len(column) || column (UTF-8, 4-byte big-endian
 * lengths), where the header is bytes [0, 7) for deterministic values and bytes [0, 35) (the fixed header,
 * salt and nonce) for randomized values.
 */
public final class ValueFormat {

    /** The format version this build writes. */
    public static final int CURRENT_VERSION = 1;
    /** The oldest format version this build can read. */
    public static final int OLDEST_READABLE_VERSION = 1;

    static final int OFF_VERSION = 0;
    static final int OFF_MODE = 1;
    static final int OFF_KEY_VERSION = 2;
    static final int OFF_FAMILY = 6;
    static final int FIXED_HEADER = 7;

    static final byte MODE_RANDOMIZED = 0x01;
    static final byte MODE_DETERMINISTIC = 0x02;

    static final int PADDED_FLAG = 0x80;

    static final int SALT_BYTES = 16;
    static final int NONCE_BYTES = 12;
    static final int GCM_TAG_BYTES = 16;
    static final int RANDOMIZED_HEADER = FIXED_HEADER + SALT_BYTES + NONCE_BYTES; // 35
    static final int RANDOMIZED_MIN = RANDOMIZED_HEADER + GCM_TAG_BYTES;          // 51

    static final int IV_BYTES = 16;
    static final int AES_BLOCK = 16;
    static final int HMAC_TAG_BYTES = 32;
    static final int DETERMINISTIC_MIN = FIXED_HEADER + IV_BYTES + AES_BLOCK + HMAC_TAG_BYTES; // 71

    /** Re-salt (new sub-key) after this many values under one sub-key. */
    static final long VALUES_PER_SUBKEY = 1L << 32;

    private ValueFormat() {
    }

    static int keyVersion(byte[] v) {
        return ((v[OFF_KEY_VERSION] & 0xff) << 24) | ((v[OFF_KEY_VERSION + 1] & 0xff) << 16)
                | ((v[OFF_KEY_VERSION + 2] & 0xff) << 8) | (v[OFF_KEY_VERSION + 3] & 0xff);
    }

    static void putInt(byte[] b, int off, int value) {
        b[off] = (byte) (value >>> 24);
        b[off + 1] = (byte) (value >>> 16);
        b[off + 2] = (byte) (value >>> 8);
        b[off + 3] = (byte) value;
    }

    /**
     * Whether the bytes are a well-formed value of a format version this build knows: version, mode, key
     * version, family and a length that fits the mode. Says nothing about authenticity.
     */
    static boolean wellFormed(byte[] v) {
        if (v == null || v.length < FIXED_HEADER) {
            return false;
        }
        if (v[OFF_VERSION] != CURRENT_VERSION) {
            return false;
        }
        if (keyVersion(v) <= 0) {
            return false;
        }
        if (TypeFamily.fromCode(v[OFF_FAMILY] & ~PADDED_FLAG & 0xff) == null) {
            return false;
        }
        switch (v[OFF_MODE]) {
            case MODE_RANDOMIZED:
                return v.length >= RANDOMIZED_MIN;
            case MODE_DETERMINISTIC:
                return v.length >= DETERMINISTIC_MIN
                        && (v.length - FIXED_HEADER - IV_BYTES - HMAC_TAG_BYTES) % AES_BLOCK == 0;
            default:
                return false;
        }
    }
}
