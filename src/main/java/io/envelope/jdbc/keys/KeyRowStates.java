package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.crypto.KeyRowsMac;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Authenticated key rows (docs/format.md, "Key rows"). After every change of a table's key rows, each row carries
 * the table's new sequence number and its own MAC: HMAC-SHA-256, under a key derived from the data key of the
 * table's newest version, over the table, the sequence number, the set of versions the table has, and the row's
 * version, status, KMS provider, KMS key, wrapped key and creation time. Only a holder of KMS Decrypt on that data
 * key can write a valid row. A row changed outside envelope-jdbc fails its MAC; a row deleted changes the version
 * set, so every other row fails; an older copy of a row put back carries a lower sequence number than the others
 * and is stale. Such rows are refused: never honoured as written; the rest of the table is.
 *
 * <p>The data key of the newest version is authentic whatever its row says: KMS binds the wrapped key to its table
 * and version (the encryption context). Stateless: the key ring and {@code doctor} both call {@link #verify}.
 */
public final class KeyRowStates {

    static final String MESSAGE_LABEL = "envelope-jdbc/key-rows/v1";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    /** The result of verifying a table's rows: the sequence number of the valid rows, and each refused row's reason. */
    public record Verdict(long seq, Map<Integer, String> refused) {
        public boolean ok() {
            return refused.isEmpty();
        }

        /** One line naming every refused version and why, or null when none is refused. */
        public String problem() {
            if (refused.isEmpty()) {
                return null;
            }
            StringBuilder text = new StringBuilder();
            refused.forEach((version, reason) -> text.append(text.length() == 0 ? "" : "; ").append("key version ")
                    .append(version).append(": ").append(reason));
            return text.toString();
        }
    }

    private KeyRowStates() {
    }

    /** The row of the highest version, whose data key MACs the rows; null for no rows. */
    public static KeyRow newest(List<KeyRow> rows) {
        return rows.stream().max(Comparator.comparingInt(KeyRow::keyVersion)).orElse(null);
    }

    /** The highest sequence number the rows carry, or null when none carries one (0.1.0 rows). */
    static Long sequence(List<KeyRow> rows) {
        return rows.stream().map(KeyRow::stateSeq).filter(Objects::nonNull).max(Long::compare).orElse(null);
    }

    /** The rows with {@code seq} and each one's MAC under {@code newestKey}, lowest version first. */
    static List<KeyRow> seal(String table, long seq, List<KeyRow> rows, DataKey newestKey) throws SQLException {
        List<KeyRow> sorted = sorted(rows);
        KeyRow newest = newest(sorted);
        if (newest == null || newest.keyVersion() != newestKey.version() || !table.equals(newestKey.tableIdentity())) {
            throw new IllegalArgumentException("the rows of " + table + " are MACed under the newest version's key");
        }
        List<Integer> versions = versions(sorted);
        List<KeyRow> sealed = new ArrayList<>(sorted.size());
        try {
            for (KeyRow row : sorted) {
                sealed.add(row.withState(seq, KeyRowsMac.compute(newestKey, message(table, seq, versions, row))));
            }
        } catch (GeneralSecurityException e) {
            throw EnvelopeErrors.key("authenticating the key rows of table " + table + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
        return sealed;
    }

    /**
     * Verifies a table's authenticated rows with {@code newestKey} (the unwrapped data key of {@link #newest}):
     * which rows are refused, and why. Names versions and columns, never key material.
     */
    public static Verdict verify(String table, List<KeyRow> rows, DataKey newestKey) {
        Map<Integer, String> refused = new TreeMap<>();
        List<Integer> versions = versions(rows);
        long seq = -1;
        for (KeyRow row : sorted(rows)) {
            if (row.stateSeq() == null || row.stateMac() == null) {
                refused.put(row.keyVersion(), "no MAC (written by envelope-jdbc 0.1.0 into an upgraded key table, or"
                        + " the MAC was removed)");
                continue;
            }
            try {
                if (!KeyRowsMac.verify(newestKey, message(table, row.stateSeq(), versions, row), row.stateMac())) {
                    refused.put(row.keyVersion(), "the MAC does not verify: its status, key, KMS key or creation time"
                            + " was changed, or a key version was added or removed, outside envelope-jdbc");
                    continue;
                }
            } catch (GeneralSecurityException e) {
                refused.put(row.keyVersion(), "the MAC cannot be computed (" + e.getClass().getSimpleName() + ")");
                continue;
            }
            seq = Math.max(seq, row.stateSeq());
        }
        for (KeyRow row : rows) {
            if (!refused.containsKey(row.keyVersion()) && row.stateSeq() < seq) {
                refused.put(row.keyVersion(), "stale: it carries sequence " + row.stateSeq() + " where the table is at "
                        + seq + " (an older copy of the row was put back)");
            }
        }
        return new Verdict(seq, refused);
    }

    /**
     * The authenticated message of one row: LP(label) || LP(table) || seq (8 bytes) || number of versions (4 bytes)
     * || each version of the table, ascending (4 bytes each) || the row's version (4 bytes) || LP(status) ||
     * LP(kms_provider) || LP(kms_key_id) || LP(encrypted_key) || LP(created_at as uuuu-MM-ddTHH:mm:ss.SSSSSS).
     * LP(x) is x's 4-byte big-endian length, then x (UTF-8 for text).
     */
    static byte[] message(String table, long seq, List<Integer> versions, KeyRow row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        lp(out, utf8(MESSAGE_LABEL));
        lp(out, utf8(table));
        ByteBuffer head = ByteBuffer.allocate(12 + 4 * versions.size() + 4).putLong(seq).putInt(versions.size());
        versions.forEach(head::putInt);
        head.putInt(row.keyVersion());
        out.writeBytes(head.array());
        lp(out, utf8(row.status().dbValue()));
        lp(out, utf8(row.kmsProvider()));
        lp(out, utf8(row.kmsKeyId()));
        lp(out, row.encryptedKey());
        lp(out, utf8(time(row.createdAt())));
        return out.toByteArray();
    }

    private static List<Integer> versions(List<KeyRow> rows) {
        return rows.stream().map(KeyRow::keyVersion).sorted().toList();
    }

    static String time(LocalDateTime createdAt) {
        return createdAt == null ? "" : TIME.format(KeyRow.storedTime(createdAt));
    }

    private static List<KeyRow> sorted(List<KeyRow> rows) {
        return rows.stream().sorted(Comparator.comparingInt(KeyRow::keyVersion)).toList();
    }

    private static void lp(ByteArrayOutputStream out, byte[] bytes) {
        byte[] b = bytes == null ? new byte[0] : bytes;
        out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
