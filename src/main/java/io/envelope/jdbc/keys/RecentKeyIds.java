package io.envelope.jdbc.keys;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The cache keys ({@link DataKeyId}) of the key rows used most recently, found by row identity. Rows come from
 * cached snapshots, so the same row object is asked for on every value written; keeping its id by identity saves
 * hashing the wrapped key again each time. A small direct-mapped table: a miss only builds the id anew.
 */
final class RecentKeyIds {

    /** A power of two long. */
    private final AtomicReferenceArray<DataKeyId> ids = new AtomicReferenceArray<>(8);

    @SuppressWarnings("ReferenceEquality") // by identity on purpose: a row object seen before, not an equal one
    DataKeyId of(KeyRow row) {
        int slot = System.identityHashCode(row) & (ids.length() - 1);
        DataKeyId id = ids.get(slot);
        if (id == null || id.row != row) {
            id = DataKeyId.of(row);
            ids.set(slot, id);
        }
        return id;
    }
}
