package io.envelope.jdbc.schema;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One table's physical columns as the database reports them ({@link DatabaseMetaData#getColumns}): their order,
 * for {@code *} and INSERT without a column list, and their {@link java.sql.Types} codes, to know whether an
 * encrypted column stores raw bytes or base64 text. Read by the driver (cached per runtime) and by the
 * configuration check alike.
 *
 * @param columnNames the column names in physical order, as the catalog spells them
 * @param sqlTypes    each column's {@link java.sql.Types} code
 */
public record TableLayout(List<String> columnNames, Map<String, Integer> sqlTypes) {

    /** The layout of a table the database does not know (or does not show to this user). */
    public static final TableLayout MISSING = new TableLayout(List.of(), Map.of());

    public TableLayout {
        columnNames = List.copyOf(columnNames);
        sqlTypes = Collections.unmodifiableMap(new HashMap<>(sqlTypes));
    }

    /** False when the table does not exist (or shows no columns to this user). */
    public boolean exists() {
        return !columnNames.isEmpty();
    }

    /** One metadata round trip. {@link #MISSING} when the table is not there. */
    public static TableLayout read(DatabaseMetaData metaData, String schema, String table) throws SQLException {
        String escape = metaData.getSearchStringEscape();
        List<String> names = new ArrayList<>();
        Map<String, Integer> types = new HashMap<>();
        try (ResultSet columns = metaData.getColumns(null, escapePattern(schema, escape),
                escapePattern(table, escape), "%")) {
            while (columns.next()) {
                String name = columns.getString("COLUMN_NAME");
                names.add(name);
                types.put(name, columns.getInt("DATA_TYPE"));
            }
        }
        return names.isEmpty() ? MISSING : new TableLayout(names, types);
    }

    /** getColumns takes LIKE patterns: a name's own {@code _} and {@code %} must match only themselves. */
    private static String escapePattern(String name, String escape) {
        if (name == null || escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
