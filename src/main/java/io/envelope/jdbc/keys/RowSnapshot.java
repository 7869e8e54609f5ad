package io.envelope.jdbc.keys;

import java.util.List;
import java.util.Map;

/**
 * A table's key rows as read at one moment (lowest version first), and whether their state MAC was verified
 * already, so a snapshot is verified once however often it is honoured.
 */
final class RowSnapshot {

    final String table;
    final List<KeyRow> rows;
    volatile boolean verified;
    /** After verification: the versions refused (failed MAC, stale, no MAC), with why. */
    volatile Map<Integer, String> refused = Map.of();
    private volatile long verifiedSeq = -1;

    RowSnapshot(String table, List<KeyRow> rows) {
        this.table = table;
        this.rows = List.copyOf(rows);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The sequence number the rows carry; -1 for rows without one (0.1.0 layout). */
    long seq() {
        if (verified) {
            return verifiedSeq;
        }
        Long seq = KeyRowStates.sequence(rows);
        return seq == null ? -1 : seq;
    }

    void verified(KeyRowStates.Verdict verdict) {
        verifiedSeq = verdict == null ? -1 : verdict.seq();
        refused = verdict == null ? Map.of() : Map.copyOf(verdict.refused());
        verified = true;
    }

    boolean refused(KeyRow row) {
        return refused.containsKey(row.keyVersion());
    }

    KeyRow version(int version) {
        return KeyTable.find(rows, version);
    }
}
