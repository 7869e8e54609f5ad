package io.envelope.jdbc.schema;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.config.Spelling;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration checked against the database: every configured column of every existing configured table
 * exists and can hold ciphertext, and no two configured tables share an inheritance tree. A configured column
 * that the table does not have (a typo such as {@code emial}) would otherwise leave the real column unencrypted
 * without a word, so it is an error; a configured table that does not exist yet (the application's migrations
 * create it later) is only a warning, and is checked again when the driver first reads its layout.
 *
 * <p>One class for every caller: the driver runs it when a connection opens (once per runtime and schema) and on
 * every layout it reads of a configured table; the command line ({@code verify}, {@code keys}, {@code doctor})
 * reports the same problems.
 */
public final class ConfigurationCheck {

    /** How bad a problem is: an error stops the driver from connecting; a warning is logged. */
    public enum Severity { ERROR, WARNING }

    /**
     * One thing wrong with the configuration in this database.
     *
     * @param severity how bad it is
     * @param table    the configured table's identity
     * @param column   the configured column, or null for a problem of the whole table
     * @param message  what is wrong and what to do, without the {@code envelope-jdbc:} prefix
     */
    public record Problem(Severity severity, String table, String column, String message) {
        public boolean isError() {
            return severity == Severity.ERROR;
        }
    }

    private ConfigurationCheck() {
    }

    /**
     * Everything this class checks, for a command that has a plain connection and the configuration ({@code
     * doctor}, {@code verify}, {@code keys}): unqualified configured names are resolved against the connection's
     * current schema, and the catalog facts (partitions, inheritance) are read first.
     */
    public static List<Problem> check(Connection connection, EnvelopeConfig config) throws SQLException {
        String current = connection.getSchema() != null ? connection.getSchema() : connection.getCatalog();
        EncryptionSchema tables = new EncryptionSchema(config, current,
                IdentifierCase.of(connection.getMetaData()));
        return check(connection, tables.withFacts(CatalogFactsReader.read(connection, tables)));
    }

    /**
     * Checks every configured table of {@code schema}: one metadata round trip per configured table.
     *
     * @param connection a target connection (the driver's own, or the command line's plain one)
     * @param schema     the configured tables, resolved, with the catalog facts read for them
     */
    public static List<Problem> check(Connection connection, EncryptionSchema schema) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        List<Problem> problems = new ArrayList<>();
        for (EncryptedTable table : schema.tables()) {
            problems.addAll(check(table, TableLayout.read(metaData, table.schema(), table.name())));
        }
        problems.addAll(inheritance(schema));
        return problems;
    }

    /**
     * The problems of one configured table given its layout: a warning when it does not exist, an error for each
     * configured column that it lacks (with the closest real column's name when one is close) or that cannot
     * hold ciphertext.
     */
    public static List<Problem> check(EncryptedTable table, TableLayout layout) {
        if (!layout.exists()) {
            return List.of(new Problem(Severity.WARNING, table.identity(), null, "configured table "
                    + table.identity() + " does not exist (or this user cannot see it); it is checked again when "
                    + "a statement first uses it"));
        }
        List<Problem> problems = new ArrayList<>();
        for (EncryptedColumn column : table.columns()) {
            PhysicalColumn physical = layout.column(column.name());
            if (physical == null) {
                problems.add(new Problem(Severity.ERROR, table.identity(), column.name(), "configured column "
                        + column.qualifiedName() + " does not exist in the table"
                        + Spelling.suggestion(column.name(), unconfigured(table, layout))
                        + "; correct tables." + configKey(table) + ".columns in the configuration (values written "
                        + "to a misspelt column's real name would not be encrypted)"));
            } else if (physical.storage() == null) {
                problems.add(new Problem(Severity.ERROR, table.identity(), column.name(), "encrypted column "
                        + column.qualifiedName() + " has type " + physical.describe() + ", which cannot "
                        + "hold ciphertext; declare it as bytea/varbinary/blob (raw bytes) or text/varchar (base64)"));
            }
        }
        return problems;
    }

    /** Two configured tables in one inheritance tree: neither has one identity for its rows. */
    private static List<Problem> inheritance(EncryptionSchema schema) {
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<Relation, List<String>> child : schema.facts().descendants().entrySet()) {
            EncryptedTable configuredChild = schema.tableByIdentity(child.getKey().identity());
            if (configuredChild != null || child.getValue().size() > 1) {
                problems.add(new Problem(Severity.ERROR, child.getKey().identity(), null,
                        schema.refusal(child.getKey().schema(), child.getKey().name())));
            }
        }
        return problems;
    }

    /** The table's columns that are not configured: the likely meant names of a misspelt configured column. */
    private static List<String> unconfigured(EncryptedTable table, TableLayout layout) {
        List<String> names = new ArrayList<>();
        for (String name : layout.columnNames()) {
            if (table.column(name) == null) {
                names.add(name);
            }
        }
        return names;
    }

    /** The table as the configuration file names it, for the key path in messages. */
    private static String configKey(EncryptedTable table) {
        return table.configName();
    }
}
