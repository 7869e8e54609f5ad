package io.envelope.jdbc.driver;

import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.EncryptionSchema.EncryptedView;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the views that read encrypted columns of configured tables, so SQL naming them is refused instead of
 * returning ciphertext as if it were data (views are outside the wrapper's promise, contract §6). Read once per
 * runtime and current schema, when the first connection opens; a view created later is found by the next process.
 *
 * <p>PostgreSQL only ({@code information_schema.view_column_usage}, which lists the views owned by the
 * connection's enabled roles); other databases get no view check.
 */
final class EncryptedViews {

    private static final String QUERY = "SELECT view_schema, view_name, table_schema, table_name, column_name"
            + " FROM information_schema.view_column_usage";

    private EncryptedViews() {
    }

    static List<EncryptedView> find(Connection connection, EncryptionSchema schema) throws SQLException {
        if (schema.tables().isEmpty() || !connection.getMetaData().getDatabaseProductName()
                .toLowerCase(Locale.ROOT).contains("postgres")) {
            return List.of();
        }
        Map<String, List<String>> reads = new LinkedHashMap<>();
        Map<String, String[]> names = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(QUERY)) {
            while (rs.next()) {
                EncryptedTable table = schema.tableByIdentity(rs.getString(3) + "." + rs.getString(4));
                if (table != null && table.column(rs.getString(5)) != null) {
                    String view = rs.getString(1) + "." + rs.getString(2);
                    names.putIfAbsent(view, new String[] {rs.getString(1), rs.getString(2)});
                    reads.computeIfAbsent(view, v -> new ArrayList<>()).add(table.column(rs.getString(5))
                            .qualifiedName());
                }
            }
        }
        List<EncryptedView> views = new ArrayList<>();
        reads.forEach((view, columns) -> views.add(new EncryptedView(names.get(view)[0], names.get(view)[1], columns)));
        return views;
    }
}
