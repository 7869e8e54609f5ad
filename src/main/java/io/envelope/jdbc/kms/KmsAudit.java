package io.envelope.jdbc.kms;

import io.envelope.jdbc.EnvelopeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audit line per KMS call on the SLF4J logger {@code io.envelope.jdbc.audit} (INFO when it succeeded, WARN
 * when it failed), and the call counted in {@link EnvelopeMetrics}. A line names the operation, the master key,
 * the table and version the data key belongs to, the outcome (with the KMS error code when it failed) and the
 * latency in milliseconds, retries included; never key material, wrapped or not.
 */
final class KmsAudit {

    static final String LOGGER_NAME = "io.envelope.jdbc.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER_NAME);

    private KmsAudit() {
    }

    /**
     * @param context null for calls that concern no data key (DescribeKey)
     * @param errorCode null when the call succeeded
     */
    static void call(String provider, String operation, String kmsKeyId, EncryptionContext context,
                     String errorCode, long startedNanos) {
        long latencyNanos = System.nanoTime() - startedNanos;
        long latencyMs = latencyNanos / 1_000_000L;
        EnvelopeMetrics.kmsCall(operation, errorCode != null, latencyNanos);
        String table = context == null ? "-" : context.tableIdentity();
        String version = context == null ? "-" : Integer.toString(context.keyVersion());
        if (errorCode == null) {
            AUDIT.info("kms call: provider={} operation={} kms_key_id={} table={} version={} outcome=ok latency_ms={}",
                    provider, operation, kmsKeyId, table, version, latencyMs);
        } else {
            AUDIT.warn("kms call: provider={} operation={} kms_key_id={} table={} version={} outcome=failed "
                    + "error_code={} latency_ms={}", provider, operation, kmsKeyId, table, version, errorCode, latencyMs);
        }
    }
}
