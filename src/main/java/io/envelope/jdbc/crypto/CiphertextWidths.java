package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;

import java.math.BigInteger;

/**
 * How wide an encrypted column must be: the stored length of a value, from the layout of docs/format.md, so that a
 * {@code varchar(n)} or {@code varbinary(n)} can be sized from the column's declared plaintext type (README, "Column
 * widths"; {@code doctor} checks every configured column with it).
 *
 * <ul>
 *   <li>encoded plaintext {@code n}: 8 bytes for every integer, float, date and time type, 1 for boolean, 16 for
 *       uuid, 4 + the two's complement of the unscaled value for decimal, the UTF-8 bytes of text, the bytes of
 *       bytes;</li>
 *   <li>with {@code pad: N}: {@code N·⌈(n+1)/N⌉} (the padding always adds at least one byte);</li>
 *   <li>randomized: {@code 51 + n} bytes (7 header, 16 salt, 12 nonce, the ciphertext, 16 tag);</li>
 *   <li>deterministic: {@code 71 + 16·⌊n/16⌋} bytes (7 header, 16 IV, CBC with PKCS#7 — always 1 to 16 bytes
 *       of padding —, 32 tag);</li>
 *   <li>in a character column, unpadded base64: {@code ⌈4·bytes/3⌉} characters.</li>
 * </ul>
 */
public final class CiphertextWidths {

    /** No upper bound: text and bytes of any length, decimal without a declared precision. */
    public static final long UNBOUNDED = -1;

    private CiphertextWidths() {
    }

    /** The encoded plaintext's length after length padding ({@code pad} 0: none). */
    public static long padded(long encodedLength, int pad) {
        return pad > 0 ? (long) pad * ((encodedLength + 1 + pad - 1) / pad) : encodedLength;
    }

    /** The stored length in bytes of a value whose encoded plaintext is {@code encodedLength} bytes. */
    public static long storedBytes(EncryptionMode mode, int pad, long encodedLength) {
        long n = padded(encodedLength, pad);
        return mode == EncryptionMode.DETERMINISTIC
                ? ValueFormat.DETERMINISTIC_MIN + (long) ValueFormat.AES_BLOCK * (n / ValueFormat.AES_BLOCK)
                : ValueFormat.RANDOMIZED_MIN + n;
    }

    /** Characters of unpadded base64 for {@code bytes} bytes (a character column stores values so). */
    public static long base64Chars(long bytes) {
        return (4 * bytes + 2) / 3;
    }

    /** The bytes that {@code chars} characters of unpadded base64 hold. */
    public static long bytesInBase64Chars(long chars) {
        return 3 * chars / 4;
    }

    /**
     * The longest encoded plaintext of the column's declared type, or {@link #UNBOUNDED} for text, bytes and a
     * decimal without {@code precision}.
     */
    public static long maxEncodedLength(ColumnConfig column) {
        PlaintextType type = column.type() == null ? PlaintextType.TEXT : column.type();
        return switch (type) {
            case TEXT, BYTES -> UNBOUNDED;
            case SMALLINT, INT, BIGINT, DOUBLE, REAL, DATE, TIME, TIMESTAMP, TIMESTAMPTZ -> 8;
            case BOOLEAN -> 1;
            case UUID -> 16;
            case DECIMAL -> column.precision() == null ? UNBOUNDED : 4 + maxUnscaledBytes(column.precision());
        };
    }

    /**
     * The longest stored value of the column in bytes (before base64), or {@link #UNBOUNDED} when its declared type
     * has no bounded length.
     */
    public static long maxStoredBytes(ColumnConfig column) {
        long n = maxEncodedLength(column);
        return n == UNBOUNDED ? UNBOUNDED : storedBytes(mode(column), column.pad(), n);
    }

    /** The shortest stored value of the column in bytes (an empty text, or the type's shortest encoding). */
    public static long minStoredBytes(ColumnConfig column) {
        PlaintextType type = column.type() == null ? PlaintextType.TEXT : column.type();
        long n = switch (type) {
            case TEXT, BYTES -> 0;
            case DECIMAL -> 5;   // the scale and one byte of unscaled value
            default -> maxEncodedLength(column);
        };
        return storedBytes(mode(column), column.pad(), n);
    }

    /**
     * The longest encoded plaintext whose stored value fits in {@code capacityBytes}, or -1 when not even an empty
     * one fits. Stored lengths grow with the plaintext, so this is the inverse of {@link #storedBytes}.
     */
    public static long longestEncodedThatFits(EncryptionMode mode, int pad, long capacityBytes) {
        if (storedBytes(mode, pad, 0) > capacityBytes) {
            return -1;
        }
        long low = 0;                 // fits
        long high = capacityBytes;    // a plaintext as long as the capacity never fits (every value adds a header)
        while (high - low > 1) {
            long mid = low + (high - low) / 2;
            if (storedBytes(mode, pad, mid) <= capacityBytes) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Bytes of the longest unscaled value of {@code precision} digits, either sign, as minimal two's complement. */
    static int maxUnscaledBytes(int precision) {
        BigInteger largest = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
        return Math.max(largest.toByteArray().length, largest.negate().toByteArray().length);
    }

    private static EncryptionMode mode(ColumnConfig column) {
        return column.mode() == null ? EncryptionMode.RANDOMIZED : column.mode();
    }
}
