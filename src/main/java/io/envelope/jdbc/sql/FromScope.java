package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.EncryptionSchema;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tables a statement (or one query level) reads from, and how its column references resolve to them:
 * aliases, {@code t.col}, {@code schema.table.col} and unqualified names, with the catalog saying which table
 * has which column. An enclosing query level is consulted for correlated references.
 */
final class FromScope {

    /** One FROM item: a table (configured or not), or a derived table / CTE whose columns are unknown. */
    static final class Entry {
        final String alias;        // normalised alias, or null
        final String schema;       // normalised schema as written, or null (current schema)
        final String name;         // normalised table name, or null for a derived table
        final EncryptedTable configured;
        final List<String> columns; // physical order from the catalog, or a derived table's output names
        /** A derived table's / CTE's output columns by position (null entries are plaintext); null for tables. */
        final List<EncryptedColumn> derived;

        Entry(String alias, String schema, String name, EncryptedTable configured, List<String> columns) {
            this(alias, schema, name, configured, columns, null);
        }

        Entry(String alias, String schema, String name, EncryptedTable configured, List<String> columns,
              List<EncryptedColumn> derived) {
            this.alias = alias;
            this.schema = schema;
            this.name = name;
            this.configured = configured;
            this.columns = columns;
            this.derived = derived;
        }

        /** The encrypted column at each output position (a table's columns in catalog order). */
        EncryptedColumn at(int index) {
            return derived != null ? derived.get(index) : encrypted(columns.get(index));
        }

        /**
         * True when a derived table has several output columns of this name and one of them is encrypted: a
         * reference to it cannot be resolved safely (the database rejects it as ambiguous anyway).
         */
        boolean ambiguous(String column) {
            if (derived == null) {
                return false;
            }
            int count = 0;
            boolean anyEncrypted = false;
            for (int i = 0; i < columns.size(); i++) {
                if (column.equals(columns.get(i))) {
                    count++;
                    anyEncrypted |= derived.get(i) != null;
                }
            }
            return count > 1 && anyEncrypted;
        }

        boolean columnsKnown() {
            return !columns.isEmpty();
        }

        boolean hasColumn(String column) {
            return columns.contains(column) || (configured != null && configured.column(column) != null);
        }

        EncryptedColumn encrypted(String column) {
            if (derived != null) {
                int i = columns.indexOf(column);
                return i < 0 ? null : derived.get(i);
            }
            return configured == null ? null : configured.column(column);
        }

        String display() {
            if (configured != null) {
                return configured.identity();
            }
            return name != null ? (schema == null ? name : schema + "." + name) : alias;
        }
    }

    /** The CTEs visible at one query level: WITH names, innermost first, then the enclosing levels'. */
    static final class Ctes {
        final Ctes parent;
        final Map<String, Entry> named = new HashMap<>();

        Ctes(Ctes parent) {
            this.parent = parent;
        }

        Entry find(String name) {
            for (Ctes c = this; c != null; c = c.parent) {
                Entry e = c.named.get(name);
                if (e != null) {
                    return e;
                }
            }
            return null;
        }
    }

    private final AnalysisContext ctx;
    private final FromScope outer;
    private final Ctes ctes;
    private final List<Entry> entries = new ArrayList<>();

    FromScope(AnalysisContext ctx, FromScope outer) {
        this(ctx, outer, outer == null ? null : outer.ctes);
    }

    FromScope(AnalysisContext ctx, FromScope outer, Ctes ctes) {
        this.ctx = ctx;
        this.outer = outer;
        this.ctes = ctes;
    }

    FromScope outer() {
        return outer;
    }

    Ctes ctes() {
        return ctes;
    }

    /**
     * Adds a table reference of a FROM list: an unqualified name of a visible CTE means the CTE (it shadows a
     * configured table of the same name, as in PostgreSQL); otherwise the table.
     */
    Entry addFromItem(Table table) throws SQLException {
        if (table.getName() != null && table.getSchemaName() == null && ctes != null) {
            Entry cte = ctes.find(ctx.normalize(table.getName()));
            if (cte != null) {
                String alias = table.getAlias() != null ? ctx.normalize(table.getAlias().getName()) : cte.alias;
                if (table.getAlias() != null && table.getAlias().getAliasColumns() != null
                        && !table.getAlias().getAliasColumns().isEmpty()) {
                    return addDerived(alias, renamed(cte.columns, table.getAlias()), cte.derived);
                }
                Entry entry = new Entry(alias, null, null, null, cte.columns, cte.derived);
                entries.add(entry);
                return entry;
            }
        }
        return add(table);
    }

    /** Output names after an alias column list {@code AS t(a, b)}; extra outputs keep their names. */
    List<String> renamed(List<String> names, net.sf.jsqlparser.expression.Alias alias) throws SQLException {
        List<String> result = new ArrayList<>(names);
        var list = alias.getAliasColumns();
        if (list == null) {
            return result;
        }
        if (list.size() > names.size()) {
            throw Refusals.aliasColumns(ctx.normalize(alias.getName()));
        }
        for (int i = 0; i < list.size(); i++) {
            result.set(i, ctx.normalize(list.get(i).name));
        }
        return result;
    }

