package io.envelope.jdbc.cli;

import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.crypto.CiphertextWidths;
import io.envelope.jdbc.keys.KeyAdministration;
import io.envelope.jdbc.keys.KeyConnections;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.keys.KeyRow;
import io.envelope.jdbc.keys.StoredValueProbe;
import io.envelope.jdbc.kms.KmsProvider;
import io.envelope.jdbc.kms.KmsProviders;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.schema.PhysicalColumn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code doctor}: checks a deployment end to end and prints one line per check, then a summary; exit status 0 only
 * when no check found a problem. Read-only: it creates no key table and no key, and writes nothing.
 *
 * <ol>
 *   <li>the configuration against the database ({@link DoctorSchemaChecks}): every configured table and column exists (a misspelt one with the
 *       name it probably meant), each column's physical type can hold ciphertext, and is wide enough for the
 *       longest value of its declared plaintext type ({@link CiphertextWidths});</li>
 *   <li>the key table: where it is (schema-qualified), its owner, its layout; every key row unwraps through the KMS
 *       and, when the rows are authenticated, verifies;</li>
 *   <li>each configured table's values: per encrypted column, how many values name each key version (counted by the
 *       database: {@link ValueCensus}) — values under a version the key table lacks are a problem, plaintext values
 *       are a problem unless the column accepts plaintext —, and a bounded sample that must decrypt.</li>
 * </ol>
 * Never prints a value or key material: only names, versions, counts and error messages (which carry neither).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check a deployment end to end: the configuration against the database (tables, columns,"
                + " physical types, widths), the key table and every key row, values per key version and a sample"
                + " that must decrypt. Exit status 0 only when healthy.")
