package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.kms.EncryptionContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The changes an operator makes to the key table (the command line): add a version, set a status, destroy a version,
 * re-wrap, authenticate the rows of an older key table, import rows from an export, and check a table's key rows.
 * Each reads the table's rows afresh on a connection of the driver's own, verifies them when the key table is
 * authenticated (a change is never built on rows that fail), and writes the table's whole new state — with the next
 * sequence number and its MAC — in one transaction that fails if the rows changed meanwhile.
 */
public final class KeyAdministration {

    /** The result of checking one table's key rows ({@code doctor}, {@code keys import}). */
    public record RowCheck(String table, int versions, boolean authenticated, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Where the key table is, for {@code doctor}: the name as configured, the schema-qualified name every statement
     * uses, its owning role (PostgreSQL; null elsewhere or when the table does not exist), whether it exists, and
     * whether its rows are authenticated (the state columns are there).
     */
    public record KeyTableFacts(String configured, String qualified, String owner, boolean present,
                                boolean authenticated) {
    }

    /** What {@link #importRows} did with one row. */
    public record ImportOutcome(String table, int version, String outcome, boolean refused) {
    }

    private final KeyRingState s;
    private final KeyRing ring;

    KeyAdministration(KeyRingState state, KeyRing ring) {
        this.s = state;
        this.ring = ring;
    }

    /** Whether the key table carries the state columns (key rows authenticated). */
    public boolean authenticated() throws SQLException {
        // opening the connection resolves the key table's location (and its layout) if nothing has yet
        try (KeyRing.OwnConnection resolving = ring.resolvedOwn("reading the key table's layout")) {
            return resolving != null && s.table.location().authenticated();
        }
    }

    /**
     * Adds a new {@code active} version (highest + 1, or 1 for a table without keys) with a new data key. This
     * process writes randomized values under it at once; others within one TTL. Fails if another process changed
     * the table's keys at the same moment.
     */
    public KeyRow addVersion(String tableIdentity) throws SQLException {
        try (KeyRing.OwnConnection c = ring.resolvedOwn("adding a key version")) {
            List<KeyRow> current = verified(c.connection(), tableIdentity);
            int next = current.stream().mapToInt(KeyRow::keyVersion).max().orElse(0) + 1;
            KeyRingState.Generated generated = s.generate(tableIdentity, next);
            try {
                KeyRow added = new KeyRow(tableIdentity, next, s.kms.providerName(), generated.kmsKeyId(),
                        generated.wrapped(), KeyStatus.ACTIVE, s.now());
                List<KeyRow> after = new ArrayList<>(current);
                after.add(added);
                write(c.connection(), tableIdentity, current, after, generated.key(),
                        "adding key version " + next);
                KeyRow stored = KeyTable.find(s.table.rowsOf(c.connection(), tableIdentity), next);
                s.rowCache.remove(tableIdentity);
                ring.keep(stored, generated.key());
                KeyAudit.keyCreated(s.table.name(), tableIdentity, next, generated.kmsKeyId());
                return stored;
            } catch (SQLException | RuntimeException e) {
                generated.key().destroy();
                throw e;
            }
        }
    }

    /** Sets the status of one version. This process sees it at once, others within one TTL. */
    public void setStatus(String tableIdentity, int version, KeyStatus status) throws SQLException {
        Objects.requireNonNull(status, "status");
        try (KeyRing.OwnConnection c = ring.resolvedOwn("setting a key status")) {
            List<KeyRow> current = verified(c.connection(), tableIdentity);
            KeyRow row = KeyTable.find(current, version);
            if (row == null) {
                throw EnvelopeErrors.key("key table " + s.table.name() + ": table " + tableIdentity
                        + " has no key version " + version + " to set " + status.dbValue());
            }
            List<KeyRow> after = current.stream().map(r -> r.keyVersion() == version ? r.withStatus(status) : r)
                    .toList();
            write(c.connection(), tableIdentity, current, after, null, "setting key version " + version + " to "
                    + status.dbValue());
        }
        s.rowCache.remove(tableIdentity);
        KeyAudit.statusChanged(s.table.name(), tableIdentity, version, status.dbValue());
    }

    /**
     * Deletes a retiring or retired version's key row: every value under it becomes unreadable for good
     * (crypto-shredding). An active version is refused.
     */
    public void destroy(String tableIdentity, int version) throws SQLException {
        KeyRow row;
        try (KeyRing.OwnConnection c = ring.resolvedOwn("destroying a key version")) {
            List<KeyRow> current = verified(c.connection(), tableIdentity);
            row = KeyTable.find(current, version);
            if (row == null) {
                throw EnvelopeErrors.key("key table " + s.table.name() + ": table " + tableIdentity
                        + " has no key version " + version + " to destroy");
            }
            if (row.status() == KeyStatus.ACTIVE) {
                throw EnvelopeErrors.key("key table " + s.table.name() + ": table " + tableIdentity + " key version "
                        + version + " is active (or was just made active): only retiring or retired versions can be"
                        + " destroyed");
            }
            List<KeyRow> after = current.stream().filter(r -> r.keyVersion() != version).toList();
            write(c.connection(), tableIdentity, current, after, null, "destroying key version " + version);
        }
        s.rowCache.remove(tableIdentity);
        for (DataKey gone : s.keyCache.removeIf(id -> id.tableIdentity().equals(tableIdentity)
                && id.version() == version)) {
            gone.destroy();
        }
        KeyAudit.destroyed(s.table.name(), tableIdentity, version, row.kmsKeyId());
    }

    /**
     * Re-wraps one key row under another master key through the KMS (aws-kms: ReEncrypt, so the data key never
     * leaves the KMS), bound to the same table and version; no row data changes. A row already under
     * {@code toKmsKeyId} is left alone, so an interrupted rewrap can simply run again.
     *
     * @return true when the row was re-wrapped, false when it already was
     */
    public boolean rewrap(KeyRow row, String toKmsKeyId) throws SQLException {
        try (KeyRing.OwnConnection c = ring.resolvedOwn("re-wrapping a data key")) {
            List<KeyRow> current = verified(c.connection(), row.tableName());
            KeyRow now = KeyTable.find(current, row.keyVersion());
            if (now == null) {
                throw EnvelopeErrors.key("key table " + s.table.name() + ": key version " + row.keyVersion()
                        + " of table " + row.tableName() + " no longer exists");
            }
            if (now.kmsKeyId().equals(toKmsKeyId)) {
                return false;
            }
            s.unwrapper.checkAllowed(now);
            byte[] rewrapped = s.kms.reEncrypt(now.kmsKeyId(), now.encryptedKey(), toKmsKeyId,
                    new EncryptionContext(now.tableName(), now.keyVersion()));
            List<KeyRow> after = current.stream()
                    .map(r -> r.keyVersion() == now.keyVersion() ? r.withWrapping(toKmsKeyId, rewrapped) : r).toList();
            write(c.connection(), row.tableName(), current, after, null, "re-wrapping key version "
                    + row.keyVersion());
        }
        s.rowCache.remove(row.tableName());
        return true;
    }

    /**
     * Brings a key table of the 0.1.0 layout to the authenticated one: adds the state columns, then seals each
     * table's current rows (sequence 1, or one above the highest there) under its newest data key. Tables whose rows
     * already verify are left alone; rows without a valid state are sealed as they are now, so run it only on a
     * key table you trust (after every process and command runs this version). Returns one line per table.
     */
    public List<String> upgrade() throws SQLException {
        List<String> report = new ArrayList<>();
        try (KeyRing.OwnConnection c = ring.resolvedOwn("upgrading the key table")) {
            if (!s.table.location().authenticated()) {
                s.table.addStateColumns(c.connection());
                report.add("added the columns state_seq and state_mac to " + s.table.name());
            }
            for (Map.Entry<String, List<KeyRow>> table : byTable(s.table.allRows(c.connection())).entrySet()) {
                List<KeyRow> rows = table.getValue();
                DataKey newest = ring.dataKey(KeyRowStates.newest(rows));
                if (KeyRowStates.verify(table.getKey(), rows, newest).ok()) {
                    report.add(table.getKey() + ": " + rows.size() + " key version(s) already authenticated");
                    continue;
                }
                long seq = rows.stream().map(KeyRow::stateSeq).filter(Objects::nonNull).mapToLong(Long::longValue)
                        .max().orElse(0) + 1;
                s.table.replaceState(c.connection(), table.getKey(), rows,
                        KeyRowStates.seal(table.getKey(), seq, rows, newest), "authenticating the key rows");
                KeyAudit.upgraded(s.table.name(), table.getKey(), seq);
                report.add(table.getKey() + ": " + rows.size() + " key version(s) authenticated (sequence " + seq
                        + ", versions " + KeyRing.describe(rows) + ")");
                s.rowCache.remove(table.getKey());
            }
        }
        return report;
    }

    /**
     * Resolves the key table as a connection of the driver's would (schema-qualified; on PostgreSQL refused, with
     * the reason, when another role owns it) and describes it. Reads only: a missing key table is not created.
     */
    public KeyTableFacts keyTable() throws SQLException {
        try (KeyRing.OwnConnection c = ring.resolvedOwn("checking the key table")) {
            KeyTableLocation location = s.table.location();
            boolean present = location.present(c.connection());
            return new KeyTableFacts(location.name(), location.sqlName(), location.owner(), present,
                    present && location.authenticated());
        }
    }

    /**
     * Checks that one key row unwraps: its KMS provider and key are allowed by the configuration, and the KMS (or
     * the local provider) unwraps it bound to its own table and version. Returns null when it does, else the
     * reason on one line (never key material). The unwrapped key stays in the ring's cache, so decrypting values
     * under it afterwards makes no second KMS call.
     */
    public String unwrapProblem(KeyRow row) {
        try {
            ring.dataKey(row);
            return null;
        } catch (SQLException | RuntimeException e) {
            StringBuilder line = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
                if (message.startsWith(EnvelopeErrors.PREFIX)) {
                    message = message.substring(EnvelopeErrors.PREFIX.length());
                }
                if (line.indexOf(message) < 0) {
                    line.append(line.length() == 0 ? "" : ": ").append(message);
                }
            }
            return line.toString().replace('\n', ' ');
        }
    }

