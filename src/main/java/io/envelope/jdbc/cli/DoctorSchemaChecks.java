package io.envelope.jdbc.cli;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.config.Spelling;
import io.envelope.jdbc.crypto.CiphertextWidths;
import io.envelope.jdbc.schema.CatalogFactsReader;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.ConfigurationCheck;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.schema.PhysicalColumn;
import io.envelope.jdbc.schema.TableLayout;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first part of {@code doctor}: the configuration against the database. Every configured table and column must
 * exist (a misspelt one is reported with the name it probably meant), each column's physical type must be able to
 * hold ciphertext, and a bounded type must be wide enough for the longest value of the column's declared plaintext
 * type ({@link CiphertextWidths}).
 */
final class DoctorSchemaChecks {

    private DoctorSchemaChecks() {
    }

    /** The configured schema, resolved against the database the connection is in. */
    static EncryptionSchema resolve(Connection connection, EnvelopeConfig config) throws SQLException {
        String current = connection.getSchema() != null ? connection.getSchema() : connection.getCatalog();
        EncryptionSchema schema = new EncryptionSchema(config, current, IdentifierCase.of(connection.getMetaData()));
        return schema.withFacts(CatalogFactsReader.read(connection, schema));
    }

    /** Checks every configured table and column; returns the configured tables that exist. */
    static List<EncryptedTable> checkConfiguration(Connection connection, EnvelopeConfig config,
                                                           EncryptionSchema schema, DoctorReport report)
            throws SQLException {
        Map<String, List<ConfigurationCheck.Problem>> problems = new HashMap<>();
        for (ConfigurationCheck.Problem p : ConfigurationCheck.check(connection, schema)) {
            problems.computeIfAbsent(p.table() + "\u0000" + p.column(), k -> new ArrayList<>()).add(p);
        }
        DatabaseMetaData meta = connection.getMetaData();
        List<EncryptedTable> existing = new ArrayList<>();
        for (EncryptedTable table : schema.tables()) {
            String subject = "table " + table.identity();
            Map<String, PhysicalColumn> physical = physicalColumns(meta, table);
            if (physical.isEmpty()) {
                report.problem(subject, "configured as tables." + table.configName() + " in " + config.origin()
                        + ", but it does not exist (or this user cannot see it)"
                        + Spelling.suggestion(table.name(), tablesOf(meta, table.schema()))
                        + ": create it, or correct its name in the configuration");
                continue;
            }
            existing.add(table);
            report.ok(subject, "exists, " + table.columns().size() + " encrypted column(s)");
            for (ConfigurationCheck.Problem p : problems.getOrDefault(table.identity() + "\u0000null", List.of())) {
                report.problem(subject, p.message());
            }
            for (EncryptedColumn column : table.columns()) {
                List<ConfigurationCheck.Problem> found = problems.getOrDefault(table.identity() + "\u0000"
                        + column.name(), List.of());
                if (!found.isEmpty()) {
                    for (ConfigurationCheck.Problem p : found) {
                        report.problem("column " + column.qualifiedName(), p.message());
                    }
                    continue;
                }
                checkWidth(column, physical.get(column.name()), report);
            }
        }
        // inheritance problems name a table that may not be configured itself
        problems.forEach((key, list) -> {
            if (key.endsWith("\u0000null") && schema.tableByIdentity(list.get(0).table()) == null) {
                list.forEach(p -> report.problem("table " + p.table(), p.message()));
            }
        });
        return existing;
    }

    /** The columns of the table as the database reports them, by name (empty: no such table, or not visible). */
    static Map<String, PhysicalColumn> physicalColumns(DatabaseMetaData meta, EncryptedTable table)
            throws SQLException {
        return TableLayout.read(meta, table.schema(), table.name()).columns();
    }

    private static List<String> tablesOf(DatabaseMetaData meta, String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        String[] types = {"TABLE", "PARTITIONED TABLE"};
        try (ResultSet rs = TableLayout.isMySqlFamily(meta) ? meta.getTables(schema, null, "%", types)
                : meta.getTables(null, escape(schema, meta.getSearchStringEscape()), "%", types)) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    private static String escape(String name, String escape) {
        if (name == null || escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    /**
     * The column's physical type against the longest value of its declared plaintext type: a bounded type too
     * narrow for it is a problem (writes of long values fail at the database, or worse, are cut by it); for text,
     * bytes and decimal without precision the longest plaintext that fits is reported.
     */
    private static void checkWidth(EncryptedColumn column, PhysicalColumn physical, DoctorReport report) {
        String subject = "column " + column.qualifiedName();
        ColumnConfig c = column.config();
        EncryptionMode mode = c.mode() == null ? EncryptionMode.RANDOMIZED : c.mode();
        PlaintextType type = c.type() == null ? PlaintextType.TEXT : c.type();
        String declared = mode.configName() + " " + type.configName()
                + (type == PlaintextType.DECIMAL ? "(" + (c.precision() == null ? "" : c.precision() + ", ")
                + "scale " + c.scale() + ")" : "") + (c.pad() > 0 ? ", pad " + c.pad() : "");
        boolean base64 = physical.storage() == ColumnStorage.BASE64_TEXT;
        if (physical.sqlType() == Types.CHAR || physical.sqlType() == Types.NCHAR) {
            report.problem(subject, physical.describe() + " pads shorter values with blanks, which are not base64:"
                    + " such values fail to decrypt; declare it as varchar, text or bytea");
            return;
        }
        long maxStored = CiphertextWidths.maxStoredBytes(c);
        String longest = maxStored == CiphertextWidths.UNBOUNDED ? null : maxStored + " bytes"
                + (base64 ? " (" + CiphertextWidths.base64Chars(maxStored) + " base64 characters)" : "");
        if (!physical.bounded()) {
            report.ok(subject, physical.describe() + " (" + (base64 ? "base64" : "raw bytes") + "), " + declared
                    + (longest == null ? "" : ", at most " + longest));
            return;
        }
        long capacity = physical.capacityBytes();
        String wide = base64 ? "varchar(" + CiphertextWidths.base64Chars(maxStored) + ")"
                : physical.typeName() + "(" + maxStored + ")";
        if (maxStored != CiphertextWidths.UNBOUNDED) {
            if (maxStored > capacity) {
                report.problem(subject, "too narrow: " + physical.describe() + " holds " + capacity + " bytes of"
                        + " ciphertext, but a " + declared + " value is stored as up to " + longest + "; widen it to "
                        + wide + " or wider (or " + (base64 ? "text" : "an unbounded binary type") + ")");
            } else {
                report.ok(subject, physical.describe() + ", " + declared + ", at most " + longest);
            }
            return;
        }
        long fits = CiphertextWidths.longestEncodedThatFits(mode, c.pad(), capacity);
        if (fits < 0) {
            report.problem(subject, "too narrow: " + physical.describe() + " cannot hold even an empty " + declared
                    + " value (" + CiphertextWidths.minStoredBytes(c) + " bytes stored); widen it (README, Column"
                    + " widths)");
            return;
        }
        String unit = switch (type) {
            case TEXT -> fits + " bytes of UTF-8";
            case BYTES -> fits + " bytes";
            default -> (fits - 4) + " bytes of unscaled value (declare precision to check it exactly)";
        };
        report.note(subject, physical.describe() + ", " + declared + ": holds values up to " + unit
                + "; a longer one is refused by the database (README, Column widths)");
    }
}