final class DoctorCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Option(names = "--sample", defaultValue = "100", paramLabel = "N",
            description = "Values decrypted per table: the first N rows the database returns (default ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--count-rows", paramLabel = "N",
            description = "Count values per key version over at most N rows per table (the first the database"
                    + " returns) instead of every row. Without it each encrypted column costs two sequential reads of"
                    + " its table.")
    Long countRows;

    /** What the key checks found out about one table identity's key rows. */
    private record TableKeys(Set<Integer> versions, Set<Integer> usable) {
    }

    @Override
    public Integer call() {
        DoctorReport report = new DoctorReport(System.out);
        EnvelopeConfig config;
        try {
            config = database.loadConfig();
        } catch (SQLException | RuntimeException e) {
            report.problem("config", EnvelopeCli.oneLine(e));
            return report.finish();
        }
        int columns = config.tables().values().stream().mapToInt(t -> t.columns().size()).sum();
        report.ok("config", config.origin() + ": " + config.tables().size() + " table(s), " + columns
                + " encrypted column(s), KMS provider " + config.kms().provider());
        try (Connection connection = database.openTarget()) {
            DatabaseMetaData meta = connection.getMetaData();
            report.ok("database", meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion()
                    + ", user " + meta.getUserName() + ", current schema "
                    // in MySQL and MariaDB the schema is the database, which JDBC calls the catalog
                    + (connection.getSchema() != null ? connection.getSchema() : connection.getCatalog()));
            EncryptionSchema schema = DoctorSchemaChecks.resolve(connection, config);
            List<EncryptedTable> existing = DoctorSchemaChecks.checkConfiguration(connection, config, schema, report);
            KmsProvider kms;
            try {
                kms = KmsProviders.create(config.kms());
            } catch (SQLException | RuntimeException e) {
                report.problem("kms", EnvelopeCli.oneLine(e) + " (key rows and values were not checked)");
                return report.finish();
            }
            try (kms; KeyRing ring = new KeyRing(config.keyTable(), config.createKeyTable(), config.keyTableOwner(),
                    kms, KeyConnections.direct(database::openTarget), StoredValueProbe.NONE, config.keyCacheTtl(),
                    Clock.systemUTC())) {
                report.ok("kms", kms.providerName() + ", master key " + kms.masterKeyId());
                Map<String, TableKeys> keys = checkKeys(ring, config, schema, report);
                if (keys == null) {
                    report.problem("values", "not checked: the key table cannot be used (above)");
                } else {
                    for (EncryptedTable table : existing) {
                        checkValues(connection, ring, table, keys.get(table.identity()), report);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            report.problem("database", EnvelopeCli.oneLine(e));
        }
        return report.finish();
    }

    // ---- 2. the key table and its rows ---------------------------------------------------------------------------

    /**
     * Checks the key table and every row in it; returns, per table identity, its versions and those that unwrap;
     * null when the key table cannot be used at all.
     */
    private static Map<String, TableKeys> checkKeys(KeyRing ring, EnvelopeConfig config, EncryptionSchema schema,
                                                    DoctorReport report) {
        KeyAdministration admin;
        KeyAdministration.KeyTableFacts facts;
        List<KeyRow> rows;
        try {
            admin = ring.administration();
            facts = admin.keyTable();
            rows = facts.present() ? ring.rows() : List.of();
        } catch (SQLException | RuntimeException e) {
            report.problem("key table " + config.keyTable(), EnvelopeCli.oneLine(e));
            return null;
        }
        String subject = "key table " + facts.qualified();
        if (!facts.present()) {
            if (config.createKeyTable()) {
                report.ok(subject, "does not exist yet: it is created with the first data key");
            } else {
                report.problem(subject, "does not exist and create-key-table is false: create it (README, The key"
                        + " table) or restore it from your key export (keys import --in FILE)");
            }
        } else {
            long tables = rows.stream().map(KeyRow::tableName).distinct().count();
            report.ok(subject, (facts.owner() == null ? "" : "owned by " + facts.owner() + " ("
                    + (config.keyTableOwner() != null ? "the configured key-table-owner" : "the connecting role or a"
                    + " role it is a member of") + "), ") + rows.size() + " key row(s) of " + tables + " table(s)");
            if (facts.authenticated()) {
                report.ok(subject, "key rows are authenticated (state_seq, state_mac)");
            } else {
                report.note(subject, "0.1.0 layout: key rows are not authenticated (a status or key changed in the"
                        + " database goes unnoticed); run keys upgrade once every process runs this version");
            }
        }
        Map<String, List<KeyRow>> byTable = new TreeMap<>();
        for (KeyRow row : rows) {
            byTable.computeIfAbsent(row.tableName(), t -> new ArrayList<>()).add(row);
        }
        Map<String, TableKeys> found = new HashMap<>();
        for (EncryptedTable table : schema.tables()) {
            found.put(table.identity(), new TableKeys(Set.of(), Set.of()));
        }
        for (Map.Entry<String, List<KeyRow>> entry : byTable.entrySet()) {
            found.put(entry.getKey(), checkRows(admin, entry.getKey(), entry.getValue(), facts.authenticated(),
                    schema.tableByIdentity(entry.getKey()) != null, report));
        }
        return found;
    }

    private static TableKeys checkRows(KeyAdministration admin, String table, List<KeyRow> rows,
                                       boolean authenticated, boolean configured, DoctorReport report) {
        String subject = "key rows " + table;
        Set<Integer> versions = new TreeSet<>();
        Set<Integer> usable = new TreeSet<>();
        for (KeyRow row : rows) {
            versions.add(row.keyVersion());
            String problem = admin.unwrapProblem(row);
            if (problem == null) {
                usable.add(row.keyVersion());
            } else {
                boolean notAllowed = problem.contains("kms.allowed-key-ids");
                report.problem(subject, "key version " + row.keyVersion() + " does not unwrap: " + problem
                        + ". Values under it cannot be read: " + (notAllowed ? "if the row names a KMS key that is"
                        + " right (a key you rotated away from), add it to kms.allowed-key-ids; otherwise restore"
                        + " this table's key rows" : "restore this table's key rows") + " from your key export"
                        + " (keys import --in FILE; README, Backups and disaster recovery)");
            }
        }
        String described = rows.stream().map(r -> r.keyVersion() + " " + r.status().dbValue())
                .collect(Collectors.joining(", "));
        if (!configured) {
            report.note(subject, "not a configured table (versions " + described + "); keep its rows while any"
                    + " backup holds its values");
        }
        if (usable.size() == rows.size()) {
            report.ok(subject, "versions " + described + ": every row unwraps");
        }
        if (authenticated) {
            KeyRow newest = rows.stream().max((a, b) -> Integer.compare(a.keyVersion(), b.keyVersion())).orElseThrow();
            if (!usable.contains(newest.keyVersion())) {
                report.note(subject, "authentication not checked: the newest version's key, which authenticates"
                        + " the rows, does not unwrap (above)");
            } else {
                try {
                    KeyAdministration.RowCheck check = admin.check(table);
                    if (check.ok()) {
                        report.ok(subject, "authenticated: every row verifies");
                    } else {
                        report.problem(subject, check.problem() + ". Such rows are refused by the driver: restore"
                                + " the rows from your key export (keys import), or, if the change was yours,"
                                + " re-authenticate them with keys upgrade");
                    }
                } catch (SQLException | RuntimeException e) {
                    report.problem(subject, "authentication cannot be checked: " + EnvelopeCli.oneLine(e));
                }
            }
        }
        return new TableKeys(versions, usable);
    }

    // ---- 3. values ------------------------------------------------------------------------------------------------

    private void checkValues(Connection connection, KeyRing ring, EncryptedTable table, TableKeys keys,
                             DoctorReport report) {
        if (keys == null) {
            keys = new TableKeys(Set.of(), Set.of());
        }
        Map<Integer, Long> tableVersions = new TreeMap<>();
        Map<EncryptedColumn, ColumnStorage> storages = new LinkedHashMap<>();
        Map<EncryptedColumn, ValueCensus.Counts> counts = new LinkedHashMap<>();
        try {
            Map<String, PhysicalColumn> physical =
                    DoctorSchemaChecks.physicalColumns(connection.getMetaData(), table);
            for (EncryptedColumn column : table.columns()) {
                PhysicalColumn p = physical.get(column.name());
                if (p == null || p.storage() == null) {
                    continue;   // reported with the configuration
                }
                storages.put(column, p.storage());
                ValueCensus.Counts n = ValueCensus.count(connection, table, column, p.storage(), countRows);
                counts.put(column, n);
                n.perVersion().forEach((v, k) -> tableVersions.merge(v, k, Long::sum));
            }
        } catch (SQLException | RuntimeException e) {
            report.problem("values " + table.identity(), "counting values per key version failed: "
                    + EnvelopeCli.oneLine(e));
            return;
        }
        String scope = countRows == null ? "" : " (in the first " + countRows + " rows)";
        if (keys.versions().isEmpty() && !tableVersions.isEmpty()) {
            long total = tableVersions.values().stream().mapToLong(Long::longValue).sum();
            report.problem("key rows " + table.identity(), "none, but " + total + " stored value(s)" + scope
                    + " name key version(s) " + tableVersions.keySet().stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ": the key table has lost this table's keys (restored"
                    + " without them, deleted, or key-table points at another table). Restore them from your key"
                    + " export: keys import --in FILE (README, Backups and disaster recovery)");
        } else if (keys.versions().isEmpty()) {
            report.ok("key rows " + table.identity(), "none yet, and no value in envelope format: the first write"
                    + " creates the key");
        }
        Map<EncryptedColumn, Sample> samples = sample(connection, ring, table, storages, keys, report);
        for (Map.Entry<EncryptedColumn, ValueCensus.Counts> entry : counts.entrySet()) {
            reportColumn(entry.getKey(), entry.getValue(), samples.get(entry.getKey()), keys, scope, report);
        }
    }

    private static void reportColumn(EncryptedColumn column, ValueCensus.Counts n, Sample sample, TableKeys keys,
                                     String scope, DoctorReport report) {
        String subject = "values " + column.qualifiedName();
        boolean healthy = true;
        if (!keys.versions().isEmpty()) {
            for (Map.Entry<Integer, Long> v : n.perVersion().entrySet()) {
                if (keys.versions().contains(v.getKey()) && !keys.usable().contains(v.getKey())) {
                    healthy = false;
                    report.problem(subject, v.getValue() + " value(s)" + scope + " under key version " + v.getKey()
                            + ", whose key row does not unwrap (above): they cannot be read until it is restored");
                } else if (!keys.versions().contains(v.getKey())) {
                    healthy = false;
                    report.problem(subject, v.getValue() + " value(s)" + scope + " under key version " + v.getKey()
                            + ", which the key table lacks (it has " + keys.versions() + "): if the row was lost,"
                            + " restore it from your key export (keys import --in FILE); if it was destroyed"
                            + " (keys destroy), those values are unreadable for good: set them to NULL or write them"
                            + " again");
                }
            }
        }
        if (n.notEnvelope() > 0) {
            if (column.config().acceptPlaintext()) {
                report.note(subject, n.notEnvelope() + " plaintext value(s) remain" + scope + " (accept-plaintext):"
                        + " encrypt them with migrate --table " + column.table().identity());
            } else {
                healthy = false;
                report.problem(subject, n.notEnvelope() + " value(s)" + scope + " not in envelope format (written"
                        + " around envelope-jdbc, or damaged): reading them fails. If the column still holds"
                        + " plaintext being migrated, set accept-plaintext: true and run migrate --table "
                        + column.table().identity() + "; verify --table lists the rows");
            }
        } else if (column.config().acceptPlaintext() && n.nonNull() > 0 && scope.isEmpty()) {
            report.note(subject, "no plaintext remains: remove accept-plaintext from the column's configuration");
        }
        if (sample != null && sample.failed > 0) {
            healthy = false;
            report.problem(subject, sample.failed + " of " + sample.tried + " sampled value(s) fail to decrypt"
                    + " (first: " + sample.firstFailure + "); verify --table " + column.table().identity()
                    + " lists every one");
        }
        if (healthy) {
            List<String> parts = new ArrayList<>();
            n.perVersion().forEach((v, k) -> parts.add(k + " under v" + v));
            if (n.notEnvelope() > 0) {
                parts.add(n.notEnvelope() + " plaintext");
            }
            String versions = parts.isEmpty() ? "none" : String.join(", ", parts);
            report.ok(subject, n.nonNull() + " non-null" + scope + ": " + versions
                    + (sample == null || sample.tried == 0 ? "" : "; " + sample.tried + " sampled value(s) decrypt"));
        }
    }

    /** What decrypting the sample of one column found. */
    private static final class Sample {
        int tried;
        int failed;
        String firstFailure;
    }

    /**
     * Decrypts the first {@link #sample} rows' values of every encrypted column, skipping values under versions that
     * are missing or do not unwrap (reported already). The plaintexts are dropped at once.
     */
    private Map<EncryptedColumn, Sample> sample(Connection connection, KeyRing ring, EncryptedTable table,
                                                Map<EncryptedColumn, ColumnStorage> storages, TableKeys keys,
                                                DoctorReport report) {
        Map<EncryptedColumn, Sample> samples = new LinkedHashMap<>();
        if (storages.isEmpty() || sample <= 0) {
            return samples;
        }
        List<EncryptedColumn> columns = new ArrayList<>(storages.keySet());
        try (Statement s = connection.createStatement()) {
            SqlText sqlText = SqlText.of(connection);
            String list = columns.stream().map(c -> sqlText.quote(c.name())).collect(Collectors.joining(", "));
            s.setMaxRows(sample);
            try (ResultSet rs = s.executeQuery("SELECT " + list + " FROM " + sqlText.qualified(table))) {
                while (rs.next()) {
                    for (int i = 0; i < columns.size(); i++) {
                        EncryptedColumn column = columns.get(i);
                        byte[] stored = storages.get(column) == ColumnStorage.BINARY ? rs.getBytes(i + 1)
                                : decode(rs.getString(i + 1));
                        if (stored == null || !column.cipher().isEnvelopeFormat(stored)) {
                            continue;   // NULL, or not in envelope format: counted by the census
                        }
                        int version = column.cipher().keyVersionOf(stored);
                        if (!keys.usable().contains(version)) {
                            continue;
                        }
                        Sample tally = samples.computeIfAbsent(column, c -> new Sample());
                        tally.tried++;
                        try {
                            column.cipher().decrypt(stored, ring.key(table.identity(), version));
                        } catch (SQLException e) {
                            tally.failed++;
                            if (tally.firstFailure == null) {
                                tally.firstFailure = EnvelopeCli.oneLine(e);
                            }
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            report.problem("values " + table.identity(), "reading the sample failed: " + EnvelopeCli.oneLine(e));
        }
        return samples;
    }

    /** A character column's base64; text that is not base64 gives an empty array (not in envelope format). */
    private static byte[] decode(String text) {
        if (text == null) {
            return null;
        }
        byte[] bytes = SqlText.decodeBase64(text);
        return bytes == null ? new byte[0] : bytes;
    }
}
