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
 * for {@code *} and INSERT without a column list, and each one's type and width ({@link PhysicalColumn}), to know
 * whether an encrypted column stores raw bytes or base64 text and how long a stored value it holds. Read by the
 * driver (cached per runtime), by the configuration check and by the command line's doctor alike.
 *
 * @param columnNames the column names in physical order, as the catalog spells them
 * @param columns     each column by name
 */
public record TableLayout(List<String> columnNames, Map<String, PhysicalColumn> columns) {

    /** The layout of a table the database does not know (or does not show to this user). */
    public static final TableLayout MISSING = new TableLayout(List.of(), Map.of());

    public TableLayout {
        columnNames = List.copyOf(columnNames);
        columns = Collections.unmodifiableMap(new HashMap<>(columns));
    }

    /** False when the table does not exist (or shows no columns to this user). */
    public boolean exists() {
        return !columnNames.isEmpty();
    }

    /** The column of that exact name, or null. */
    public PhysicalColumn column(String name) {
        return columns.get(name);
    }

    /**
     * One metadata round trip. {@link #MISSING} when the table is not there.
     *
     * @param schema the table's schema; in MySQL and MariaDB, where a schema is a database, the JDBC catalog
     */
    public static TableLayout read(DatabaseMetaData metaData, String schema, String table) throws SQLException {
        String escape = metaData.getSearchStringEscape();
        boolean mysql = isMySqlFamily(metaData);
        List<String> names = new ArrayList<>();
        Map<String, PhysicalColumn> columns = new HashMap<>();
        // MySQL's drivers ignore the schema pattern (databases are catalogs there) and take the catalog as a name
        try (ResultSet rs = mysql ? metaData.getColumns(schema, null, escapePattern(table, escape), "%")
                : metaData.getColumns(null, escapePattern(schema, escape), escapePattern(table, escape), "%")) {
            while (rs.next()) {
                // LIKE patterns ignore case on some servers: a table whose name differs only in case is another
                if (mysql ? !table.equalsIgnoreCase(rs.getString("TABLE_NAME"))
                        : !table.equals(rs.getString("TABLE_NAME")) || !schema.equals(rs.getString("TABLE_SCHEM"))) {
                    continue;
                }
                String name = rs.getString("COLUMN_NAME");
                int sqlType = rs.getInt("DATA_TYPE");
                String typeName = rs.getString("TYPE_NAME");
                names.add(name);
                columns.put(name, new PhysicalColumn(sqlType, typeName, rs.getLong("COLUMN_SIZE"),
                        mysql ? ColumnStorage.ofMySqlType(typeName) : ColumnStorage.ofSqlType(sqlType)));
            }
        }
        return names.isEmpty() ? MISSING : new TableLayout(names, columns);
    }

    /** MySQL and MariaDB, whose databases are JDBC catalogs and whose column types are told apart by name. */
    public static boolean isMySqlFamily(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        return "MySQL".equalsIgnoreCase(product) || "MariaDB".equalsIgnoreCase(product);
    }

    /** getColumns takes LIKE patterns: a name's own {@code _} and {@code %} must match only themselves. */
    private static String escapePattern(String name, String escape) {
        if (name == null || escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
