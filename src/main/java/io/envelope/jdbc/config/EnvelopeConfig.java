package io.envelope.jdbc.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded and fully validated configuration file (version 1, see docs/configuration.md). Immutable; equal configurations
 * share one runtime (key cache, analysis cache) inside a process.
 *
 * @param version           the file format version (1)
 * @param kms               the KMS provider settings
 * @param keyTable          the key metadata table, possibly schema-qualified (default {@code envelope_data_keys})
 * @param createKeyTable    create the key table when missing (default true)
 * @param keyCacheTtl       how long an unwrapped data key stays usable, from when it was unwrapped (default 10m)
 * @param minFormatVersion  stored values of an older format version are refused (default 1)
 * @param tables            the configured tables, keyed by the name as written, in file order
 * @param origin            where the file came from (a path or {@code classpath:NAME}), for messages
 * @param keyTableOwner     on PostgreSQL, the role that must own the key table; null (the default): the connecting
 *                          role or a role it is a member of
 */
public record EnvelopeConfig(
        int version,
        KmsConfig kms,
        String keyTable,
        boolean createKeyTable,
        Duration keyCacheTtl,
        int minFormatVersion,
        Map<String, TableConfig> tables,
        String origin,
        String keyTableOwner) {

    public static final String DEFAULT_KEY_TABLE = "envelope_data_keys";
    public static final Duration DEFAULT_KEY_CACHE_TTL = Duration.ofMinutes(10);

    public EnvelopeConfig {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** A configuration without {@code key-table-owner}. */
    public EnvelopeConfig(int version, KmsConfig kms, String keyTable, boolean createKeyTable, Duration keyCacheTtl,
                          int minFormatVersion, Map<String, TableConfig> tables, String origin) {
        this(version, kms, keyTable, createKeyTable, keyCacheTtl, minFormatVersion, tables, origin, null);
    }
}
