package io.envelope.jdbc.schema;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.config.TableConfig;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured tables of one configuration resolved for one database and current schema (contract §3):
 * names folded the database's way, unqualified config names placed in the connection's current schema.
 * Immutable and shared by the connections that resolve to the same current schema.
 */
public final class EncryptionSchema {

    private final IdentifierCase folding;
    private final String currentSchema;
    private final Map<String, EncryptedTable> tablesByIdentity;
    private final Set<String> bareTableNames;
    private final Map<String, List<String>> encryptedViews;

    /**
     * A view that reads encrypted columns of configured tables: the database would hand their ciphertext out
     * through it, so SQL naming it is refused (views are outside the wrapper's promise, contract §6).
     *
     * @param schema         the view's schema, as the catalog spells it
     * @param name           the view's name
     * @param encryptedReads the encrypted columns it reads, {@code schema.table.column}
     */
    public record EncryptedView(String schema, String name, List<String> encryptedReads) {
        public String identity() {
            return schema + "." + name;
        }
    }

    public EncryptionSchema(EnvelopeConfig config, String currentSchema, IdentifierCase folding) {
        this(config, currentSchema, folding, List.of());
    }

    /**
     * @param views the views that read encrypted columns (as the database reported them when this schema was
     *              resolved)
     */
    public EncryptionSchema(EnvelopeConfig config, String currentSchema, IdentifierCase folding,
                            List<EncryptedView> views) {
        this.folding = folding;
        this.currentSchema = currentSchema;
        Map<String, EncryptedTable> tables = new LinkedHashMap<>();
        Set<String> bare = new HashSet<>();
        for (TableConfig table : config.tables().values()) {
            String[] parts = splitQualifiedName(table.name());
            String schema = parts.length == 2 ? folding.normalize(parts[0]) : currentSchema;
            String name = folding.normalize(parts[parts.length - 1]);
            EncryptedTable resolved = new EncryptedTable(schema, name, table, folding, config.minFormatVersion());
            tables.put(resolved.identity(), resolved);
            bare.add(name);
        }
        this.tablesByIdentity = Collections.unmodifiableMap(tables);
        Map<String, List<String>> viewReads = new LinkedHashMap<>();
        for (EncryptedView view : views) {
            viewReads.put(view.identity(), List.copyOf(view.encryptedReads()));
            bare.add(view.name());
        }
        this.encryptedViews = Collections.unmodifiableMap(viewReads);
        this.bareTableNames = Collections.unmodifiableSet(bare);
    }

    /**
     * The encrypted columns a view reads, when the reference names a view that reads any; else null.
     *
     * @param schema normalised schema name, or null for an unqualified reference (resolved to the current schema)
     * @param name   normalised view name
     */
    public List<String> encryptedReadsOfView(String schema, String name) {
        return encryptedViews.get((schema == null ? currentSchema : schema) + "." + name);
    }

    public IdentifierCase folding() {
        return folding;
    }

    /** The connection's current schema when it opened; unqualified names resolve here. */
    public String currentSchema() {
        return currentSchema;
    }

    /**
     * The configured table a SQL reference names, or null.
     *
     * @param schema normalised schema name, or null for an unqualified reference (resolved to the current schema)
     * @param name   normalised table name
     */
    public EncryptedTable table(String schema, String name) {
        return tablesByIdentity.get((schema == null ? currentSchema : schema) + "." + name);
    }

    /** The configured table with this identity ({@code schema.table}), or null. */
    public EncryptedTable tableByIdentity(String identity) {
        return tablesByIdentity.get(identity);
    }

    public Collection<EncryptedTable> tables() {
        return tablesByIdentity.values();
    }

    /**
     * The normalised bare names of the configured tables (and of the views that read their encrypted columns),
     * for the cheap token scan that gates analysis.
     */
    public Set<String> bareTableNames() {
        return bareTableNames;
    }

    /** Splits {@code schema.table} (either part may be double-quoted and contain dots) into one or two parts. */
    public static String[] splitQualifiedName(String qualified) {
        boolean quoted = false;
        for (int i = 0; i < qualified.length(); i++) {
            char c = qualified.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                return new String[] {qualified.substring(0, i), qualified.substring(i + 1)};
            }
        }
        return new String[] {qualified};
    }
}
