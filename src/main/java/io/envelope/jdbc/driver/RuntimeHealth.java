package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeHealth;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.kms.KmsProvider;

import java.sql.SQLException;
import java.util.List;

/**
 * Checks a runtime's dependencies for {@link EnvelopeHealth}: one KMS check (DescribeKey on aws-kms, nothing on the
 * local provider) and one read of the key table on a connection of the key ring's own. No data key is touched.
 */
final class RuntimeHealth {

    private RuntimeHealth() {
    }

    static EnvelopeHealth check(EnvelopeRuntime runtime) {
        KmsProvider kms = runtime.kms();
        String kmsError = null;
        try {
            kms.checkReachable();
        } catch (SQLException | RuntimeException e) {
            kmsError = message(e);
        }
        KeyRing keyRing = runtime.keyRing();
        int keyRows = 0;
        int tables = 0;
        String keyTableError = null;
        try {
            List<KeyRow> rows = keyRing.rows();
            keyRows = rows.size();
            tables = (int) rows.stream().map(KeyRow::tableName).distinct().count();
        } catch (SQLException | RuntimeException e) {
            keyTableError = message(e);
        }
        return new EnvelopeHealth(kms.providerName(), kms.masterKeyId(), kmsError, runtime.config().keyTable(),
                keyRows, tables, keyTableError, keyRing.cachedDataKeys());
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
