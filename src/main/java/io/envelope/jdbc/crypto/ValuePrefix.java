package io.envelope.jdbc.crypto;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The first bytes of a stored value — format version, mode and data key version (docs/format.md §1, bytes 0–5) —
 * for counting a column's values per key version in SQL, without reading the values: the database groups by the
 * prefix ({@code SUBSTRING(c FROM 1 FOR 6)} of a binary column, the first 8 characters of a base64 one, which are
 * exactly those 6 bytes) and this class reads the key version from each group's prefix.
 */
public final class ValuePrefix {

    /** Bytes 0–5: format version, mode, key version. */
    public static final int BYTES = ValueFormat.OFF_KEY_VERSION + 4;
    /** The base64 characters that hold exactly {@link #BYTES} bytes. */
    public static final int BASE64_CHARS = BYTES / 3 * 4;

    private ValuePrefix() {
    }

    /** Every possible first two bytes of a value in envelope format: each readable format version with each mode. */
    public static List<byte[]> leadingBytes() {
        List<byte[]> pairs = new ArrayList<>();
        for (int version = ValueFormat.OLDEST_READABLE_VERSION; version <= ValueFormat.CURRENT_VERSION; version++) {
            pairs.add(new byte[] {(byte) version, ValueFormat.MODE_RANDOMIZED});
            pairs.add(new byte[] {(byte) version, ValueFormat.MODE_DETERMINISTIC});
        }
        return pairs;
    }

    /**
     * The first two base64 characters of every value in envelope format (they hold the format version and the
     * high bits of the mode), so a character column's envelope values can be picked out with a cheap prefix test.
     */
    public static List<String> leadingBase64() {
        Set<String> prefixes = new LinkedHashSet<>();
        for (byte[] pair : leadingBytes()) {
            prefixes.add(Base64.getEncoder().encodeToString(pair).substring(0, 2));
        }
        return List.copyOf(prefixes);
    }

    /**
     * The key version a value's first {@link #BYTES} bytes name, or -1 when they are not the start of a value in
     * envelope format (an unknown format version or mode, a key version below 1, too short).
     */
    public static int keyVersion(byte[] prefix) {
        if (prefix == null || prefix.length < BYTES) {
            return -1;
        }
        int format = prefix[ValueFormat.OFF_VERSION] & 0xff;
        byte mode = prefix[ValueFormat.OFF_MODE];
        if (format < ValueFormat.OLDEST_READABLE_VERSION || format > ValueFormat.CURRENT_VERSION
                || (mode != ValueFormat.MODE_RANDOMIZED && mode != ValueFormat.MODE_DETERMINISTIC)) {
            return -1;
        }
        int o = ValueFormat.OFF_KEY_VERSION;
        int version = ((prefix[o] & 0xff) << 24) | ((prefix[o + 1] & 0xff) << 16) | ((prefix[o + 2] & 0xff) << 8)
                | (prefix[o + 3] & 0xff);
        return version >= 1 ? version : -1;
    }

    /** {@link #keyVersion(byte[])} of a base64 column's first {@link #BASE64_CHARS} characters; -1 if not base64. */
    public static int keyVersion(String base64Prefix) {
        if (base64Prefix == null || base64Prefix.length() < BASE64_CHARS) {
            return -1;
        }
        try {
            return keyVersion(Base64.getDecoder().decode(base64Prefix.substring(0, BASE64_CHARS)));
        } catch (IllegalArgumentException notBase64) {
            return -1;
        }
    }
}
