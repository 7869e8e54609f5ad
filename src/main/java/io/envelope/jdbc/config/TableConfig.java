package io.envelope.jdbc.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configured table (see docs/configuration.md, {@code tables:}).
 *
 * @param name    the table name as written in the file, possibly schema-qualified ({@code billing.customers})
 * @param columns the encrypted columns, keyed by the name as written, in file order
 */
public record TableConfig(String name, Map<String, ColumnConfig> columns) {
    public TableConfig {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }
}