    /** Checks one table's key rows as the driver would before honouring them (for {@code doctor}). */
    public RowCheck check(String tableIdentity) throws SQLException {
        try (KeyRing.OwnConnection c = ring.resolvedOwn("checking the key rows")) {
            List<KeyRow> rows = s.table.rowsOf(c.connection(), tableIdentity);
            boolean authenticated = s.table.location().authenticated();
            if (!authenticated || rows.isEmpty()) {
                return new RowCheck(tableIdentity, rows.size(), authenticated, null);
            }
            return new RowCheck(tableIdentity, rows.size(), true,
                    KeyRowStates.verify(tableIdentity, rows, ring.dataKey(KeyRowStates.newest(rows))).problem());
        }
    }

    /**
     * Restores exported rows: per table, all rows are written in one transaction when the key table has none of that
     * table's rows, after each one was checked to unwrap through the KMS; rows already present exactly as exported
     * are left alone; a table whose rows differ from the export's is refused (nothing of it is written).
     * Idempotent.
     */
    public List<ImportOutcome> importRows(List<KeyRow> exported) throws SQLException {
        List<ImportOutcome> outcomes = new ArrayList<>();
        try (KeyRing.OwnConnection c = ring.resolvedOwn("importing key rows")) {
            s.table.location().ensurePresent(c.connection()); // a restore may start from a dropped key table
            boolean authenticated = s.table.location().authenticated();
            for (Map.Entry<String, List<KeyRow>> entry : byTable(exported).entrySet()) {
                String table = entry.getKey();
                List<KeyRow> rows = entry.getValue();
                List<KeyRow> existing = s.table.rowsOf(c.connection(), table);
                if (!existing.isEmpty()) {
                    outcomes.addAll(compare(table, rows, existing));
                    continue;
                }
                DataKey newest = null;
                int newestVersion = KeyRowStates.newest(rows).keyVersion();
                for (KeyRow row : rows) {
                    s.unwrapper.checkAllowed(row);
                    DataKey key = s.unwrapper.unwrap(row);
                    if (row.keyVersion() == newestVersion) {
                        newest = key;
                    } else {
                        key.destroy();
                    }
                }
                List<KeyRow> toWrite = rows;
                String how = "imported";
                if (!authenticated) {
                    toWrite = rows.stream().map(r -> r.withState(null, null)).toList();
                } else if (!KeyRowStates.verify(table, rows, newest).ok()) {
                    long seq = rows.stream().map(KeyRow::stateSeq).filter(Objects::nonNull)
                            .mapToLong(Long::longValue).max().orElse(0) + 1;
                    toWrite = KeyRowStates.seal(table, seq, rows, newest);
                    how = "imported (authenticated now: the export carried no valid state)";
                }
                newest.destroy();
                s.table.replaceState(c.connection(), table, List.of(), toWrite, "importing key rows");
                s.rowCache.remove(table);
                for (KeyRow row : rows) {
                    KeyAudit.imported(s.table.name(), table, row.keyVersion(), "imported");
                    outcomes.add(new ImportOutcome(table, row.keyVersion(), how, false));
                }
            }
        }
        return outcomes;
    }

