package io.envelope.jdbc.crypto;

import java.util.Arrays;

/**
 * Length-hiding padding for {@code pad: N} (ISO/IEC 7816-4 style): one 0x80 byte, then zero bytes up to the
 * next multiple of N. Always adds at least one byte, so it is unambiguous for every plaintext.
 */
final class Padding {

    private Padding() {
    }

    static byte[] pad(byte[] plaintext, int bucket) {
        int len = (plaintext.length / bucket + 1) * bucket;
        byte[] out = new byte[len];
        System.arraycopy(plaintext, 0, out, 0, plaintext.length);
        out[plaintext.length] = (byte) 0x80;
        return out;
    }

    /** The unpadded plaintext, or null when the padding is malformed. */
    static byte[] unpad(byte[] padded) {
        int i = padded.length - 1;
        while (i >= 0 && padded[i] == 0) {
            i--;
        }
        if (i < 0 || padded[i] != (byte) 0x80) {
            return null;
        }
        return Arrays.copyOf(padded, i);
    }
}
