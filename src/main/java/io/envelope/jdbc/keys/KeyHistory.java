package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * What this process has seen of one table's key rows, so that it never moves backwards whatever the key table says
 * later (no external state is needed for this, and none survives a restart; see SECURITY.md): the newest verified
 * state (an older one read later — a stale snapshot or a replayed copy — is ignored in its favour), the versions
 * seen retired (never honoured as active or retiring again), and the highest randomized write version used.
 */
final class KeyHistory {

    private final String keyTable;
    private final String table;
    private RowSnapshot newest;
    private final Set<Integer> retired = new HashSet<>();
    private int randomizedHighWater;

    KeyHistory(String keyTable, String table) {
        this.keyTable = keyTable;
        this.table = table;
    }

    /**
     * The state to honour after reading {@code read} (already verified when the key table is authenticated):
     * {@code read} itself, or the newer state seen before. A version seen retired that is not retired in a newer
     * state is refused and audited.
     */
    synchronized RowSnapshot honour(RowSnapshot read) throws SQLException {
        if (newest != null && read.seq() < newest.seq()) {
            KeyAudit.olderStateIgnored(keyTable, table, newest.seq(), read.seq());
            return newest;
        }
        for (KeyRow row : read.rows) {
            if (!read.refused(row) && retired.contains(row.keyVersion()) && row.status() != KeyStatus.RETIRED) {
                String reason = "key version " + row.keyVersion() + " was retired and is now " + row.status().dbValue();
                KeyAudit.rowsRefused(keyTable, table, reason);
                throw EnvelopeErrors.key("audit: key table " + keyTable + ": table " + table + " " + reason
                        + "; a retired version is never used for writing or matching again, so this is refused"
                        + " (restore the key rows from your key export, keys import, if they were tampered with)");
            }
        }
        for (KeyRow row : read.rows) {
            if (!read.refused(row) && row.status() == KeyStatus.RETIRED) {
                retired.add(row.keyVersion());
            }
        }
        newest = read;
        return read;
    }

    /** Refuses a randomized write version below one already used; records it otherwise. */
    synchronized void randomizedWrite(int version) throws SQLException {
        if (version < randomizedHighWater) {
            KeyAudit.versionWentBackwards(keyTable, table, version, randomizedHighWater);
            throw EnvelopeErrors.key("audit: key table " + keyTable + ": the highest active key version of table "
                    + table + " is now " + version + ", but this process already wrote randomized values under"
                    + " version " + randomizedHighWater + "; a write version never moves backwards, so the write is"
                    + " refused (was version " + randomizedHighWater + " set back from active?)");
        }
        randomizedHighWater = version;
    }
}
