package io.envelope.jdbc.keys;

import java.util.List;

/**
 * A table's key rows as read at one moment (lowest version first), and whether their state MAC was verified
 * already, so a snapshot is verified once however often it is honoured.
 */
final class RowSnapshot {

    final String table;
    final List<KeyRow> rows;
    volatile boolean verified;

    RowSnapshot(String table, List<KeyRow> rows) {
        this.table = table;
        this.rows = List.copyOf(rows);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The sequence number the rows carry; -1 for rows without one (0.1.0 layout). */
    long seq() {
        Long seq = KeyRowStates.sequence(rows);
        return seq == null ? -1 : seq;
    }

    KeyRow version(int version) {
        return KeyTable.find(rows, version);
    }
}
