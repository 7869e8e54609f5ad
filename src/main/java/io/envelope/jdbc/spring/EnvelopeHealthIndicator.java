package io.envelope.jdbc.spring;

import io.envelope.jdbc.EnvelopeHealth;
import io.envelope.jdbc.driver.EnvelopeConnection;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code envelope} health indicator: UP when the KMS answers for the master key and the key table can be read,
 * DOWN when either fails (with envelope-jdbc's message, which names keys and tables, never data). Details: the KMS
 * provider and master key, the key table with its number of key versions and tables, and how many data keys are held
 * in memory. Each check borrows one connection from the DataSource (to reach its configuration's runtime), reads the
 * key table on a connection of its own, and on aws-kms makes one DescribeKey call.
 */
public class EnvelopeHealthIndicator extends AbstractHealthIndicator {

    private final Supplier<DataSource> dataSource;

    /** @param dataSource the application's (primary) DataSource, looked up when a check runs */
    public EnvelopeHealthIndicator(Supplier<DataSource> dataSource) {
        super("envelope-jdbc health check failed");
        this.dataSource = dataSource;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        DataSource source = dataSource.get();
        if (source == null) {
            builder.unknown().withDetail("reason", "the application has no (primary) DataSource");
            return;
        }
        EnvelopeHealth health;
        try (Connection connection = source.getConnection()) {
            if (!connection.isWrapperFor(EnvelopeConnection.class)) {
                builder.unknown().withDetail("reason", "the DataSource does not hand out envelope-jdbc connections");
                return;
            }
            health = connection.unwrap(EnvelopeConnection.class).health();
        }
        builder.status(health.healthy() ? org.springframework.boot.health.contributor.Status.UP
                : org.springframework.boot.health.contributor.Status.DOWN);
        Map<String, Object> kms = new LinkedHashMap<>();
        kms.put("provider", health.kmsProvider());
        kms.put("masterKey", health.masterKeyId());
        kms.put("reachable", health.kmsReachable());
        if (!health.kmsReachable()) {
            kms.put("error", health.kmsError());
        }
        Map<String, Object> keyTable = new LinkedHashMap<>();
        keyTable.put("name", health.keyTable());
        keyTable.put("readable", health.keyTableReadable());
        if (health.keyTableReadable()) {
            keyTable.put("keyVersions", health.keyRows());
            keyTable.put("tables", health.tablesWithKeys());
        } else {
            keyTable.put("error", health.keyTableError());
        }
        builder.withDetail("kms", kms)
                .withDetail("keyTable", keyTable)
                .withDetail("cachedDataKeys", health.cachedDataKeys());
    }
}