    private List<ImportOutcome> compare(String table, List<KeyRow> rows, List<KeyRow> existing) {
        List<ImportOutcome> outcomes = new ArrayList<>();
        boolean same = rows.size() == existing.size();
        for (KeyRow row : rows) {
            same &= row.sameKeyAs(KeyTable.find(existing, row.keyVersion()));
        }
        for (KeyRow row : rows) {
            KeyRow there = KeyTable.find(existing, row.keyVersion());
            String outcome;
            if (same) {
                outcome = "already present";
            } else if (there == null) {
                outcome = "refused: the key table holds other versions of this table (" + KeyRing.describe(existing)
                        + ") and not this one";
            } else if (row.sameKeyAs(there)) {
                outcome = "refused with its table: other versions of this table differ from the export";
            } else {
                outcome = "refused: the key table holds a different row for this version (" + there.status().dbValue()
                        + ", wrapped under " + there.kmsKeyId() + ")";
            }
            KeyAudit.imported(s.table.name(), table, row.keyVersion(), same ? "already-present" : "refused");
            outcomes.add(new ImportOutcome(table, row.keyVersion(), outcome, !same));
        }
        return outcomes;
    }

    /** A table's rows read afresh; when the key table is authenticated, refused if any row fails verification. */
    private List<KeyRow> verified(Connection c, String tableIdentity) throws SQLException {
        RowSnapshot snapshot = new RowSnapshot(tableIdentity, s.table.rowsOf(c, tableIdentity));
        if (!snapshot.isEmpty()) {
            s.verify(snapshot, ring);
            if (!snapshot.refused.isEmpty()) {
                throw s.refusal(tableIdentity, snapshot.refused.keySet().iterator().next(),
                        "no change is built on rows that fail verification");
            }
        }
        return snapshot.rows;
    }

    /**
     * Writes a table's new rows: sealed with the next sequence number under the newest version's key
     * ({@code newestKey} when the caller holds it, else unwrapped) when the key table is authenticated.
     */
    private void write(Connection c, String tableIdentity, List<KeyRow> before, List<KeyRow> after, DataKey newestKey,
                       String what) throws SQLException {
        List<KeyRow> rows = after;
        if (s.table.location().authenticated() && !after.isEmpty()) {
            Long last = KeyRowStates.sequence(before);
            long seq = last == null ? 1 : last + 1;
            DataKey key = newestKey != null ? newestKey : ring.dataKey(KeyRowStates.newest(after));
            rows = KeyRowStates.seal(tableIdentity, seq, after, key);
        }
        s.table.replaceState(c, tableIdentity, before, rows, what);
    }

    private static Map<String, List<KeyRow>> byTable(List<KeyRow> rows) {
        Map<String, List<KeyRow>> tables = new LinkedHashMap<>();
        for (KeyRow row : rows) {
            tables.computeIfAbsent(row.tableName(), t -> new ArrayList<>()).add(row);
        }
        return tables;
    }
}
