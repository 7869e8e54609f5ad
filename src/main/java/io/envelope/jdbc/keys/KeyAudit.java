package io.envelope.jdbc.keys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of key management on the SLF4J logger {@code io.envelope.jdbc.audit}: key table and key
 * creation, status changes, destruction, refusals and unwrap failures. Names places (table, version, KMS key id)
 * and outcomes, never key material.
 */
final class KeyAudit {

    static final String LOGGER_NAME = "io.envelope.jdbc.audit";

    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER_NAME);

    private KeyAudit() {
    }

    static void keyTableCreated(String keyTable) {
        AUDIT.info("key table created: key_table={} outcome=created", keyTable);
    }

    static void keyCreated(String keyTable, String table, int version, String kmsKeyId) {
        AUDIT.info("data key created: key_table={} table={} version={} kms_key_id={} outcome=created",
                keyTable, table, version, kmsKeyId);
    }

    static void keyAdopted(String keyTable, String table, int version, String kmsKeyId) {
        AUDIT.info("data key created concurrently elsewhere: key_table={} table={} version={} kms_key_id={} "
                + "outcome=adopted (own generated key discarded)", keyTable, table, version, kmsKeyId);
    }

    static void generateFailed(String keyTable, String table, int version, String kmsKeyId, Throwable cause) {
        AUDIT.warn("data key generation failed: key_table={} table={} version={} kms_key_id={} outcome=failed "
                + "error={}", keyTable, table, version, kmsKeyId, describe(cause));
    }

    static void unwrapped(String table, int version, String kmsKeyId) {
        AUDIT.debug("data key unwrapped: table={} version={} kms_key_id={} outcome=unwrapped", table, version,
                kmsKeyId);
    }

    static void unwrapFailed(String table, int version, String kmsKeyId, Throwable cause) {
        AUDIT.warn("data key unwrap failed: table={} version={} kms_key_id={} outcome=failed error={}",
                table, version, kmsKeyId, describe(cause));
    }

    static void unwrapRefused(String table, int version, String kmsKeyId, String reason) {
        AUDIT.warn("data key unwrap refused before any KMS call: table={} version={} kms_key_id={} "
                + "outcome=refused reason={}", table, version, kmsKeyId, reason);
    }

    static void versionWentBackwards(String keyTable, String table, int activeVersion, int usedVersion) {
        AUDIT.error("randomized write version went backwards: key_table={} table={} highest_active={} "
                + "already_used={} outcome=refused", keyTable, table, activeVersion, usedVersion);
    }

    static void statusChanged(String keyTable, String table, int version, String status) {
        AUDIT.info("data key status changed: key_table={} table={} version={} status={} outcome=updated",
                keyTable, table, version, status);
    }

    static void destroyed(String keyTable, String table, int version, String kmsKeyId) {
        AUDIT.warn("data key destroyed (values under it are unreadable for good): key_table={} table={} "
                + "version={} kms_key_id={} outcome=destroyed", keyTable, table, version, kmsKeyId);
    }

    static void keyTableRefused(String keyTable, String owner, String user) {
        AUDIT.error("key table refused: key_table={} owner={} connecting_role={} outcome=refused reason=owner",
                keyTable, owner, user);
    }

    static void rowsRefused(String keyTable, String table, String reason) {
        AUDIT.error("key rows refused: key_table={} table={} outcome=refused reason={}", keyTable, table, reason);
    }

    static void olderStateIgnored(String keyTable, String table, long seen, long read) {
        AUDIT.warn("older key-row state ignored: key_table={} table={} newest_seen_seq={} read_seq={} "
                + "outcome=ignored (a stale snapshot, or key rows restored from an older copy)", keyTable, table,
                seen, read);
    }

    static void unauthenticatedKeyTable(String keyTable) {
        AUDIT.warn("key table without authenticated key rows (0.1.0 layout): key_table={} outcome=used "
                + "(statuses are not tamper-evident until `keys upgrade` is run)", keyTable);
    }

    static void forkRefused(String keyTable, String table) {
        AUDIT.error("first data key refused: key_table={} table={} outcome=refused reason=the table already holds "
                + "values in envelope format (the key table lost its keys)", keyTable, table);
    }

    static void refreshFailed(String what, int attempt, Throwable cause) {
        AUDIT.warn("background key refresh failed: {} attempt={} outcome=failed (the cached key is used until its TTL"
                + " ends, and no longer) error={}", what, attempt, describe(cause));
    }

    static void imported(String keyTable, String table, int version, String outcome) {
        AUDIT.info("key row import: key_table={} table={} version={} outcome={}", keyTable, table, version, outcome);
    }

    static void upgraded(String keyTable, String table, long seq) {
        AUDIT.info("key rows authenticated: key_table={} table={} seq={} outcome=sealed", keyTable, table, seq);
    }

    private static String describe(Throwable cause) {
        return cause == null ? "" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
