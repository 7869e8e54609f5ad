package io.envelope.jdbc.kms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a wrapped data key belongs (see docs/format.md, Keys): its table identity and key version. Passed as the KMS
 * encryption context ({@code aws-kms}) or, encoded unambiguously, as the wrapping AAD ({@code local}), so a
 * wrapped key copied to another table's or version's row fails to unwrap.
 */
public record EncryptionContext(String tableIdentity, int keyVersion) {

    public static final String TABLE_KEY = "envelope:table";
    public static final String VERSION_KEY = "envelope:version";

    /** The pairs as KMS takes them, in a stable order. */
    public Map<String, String> asMap() {
        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put(TABLE_KEY, tableIdentity);
        pairs.put(VERSION_KEY, Integer.toString(keyVersion));
        return pairs;
    }

    /**
     * The pairs as bytes for use as AAD: for each pair in {@link #asMap()} order, the key and then the value,
     * each as a 4-byte big-endian length followed by its UTF-8 bytes. Length prefixes make the encoding
     * unambiguous (no two contexts share an encoding).
     */
    public byte[] asAad() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> pair : asMap().entrySet()) {
            writeLengthPrefixed(out, pair.getKey());
            writeLengthPrefixed(out, pair.getValue());
        }
        return out.toByteArray();
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(bytes, 0, n);
    }
}
