package io.envelope.jdbc.schema;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.config.TableConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configured tables of one configuration resolved for one database (see docs/configuration.md), and what the catalog says
 * about them ({@link CatalogFacts}).
 *
 * <p>Two schemas matter and they are kept apart. A configured name without a schema is placed in the schema that
 * was current <em>when the connection opened</em>: that fixes each table's identity (keys, AAD) for the life of
 * the connection. Unqualified table names <em>in SQL</em> resolve against the connection's current schema
 * {@link #currentSchema()}, which {@code Connection.setSchema} may change later ({@link #withCurrentSchema}):
 * {@code a.customers} stays configured after {@code setSchema("b")}, and {@code customers} then means
 * {@code b.customers}.
 *
 * <p>A partition or inheritance child of a configured table (at any depth) is that table: a reference to it
 * resolves to the configured table, so values written through the child's name read back through the parent's
 * and the other way round. Immutable; the driver shares one instance per opening schema, current schema and
 * version of the catalog facts.
 */
public final class EncryptionSchema {

    private final IdentifierCase folding;
    private final String currentSchema;
    private final Map<String, EncryptedTable> tablesByIdentity;
    private final CatalogFacts facts;
    /** Identity of every relation that resolves to a configured table: the tables and their descendants. */
    private final Map<String, EncryptedTable> relations;
    /** Identity of every relation that SQL must not name, with the reason. */
    private final Map<String, String> refusals;
    private final Map<String, List<String>> encryptedViews;
    /** Every name SQL may use for a configured relation (see {@link #bareTableNames()}). */
    private final Set<String> bareTableNames;
    /** The same, less every name that contains another (see {@link #scanNames()}). */
    private final Set<String> scanNames;

    /**
     * A view that reads encrypted columns of configured tables: the database would hand their ciphertext out
     * through it, so SQL naming it is refused (views are outside the wrapper's promise, see README, What SQL does).
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
        this(config, currentSchema, folding, CatalogFacts.NONE);
    }

    /**
     * @param views the views that read encrypted columns (as the database reported them when this schema was
     *              resolved)
     */
    public EncryptionSchema(EnvelopeConfig config, String currentSchema, IdentifierCase folding,
                            List<EncryptedView> views) {
        this(config, currentSchema, folding, new CatalogFacts(views, Map.of(), Map.of()));
    }

    /**
     * @param currentSchema the connection's current schema when it opened: unqualified configured names are
     *                      placed there, and unqualified SQL names resolve there until {@link #withCurrentSchema}
     * @param facts         what the catalog says about the configured tables
     */
    public EncryptionSchema(EnvelopeConfig config, String currentSchema, IdentifierCase folding, CatalogFacts facts) {
        this(folding, currentSchema, resolveTables(config, currentSchema, folding), facts);
    }

    private EncryptionSchema(IdentifierCase folding, String currentSchema, Map<String, EncryptedTable> tables,
                             CatalogFacts facts) {
        this.folding = folding;
        this.currentSchema = currentSchema;
        this.tablesByIdentity = tables;
        this.facts = facts;
        Map<String, EncryptedTable> resolved = new LinkedHashMap<>(tables);
        Map<String, String> refused = new LinkedHashMap<>();
        Set<String> bare = new LinkedHashSet<>();
        tables.values().forEach(t -> bare.add(t.name()));
        facts.descendants().forEach((child, roots) -> {
            bare.add(child.name());
            EncryptedTable configuredChild = tables.get(child.identity());
            if (roots.size() == 1 && configuredChild == null) {
                resolved.put(child.identity(), tables.get(roots.get(0)));
                return;
            }
            // Two configured tables in one inheritance tree: rows written through one name would be encrypted
            // under the other's identity. Neither can be used until the configuration lists only the top one.
            String message = "table " + child.identity() + " is a partition or inheritance child of configured "
                    + "table(s) " + String.join(", ", roots) + (configuredChild != null ? " and is configured itself"
                    : "") + ": its rows would be encrypted under two identities. Configure only the top table of "
                    + "an inheritance tree (its partitions and children are encrypted as it)";
            refused.put(child.identity(), message);
            roots.forEach(root -> refused.putIfAbsent(root, message));
            resolved.remove(child.identity());
        });
        facts.ancestors().forEach((parent, configuredBelow) -> {
            bare.add(parent.name());
            if (!resolved.containsKey(parent.identity())) {
                refused.putIfAbsent(parent.identity(), "table " + parent.identity() + " has configured table(s) "
                        + String.join(", ", configuredBelow) + " among its partitions or inheritance children: a "
                        + "statement on it would read or write their encrypted columns without encryption. Name the "
                        + "configured table(s) directly, or configure " + parent.identity() + " itself (its "
                        + "partitions and children are then encrypted as it)");
            }
        });
        Map<String, List<String>> viewReads = new LinkedHashMap<>();
        for (EncryptedView view : facts.views()) {
            viewReads.put(view.identity(), List.copyOf(view.encryptedReads()));
            refused.putIfAbsent(view.identity(), "view " + view.name() + " reads encrypted column(s) "
                    + view.encryptedReads() + ", which it would hand out as ciphertext: views are outside what "
                    + "envelope-jdbc can decrypt. Query the table(s) directly, or drop the encrypted columns from the"
                    + " view.");
            bare.add(view.name());
        }
        this.relations = Collections.unmodifiableMap(resolved);
        this.refusals = Collections.unmodifiableMap(refused);
        this.encryptedViews = Collections.unmodifiableMap(viewReads);
        this.bareTableNames = Collections.unmodifiableSet(new LinkedHashSet<>(bare));
        this.scanNames = Collections.unmodifiableSet(minimalSubstrings(bare));
    }

    private static Map<String, EncryptedTable> resolveTables(EnvelopeConfig config, String currentSchema,
                                                             IdentifierCase folding) {
        Map<String, EncryptedTable> tables = new LinkedHashMap<>();
        for (TableConfig table : config.tables().values()) {
            String[] parts = splitQualifiedName(table.name());
            String schema = parts.length == 2 ? folding.normalize(parts[0]) : currentSchema;
            String name = folding.normalize(parts[parts.length - 1]);
            EncryptedTable resolved = new EncryptedTable(schema, name, table, folding, config.minFormatVersion());
            tables.put(resolved.identity(), resolved);
        }
        return Collections.unmodifiableMap(tables);
    }

    /**
     * The same configured tables (the very same {@link EncryptedTable} instances, so their identities and ciphers
     * stay) with other catalog facts.
     */
    public EncryptionSchema withFacts(CatalogFacts newFacts) {
        return new EncryptionSchema(folding, currentSchema, tablesByIdentity, newFacts);
    }

    /**
     * The same configured tables and facts, with unqualified SQL names resolving against another current schema
     * (after {@code Connection.setSchema}). Table identities do not move.
     */
    public EncryptionSchema withCurrentSchema(String schema) {
        return schema.equals(currentSchema) ? this
                : new EncryptionSchema(folding, schema, tablesByIdentity, facts);
    }

    /** The catalog facts this schema was built with. */
    public CatalogFacts facts() {
        return facts;
    }

    /**
     * The encrypted columns a view reads, when the reference names a view that reads any; else null.
     *
     * @param schema normalised schema name, or null for an unqualified reference (resolved to the current schema)
     * @param name   normalised view name
     */
    public List<String> encryptedReadsOfView(String schema, String name) {
        return encryptedViews.get(identity(schema, name));
    }

    /**
     * Why SQL may not name this relation at all, or null when it may: a view that reads encrypted columns, a
     * table above a configured table in an inheritance tree, or two configured tables of one tree. The message
     * says what to do instead (the caller adds the {@code envelope-jdbc:} prefix).
     *
     * @param schema normalised schema name, or null for an unqualified reference (resolved to the current schema)
     * @param name   normalised relation name
     */
    public String refusal(String schema, String name) {
        return refusals.get(identity(schema, name));
    }

    public IdentifierCase folding() {
        return folding;
    }

    /** The schema unqualified SQL names resolve against: the connection's current schema. */
    public String currentSchema() {
        return currentSchema;
    }

    /**
     * The configured table a SQL reference names (directly, or through one of its partitions or inheritance
     * children), or null.
     *
     * @param schema normalised schema name, or null for an unqualified reference (resolved to the current schema)
     * @param name   normalised table name
     */
    public EncryptedTable table(String schema, String name) {
        return relations.get(identity(schema, name));
    }

    /** The configured table with this identity ({@code schema.table}), or null. Partitions are not identities. */
    public EncryptedTable tableByIdentity(String identity) {
        return tablesByIdentity.get(identity);
    }

    /** The configured tables. */
    public Collection<EncryptedTable> tables() {
        return tablesByIdentity.values();
    }

    /** The partitions and inheritance children of a configured table that resolve to it. */
    public List<Relation> descendantsOf(EncryptedTable table) {
        List<Relation> children = new ArrayList<>();
        facts.descendants().forEach((child, roots) -> {
            if (relations.get(child.identity()) == table) {
                children.add(child);
            }
        });
        return children;
    }

    /**
     * The bare name of every configured table, partition, inheritance child, table above one, and view that reads
     * encrypted columns: a statement with an identifier token of one of these names is analysed.
     */
    public Set<String> bareTableNames() {
        return bareTableNames;
    }

    /**
     * The names for the substring scan that gates analysis ({@link #bareTableNames()} less any name that contains
     * another one of them: {@code events_2024_01} when {@code events} is there, since a text containing the longer
     * contains the shorter), so a table with many partitions keeps the scan short. Only for substring matching:
     * matched against whole tokens, it would miss every name it left out.
     */
    public Set<String> scanNames() {
        return scanNames;
    }

    private String identity(String schema, String name) {
        return (schema == null ? currentSchema : schema) + "." + name;
    }

    private static Set<String> minimalSubstrings(Set<String> names) {
        List<String> lower = new ArrayList<>();
        for (String name : names) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        Set<String> kept = new LinkedHashSet<>();
        int i = 0;
        for (String name : names) {
            String candidate = lower.get(i++);
            boolean covered = false;
            for (String other : lower) {
                if (!other.equals(candidate) && candidate.contains(other) && !other.isEmpty()) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                kept.add(name);
            }
        }
        return kept;
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
