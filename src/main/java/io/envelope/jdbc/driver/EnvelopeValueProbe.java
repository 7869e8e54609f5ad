package io.envelope.jdbc.driver;

import io.envelope.jdbc.keys.StoredValueProbe;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Before a table's first data key is made: reads at most {@value #SAMPLE_ROWS} rows of the table's encrypted
 * columns (the first the database returns: one short sequential read, whatever the table's size; no index needed)
 * and looks for a value in envelope format. Finding one means the key table lost this table's keys; making a new
 * key would fork the table's data. Runs once per table per process, at its first write, never per statement.
 */
final class EnvelopeValueProbe implements StoredValueProbe {

    static final int SAMPLE_ROWS = 100;

    private final Function<String, EncryptedTable> tables;

    /** @param tables the configured table of a table identity, or null */
    EnvelopeValueProbe(Function<String, EncryptedTable> tables) {
        this.tables = tables;
    }

    @Override
    public boolean holdsEnvelopeValues(Connection connection, String tableIdentity) throws SQLException {
        EncryptedTable table = tables.apply(tableIdentity);
        if (table == null || table.columns().isEmpty()) {
            return false;
        }
        DatabaseMetaData meta = connection.getMetaData();
        if (!visible(meta, table)) {
            // Not committed yet (created in the application's open transaction, e.g. by a migration tool): nothing
            // in it can have been written by another process under a lost key.
            return false;
        }
        String quote = meta.getIdentifierQuoteString() == null || meta.getIdentifierQuoteString().isBlank() ? "\""
                : meta.getIdentifierQuoteString().trim();
        List<EncryptedColumn> columns = new ArrayList<>(table.columns());
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quoted(quote, columns.get(i).name()));
        }
        sql.append(" FROM ").append(quoted(quote, table.schema())).append('.').append(quoted(quote, table.name()));
        try (Statement s = connection.createStatement()) {
            s.setMaxRows(SAMPLE_ROWS);
            s.setQueryTimeout(10);
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) {
                    for (int i = 0; i < columns.size(); i++) {
                        if (inEnvelopeFormat(columns.get(i), rs.getObject(i + 1))) {
                            return true;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(io.envelope.jdbc.EnvelopeErrors.PREFIX)) {
                throw e;
            }
            throw io.envelope.jdbc.EnvelopeErrors.key("before creating the first data key of table "
                    + tableIdentity + ", looking for values in envelope format failed: " + e.getMessage(), e);
        }
        return false;
    }

    private static boolean visible(DatabaseMetaData meta, EncryptedTable table) throws SQLException {
        try (ResultSet rs = meta.getTables(null, table.schema(), table.name(), null)) {
            while (rs.next()) {
                if (table.name().equals(rs.getString("TABLE_NAME"))
                        && table.schema().equals(rs.getString("TABLE_SCHEM"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean inEnvelopeFormat(EncryptedColumn column, Object stored) {
        byte[] bytes = null;
        if (stored instanceof byte[] b) {
            bytes = b;
        } else if (stored instanceof String text) {
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return bytes != null && column.cipher().isEnvelopeFormat(bytes);
    }

    private static String quoted(String quote, String identifier) {
        return quote + identifier.replace(quote, quote + quote) + quote;
    }
}