    /** Adds a derived table or CTE reference whose output columns (names and encrypted columns) are known. */
    Entry addDerived(String alias, List<String> names, List<EncryptedColumn> positions) {
        Entry entry = new Entry(alias, null, null, null, List.copyOf(names),
                Collections.unmodifiableList(new ArrayList<>(positions)));
        entries.add(entry);
        for (int i = 0; i < names.size(); i++) {
            if (positions.get(i) != null) {
                ctx.encryptedAlias(names.get(i), positions.get(i));
            }
        }
        return entry;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Adds a table reference of the FROM list (or an INSERT/UPDATE/DELETE target). */
    Entry add(Table table) throws SQLException {
        if (table.getName() == null) {
            return addUnknown(table.getAlias() == null ? null : table.getAlias().getName());
        }
        EncryptionSchema schema = ctx.schema();
        String schemaName = table.getSchemaName() == null ? null : ctx.normalize(table.getSchemaName());
        String name = ctx.normalize(table.getName());
        String alias = table.getAlias() == null ? null : ctx.normalize(table.getAlias().getName());
        EncryptedTable configured = schema.table(schemaName, name);
        // The layout of the relation named (a partition or inheritance child may order or add columns its own
        // way), not of the configured table it resolves to.
        List<String> columns = ctx.columnNames(schemaName, name);
        Entry entry = new Entry(alias, schemaName, name, configured, columns);
        entries.add(entry);
        return entry;
    }

    /** Adds a pseudo table with the given table's columns under another name (ON CONFLICT's EXCLUDED). */
    Entry addAlias(Entry of, String alias) {
        Entry entry = new Entry(alias, null, null, of.configured, of.columns);
        entries.add(entry);
        return entry;
    }

    /** Adds a derived table, function or CTE reference whose columns analysis does not know. */
    Entry addUnknown(String alias) {
        Entry entry = new Entry(alias == null ? null : ctx.normalize(alias), null, null, null, List.of());
        entries.add(entry);
        return entry;
    }

    /** The entry a qualifier ({@code alias}, {@code table} or {@code schema.table}) names, here or outside. */
    Entry entryFor(Table qualifier) {
        String q = ctx.normalize(qualifier.getName());
        String qs = qualifier.getSchemaName() == null ? null : ctx.normalize(qualifier.getSchemaName());
        for (FromScope s = this; s != null; s = s.outer) {
            for (Entry e : s.entries) {
                if (qs == null) {
                    if (e.alias != null ? e.alias.equals(q) : q.equals(e.name)) {
                        return e;
                    }
                } else if (e.alias == null && q.equals(e.name) && qs.equals(resolvedSchema(e))) {
                    return e;
                }
            }
        }
        return null;
    }

    private String resolvedSchema(Entry e) {
        return e.schema == null ? ctx.schema().currentSchema() : e.schema;
    }

    /**
     * The encrypted column a column reference names, or null for an unencrypted (or unknown) column. Records
     * the reference as examined.
     *
     * @throws SQLException a refusal when the reference is ambiguous between tables and one of them encrypts it
     */
    EncryptedColumn resolve(Column column) throws SQLException {
        ctx.examined(column);
        String name = ctx.normalize(column.getColumnName());
        Table qualifier = column.getTable();
        if (qualifier != null && qualifier.getName() != null) {
            Entry e = entryFor(qualifier);
            if (e != null) {
                if (e.ambiguous(name)) {
                    throw Refusals.ambiguous(name, e.display(), firstEncrypted(e, name));
                }
                return e.encrypted(name);
            }
            // A qualifier that names no FROM item: fail closed if it spells a configured table directly.
            String qs = qualifier.getSchemaName() == null ? null : ctx.normalize(qualifier.getSchemaName());
            EncryptedTable direct = ctx.schema().table(qs, ctx.normalize(qualifier.getName()));
            return direct == null ? null : direct.column(name);
        }
        return resolveUnqualified(name);
    }

    private EncryptedColumn resolveUnqualified(String name) throws SQLException {
        List<Entry> candidates = new ArrayList<>();
        boolean unknowns = false;
        for (Entry e : entries) {
            if (e.hasColumn(name)) {
                candidates.add(e);
            } else if (!e.columnsKnown() && e.configured == null) {
                unknowns = true;
            }
        }
        if (!candidates.isEmpty()) {
            for (Entry e : candidates) {
                if (e.ambiguous(name)) {
                    throw Refusals.ambiguous(name, e.display(), firstEncrypted(e, name));
                }
            }
            List<Entry> encrypting = candidates.stream().filter(e -> e.encrypted(name) != null).toList();
            if (encrypting.isEmpty()) {
                return null;
            }
            if (candidates.size() > 1) {
                throw Refusals.ambiguous(name,
                        candidates.stream().map(Entry::display).collect(Collectors.joining(", ")),
                        encrypting.get(0).encrypted(name));
            }
            return encrypting.get(0).encrypted(name);
        }
        for (Entry e : entries) {
            boolean namesEntry = e.alias != null ? e.alias.equals(name) : name.equals(e.name);
            if (namesEntry && e.configured != null && !e.configured.columns().isEmpty()) {
                // A whole-row reference (row_to_json(c), c = ?) would carry the row's ciphertexts undecrypted.
                throw Refusals.wholeRow(e.configured.identity(), e.configured.columns().iterator().next());
            }
            if (namesEntry && e.derived != null && e.derived.stream().anyMatch(c -> c != null)) {
                EncryptedColumn c = e.derived.stream().filter(x -> x != null).findFirst().orElseThrow();
                throw Refusals.wholeRow(e.alias == null ? "(derived table)" : e.alias, c);
            }
        }
        if (outer == null) {
            return null;
        }
        EncryptedColumn outside = outer.resolveUnqualified(name);
        if (outside != null && unknowns) {
            // Could be a column of the inner derived table or a correlated reference: cannot tell, refuse.
            throw Refusals.unresolvable(name, outside);
        }
        return outside;
    }

    private static EncryptedColumn firstEncrypted(Entry e, String name) {
        for (int i = 0; i < e.columns.size(); i++) {
            if (name.equals(e.columns.get(i)) && e.derived.get(i) != null) {
                return e.derived.get(i);
            }
        }
        return null;
    }
}
