package io.envelope.jdbc.schema;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.TableConfig;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configured table resolved against a database: its identity {@code schema.table} as the catalog spells
 * it (see docs/configuration.md) — the one string used in the key table, the AAD and the KMS encryption context.
 */
public final class EncryptedTable {

    private final String schema;
    private final String name;
    private final String identity;
    private final String configName;
    private final Map<String, EncryptedColumn> columns;

    EncryptedTable(String schema, String name, TableConfig config, IdentifierCase folding, int minFormatVersion) {
        this.schema = schema;
        this.name = name;
        this.identity = schema + "." + name;
        this.configName = config.name();
        Map<String, EncryptedColumn> resolved = new LinkedHashMap<>();
        for (ColumnConfig column : config.columns().values()) {
            String columnName = folding.normalize(column.name());
            resolved.put(columnName, new EncryptedColumn(this, columnName, column, minFormatVersion));
        }
        this.columns = Collections.unmodifiableMap(resolved);
    }

    public String schema() {
        return schema;
    }

    public String name() {
        return name;
    }

    /** {@code schema.table}, e.g. {@code public.customers}. */
    public String identity() {
        return identity;
    }

    /** The table's key under {@code tables:} in the configuration file, as written there. */
    public String configName() {
        return configName;
    }

    /** The encrypted column with this (already normalised) name, or null when the column is not encrypted. */
    public EncryptedColumn column(String normalizedName) {
        return columns.get(normalizedName);
    }

    public Collection<EncryptedColumn> columns() {
        return columns.values();
    }

    @Override
    public String toString() {
        return identity;
    }
}
