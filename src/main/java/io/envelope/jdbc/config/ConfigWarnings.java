package io.envelope.jdbc.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The startup warnings of a configuration (see docs/configuration.md), logged through SLF4J logger {@code io.envelope.jdbc.config}:
 * one per column with {@code accept-plaintext: true}, one per deterministic {@code boolean} column. Logged once
 * per distinct configuration in a process (the driver loads the file at every {@code connect()}). Warnings name
 * places, never values.
 */
public final class ConfigWarnings {

    static final String LOGGER_NAME = "io.envelope.jdbc.config";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Set<EnvelopeConfig> LOGGED = ConcurrentHashMap.newKeySet();
    private static final int MAX_REMEMBERED = 256;

    private ConfigWarnings() {
    }

    /** The warnings for a configuration, in file order, without the {@code envelope-jdbc:} prefix. */
    public static List<String> of(EnvelopeConfig config) {
        List<String> warnings = new ArrayList<>();
        for (TableConfig table : config.tables().values()) {
            for (Map.Entry<String, ColumnConfig> entry : table.columns().entrySet()) {
                ColumnConfig column = entry.getValue();
                String path = "tables." + table.name() + ".columns." + entry.getKey();
                if (column.acceptPlaintext()) {
                    warnings.add(path + " has accept-plaintext: true: stored values not in envelope format are"
                            + " returned as they are and lookups match them in plaintext; run"
                            + " `migrate --table " + table.name() + "` and then remove the flag (" + config.origin()
                            + ")");
                }
                if (column.mode() == EncryptionMode.DETERMINISTIC && column.type() == PlaintextType.BOOLEAN) {
                    warnings.add(path + " is deterministic with type boolean: its values take only two stored"
                            + " forms, so equality reveals every value to anyone who knows one row; use mode:"
                            + " randomized unless lookups by this column are needed (" + config.origin() + ")");
                }
            }
        }
        return warnings;
    }

    /** Logs the warnings of a configuration, once per distinct configuration in this process. */
    public static void log(EnvelopeConfig config) {
        if (LOGGED.contains(config)) {
            return;
        }
        if (LOGGED.size() >= MAX_REMEMBERED) {
            LOGGED.clear();
        }
        if (LOGGED.add(config)) {
            for (String warning : of(config)) {
                LOG.warn("envelope-jdbc: {}", warning);
            }
        }
    }
}
