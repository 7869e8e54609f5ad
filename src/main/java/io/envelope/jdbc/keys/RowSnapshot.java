package io.envelope.jdbc.keys;

import java.util.Comparator;
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
    /**
     * The active and matching rows, worked out once per snapshot and verdict rather than for every value written or
     * looked up; {@code refused} is the map they were worked out against (a new verdict replaces the map).
     */
    private volatile Selections selections;

    /** Rows selected from {@link #rows} under one {@link #refused} map. */
    private record Selections(Map<Integer, String> refused, List<KeyRow> active, List<KeyRow> matching) {
    }

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

    /** The active rows not refused, lowest version first. */
    List<KeyRow> active() {
        return selections().active();
    }

    /** The rows lookups match: non-retired rows and every refused row, lowest version first. */
    List<KeyRow> matching() {
        return selections().matching();
    }

    private Selections selections() {
        Map<Integer, String> now = refused;
        Selections s = selections;
        if (s == null || s.refused() != now) {
            Comparator<KeyRow> byVersion = (a, b) -> Integer.compare(a.keyVersion(), b.keyVersion());
            s = new Selections(now,
                    rows.stream().filter(r -> r.status() == KeyStatus.ACTIVE && !now.containsKey(r.keyVersion()))
                            .sorted(byVersion).toList(),
                    rows.stream().filter(r -> r.status() != KeyStatus.RETIRED || now.containsKey(r.keyVersion()))
                            .sorted(byVersion).toList());
            selections = s;
        }
        return s;
    }

    KeyRow version(int version) {
        return KeyTable.find(rows, version);
    }
}
