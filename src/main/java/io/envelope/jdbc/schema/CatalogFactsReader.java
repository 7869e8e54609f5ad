package io.envelope.jdbc.schema;

import io.envelope.jdbc.schema.EncryptionSchema.EncryptedView;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@link CatalogFacts} for the configured tables of a schema in one round trip (PostgreSQL: {@code pg_inherits}
 * walked down and up from every configured table, and {@code information_schema.view_column_usage}, which lists
 * the views owned by the connection's enabled roles). Other databases have neither partitions of this kind nor
 * this view catalog: they get {@link CatalogFacts#NONE}.
 *
 * <p>Runs on a target (unwrapped) connection, so its own SQL is never analysed.
 */
public final class CatalogFactsReader {

    /**
     * {@code down}: every partition / inheritance child below a configured table, with that table's identity;
     * {@code up}: every table above a configured table, with the configured table's identity; {@code view}: every
     * column a view reads (filtered to encrypted columns in Java); {@code layout}: the columns (name and type, in
     * order) of every configured table and descendant, so a change made by another process is noticed.
     */
    private static final String QUERY = """
            WITH RECURSIVE configured(oid, identity) AS (
              SELECT c.oid, n.nspname || '.' || c.relname
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN unnest(?::text[], ?::text[]) AS t(schema_name, table_name)
                ON n.nspname = t.schema_name AND c.relname = t.table_name
            ), down(oid, root) AS (
              SELECT i.inhrelid, c.identity FROM pg_catalog.pg_inherits i JOIN configured c ON i.inhparent = c.oid
              UNION
              SELECT i.inhrelid, d.root FROM pg_catalog.pg_inherits i JOIN down d ON i.inhparent = d.oid
            ), up(oid, below) AS (
              SELECT i.inhparent, c.identity FROM pg_catalog.pg_inherits i JOIN configured c ON i.inhrelid = c.oid
              UNION
              SELECT i.inhparent, u.below FROM pg_catalog.pg_inherits i JOIN up u ON i.inhrelid = u.oid
            )
            SELECT 'down', n.nspname, c.relname, d.root, NULL
              FROM down d JOIN pg_catalog.pg_class c ON c.oid = d.oid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            UNION ALL
            SELECT 'up', n.nspname, c.relname, u.below, NULL
              FROM up u JOIN pg_catalog.pg_class c ON c.oid = u.oid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            UNION ALL
            SELECT 'view', view_schema, view_name, table_schema || '.' || table_name, column_name
              FROM information_schema.view_column_usage
            UNION ALL
            SELECT 'layout', n.nspname, c.relname, NULL,
                   string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', '
                              ORDER BY a.attnum)
              FROM (SELECT oid FROM configured UNION SELECT oid FROM down) r
              JOIN pg_catalog.pg_class c ON c.oid = r.oid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             GROUP BY n.nspname, c.relname""";

    private CatalogFactsReader() {
    }

    /** True for the databases whose catalogs this reader knows. */
    public static boolean supports(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    /**
     * @param connection a target connection (not the wrapper's)
     * @param schema     the configured tables, resolved
     */
    public static CatalogFacts read(Connection connection, EncryptionSchema schema) throws SQLException {
        if (schema.tables().isEmpty() || !supports(connection)) {
            return CatalogFacts.NONE;
        }
        List<String> schemas = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (EncryptedTable table : schema.tables()) {
            schemas.add(table.schema());
            names.add(table.name());
        }
        Map<Relation, List<String>> descendants = new LinkedHashMap<>();
        Map<Relation, List<String>> ancestors = new LinkedHashMap<>();
        Map<Relation, List<String>> viewReads = new LinkedHashMap<>();
        Map<Relation, String> layouts = new LinkedHashMap<>();
        Array schemaArray = connection.createArrayOf("text", schemas.toArray());
        Array nameArray = connection.createArrayOf("text", names.toArray());
        try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setArray(1, schemaArray);
            statement.setArray(2, nameArray);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Relation relation = new Relation(rs.getString(2), rs.getString(3));
                    String other = rs.getString(4);
                    switch (rs.getString(1)) {
                        case "down" -> addDistinct(descendants, relation, other);
                        case "up" -> addDistinct(ancestors, relation, other);
                        case "layout" -> layouts.put(relation, rs.getString(5));
                        default -> {
                            EncryptedTable table = schema.tableByIdentity(other);
                            EncryptedColumn column = table == null ? null : table.column(rs.getString(5));
                            if (column != null) {
                                addDistinct(viewReads, relation, column.qualifiedName());
                            }
                        }
                    }
                }
            }
        } finally {
            schemaArray.free();
            nameArray.free();
        }
        List<EncryptedView> views = new ArrayList<>();
        viewReads.forEach((view, reads) -> views.add(new EncryptedView(view.schema(), view.name(), reads)));
        return new CatalogFacts(views, descendants, ancestors, layouts);
    }

    private static void addDistinct(Map<Relation, List<String>> map, Relation key, String value) {
        List<String> values = map.computeIfAbsent(key, k -> new ArrayList<>());
        if (!values.contains(value)) {
            values.add(value);
        }
    }
}
