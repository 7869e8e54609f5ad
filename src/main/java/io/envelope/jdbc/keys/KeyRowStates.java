package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeException;
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

/**
 * Authenticated key rows (docs/format.md, "Key rows"). A table's key-row state — every version with its status,
 * KMS provider, KMS key, wrapped key and creation time, and a sequence number that grows with every change — is
 * MACed with HMAC-SHA-256 under a key derived from the data key of the table's newest version. Every row of the
 * table carries the same sequence number and MAC, so a row changed, added, removed or swapped for an older copy
 * on its own fails verification, and only a holder of KMS Decrypt on the newest data key can write a valid state.
 *
 * <p>Stateless: the key ring and {@code doctor} both call {@link #problem}.
 */
public final class KeyRowStates {

    static final String MESSAGE_LABEL = "envelope-jdbc/key-rows/v1";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    private KeyRowStates() {
    }

    /** The row of the highest version, whose data key MACs the state; null for no rows. */
    public static KeyRow newest(List<KeyRow> rows) {
        return rows.stream().max(Comparator.comparingInt(KeyRow::keyVersion)).orElse(null);
    }

    /** The sequence number the rows share, or null when they carry none (0.1.0 rows). */
    static Long sequence(List<KeyRow> rows) {
        return rows.isEmpty() ? null : rows.get(0).stateSeq();
    }

    /** The rows with {@code seq} and the MAC of their state under {@code newestKey}, lowest version first. */
    static List<KeyRow> seal(String table, long seq, List<KeyRow> rows, DataKey newestKey) throws SQLException {
        List<KeyRow> sorted = sorted(rows);
        KeyRow newest = newest(sorted);
        if (newest == null || newest.keyVersion() != newestKey.version() || !table.equals(newestKey.tableIdentity())) {
            throw new IllegalArgumentException("the state of " + table + " is MACed under its newest version's key");
        }
        byte[] mac;
        try {
            mac = KeyRowsMac.compute(newestKey, message(table, seq, sorted));
        } catch (GeneralSecurityException e) {
            throw EnvelopeException.key("authenticating the key rows of table " + table + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
        List<KeyRow> sealed = new ArrayList<>(sorted.size());
        for (KeyRow row : sorted) {
            sealed.add(row.withState(seq, mac.clone()));
        }
        return sealed;
    }

    /**
     * What is wrong with a table's authenticated rows, or null when they are one valid state MACed under
     * {@code newestKey} (the unwrapped data key of {@link #newest}). Names versions and columns, never key material.
     */
    public static String problem(String table, List<KeyRow> rows, DataKey newestKey) {
        if (rows.isEmpty()) {
            return null;
        }
        List<KeyRow> sorted = sorted(rows);
        KeyRow first = sorted.get(0);
        for (KeyRow row : sorted) {
            if (row.stateSeq() == null || row.stateMac() == null) {
                return "key version " + row.keyVersion() + " carries no state MAC (written by envelope-jdbc 0.1.0"
                        + " after the key table was upgraded, or the MAC was removed)";
            }
            if (!row.stateSeq().equals(first.stateSeq()) || !java.util.Arrays.equals(row.stateMac(), first.stateMac())) {
                return "key versions " + first.keyVersion() + " and " + row.keyVersion() + " carry different states"
                        + " (sequence " + first.stateSeq() + " and " + row.stateSeq() + "): a row was changed, added"
                        + " or restored on its own";
            }
        }
        try {
            if (!KeyRowsMac.verify(newestKey, message(table, first.stateSeq(), sorted), first.stateMac())) {
                return "the state MAC does not verify under the data key of version " + newestKey.version()
                        + ": a status, key, KMS key, creation time or version was changed outside envelope-jdbc";
            }
        } catch (GeneralSecurityException e) {
            return "the state MAC cannot be computed (" + e.getClass().getSimpleName() + ")";
        }
        return null;
    }

    /**
     * The authenticated message: LP(label) || LP(table) || seq (8 bytes) || row count (4 bytes) || per row, lowest
     * version first: version (4 bytes) || LP(status) || LP(kms_provider) || LP(kms_key_id) || LP(encrypted_key) ||
     * LP(created_at as uuuu-MM-ddTHH:mm:ss.SSSSSS). LP(x) is x's 4-byte big-endian length, then x (UTF-8 for text).
     */
    static byte[] message(String table, long seq, List<KeyRow> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        lp(out, utf8(MESSAGE_LABEL));
        lp(out, utf8(table));
        out.writeBytes(ByteBuffer.allocate(12).putLong(seq).putInt(rows.size()).array());
        for (KeyRow row : sorted(rows)) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(row.keyVersion()).array());
            lp(out, utf8(row.status().dbValue()));
            lp(out, utf8(row.kmsProvider()));
            lp(out, utf8(row.kmsKeyId()));
            lp(out, row.encryptedKey());
            lp(out, utf8(time(row.createdAt())));
        }
        return out.toByteArray();
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
