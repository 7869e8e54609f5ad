package io.envelope.jdbc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code demo}: the whole story with no setup. Generates a local master key, writes a config, creates a table,
 * writes rows through {@code jdbc:envelope:} and shows, side by side, what the application reads, what the
 * database stores, and the key table. {@code --url} runs it against a real database instead of embedded H2.
 *
 * <p>It leaves nothing behind: the demo table and its key table live in a schema of their own, dropped at the end
 * (so the demo never writes into the target schema's real key table), and the throw-away master key and config are
 * deleted when the demo ends, also when it fails or the JVM is stopped. {@code --keep} keeps the schema and says
 * how to remove it. On MariaDB and MySQL a schema is a database: the demo's is a database of its own.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show transparent encryption end to end (embedded H2 and a fresh local master key by default)."
                + " Runs in a schema of its own and removes it, and its key files, when it ends.")
final class DemoCommand implements Callable<Integer> {

    private static final String TABLE_NAME = "envelope_demo_customers";
    private static final String KEY_TABLE_NAME = "envelope_data_keys";

    @Option(names = "--url", description = "Target database URL (jdbc:postgresql://..., jdbc:mariadb://... or"
            + " jdbc:envelope:...). Default: an embedded in-memory H2 database.")
    private String url;

    @Option(names = "--user", description = "Database user.")
    private String user;

    @Option(names = "--password", description = "Database password.", interactive = false)
    private String password;

    @Option(names = "--keep", description = "Keep the demo's schema (table and key table) at the end; the master"
            + " key is deleted all the same, so its values can no longer be read.")
    private boolean keep;

    private final PrintStream out = System.out;

    /** The demo's own schema: a fresh name per run, so a run never meets an earlier run's rows or keys. */
    private final String schema = "envelope_demo_" + HexFormat.of().formatHex(randomBytes(4));
    private final String table = schema + "." + TABLE_NAME;
    private final String keyTable = schema + "." + KEY_TABLE_NAME;
    /** The statement that removes the demo's schema, and the one that bounds its wait for locks (set with it). */
    private String drop = "DROP SCHEMA " + schema + " CASCADE";
    private String lockTimeout;

    @Override
    public Integer call() throws Exception {
        String targetUrl = targetUrl();
        Path workDir = Files.createTempDirectory("envelope-demo");
        Path masterKey = workDir.resolve("master.key");
        Path config = workDir.resolve("envelope.yaml");
        // deleteOnExit runs in reverse order of registration: the files first, then their folder; it covers a
        // demo stopped with Ctrl-C, the finally block below every other ending
        workDir.toFile().deleteOnExit();
        masterKey.toFile().deleteOnExit();
        config.toFile().deleteOnExit();
        boolean schemaCreated = false;
        try {
            Files.writeString(masterKey, Base64.getEncoder().encodeToString(randomBytes(32)) + "\n",
                    StandardCharsets.US_ASCII);
            restrictToOwner(masterKey);
            Files.writeString(config, """
                    version: 1
                    kms:
                      provider: local
                      master-key-file: %s
                    key-table: %s
                    tables:
                      %s:
                        columns:
                          email:      { mode: deterministic }
                          ssn:        { mode: deterministic }
                          note:       { mode: randomized, pad: 16 }
                          birth_date: { mode: randomized, type: date }
                    """.formatted(masterKey, keyTable, table));

            out.println("envelope-jdbc demo");
            out.println("  database:   " + (url == null ? "embedded H2 (in memory)" : withoutQuery(targetUrl)));
            out.println("  schema:     " + schema + " (the demo's own; " + (keep ? "kept at the end" : "dropped at the end")
                    + ")");
            out.println("  master key: a fresh local key in " + masterKey + " (kms.provider: local; deleted at the end)");
            out.println("  config:     " + config);
            out.println();

            try (Connection plain = DriverManager.getConnection(targetUrl, user, password)) {
                prepareSchema(plain);
                schemaCreated = true;
            }

            String envelopeUrl = "jdbc:envelope:" + targetUrl.substring("jdbc:".length());
            Properties properties = new Properties();
            properties.setProperty("envelope.config", config.toString());
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            try (Connection app = DriverManager.getConnection(envelopeUrl, properties)) {
                writeRows(app);
                showApplicationView(app);
                showLookup(app);
                showRefusal(app);
            }
            try (Connection plain = DriverManager.getConnection(targetUrl, user, password)) {
                showDatabaseView(plain);
                showKeyTable(plain);
            }
            out.println();
            out.println("The application read plaintext; the database holds only ciphertext; the key table holds only"
                    + " the wrapped data key.");
            return 0;
        } finally {
            if (schemaCreated) {
                cleanUp(targetUrl);
            }
            deleteQuietly(masterKey);
            deleteQuietly(config);
            deleteQuietly(workDir);
        }
    }

    private String targetUrl() {
        if (url == null) {
            return "jdbc:h2:mem:envelope-demo;DB_CLOSE_DELAY=-1";
        }
        return url.startsWith("jdbc:envelope:") ? "jdbc:" + url.substring("jdbc:envelope:".length()) : url;
    }

    /** The demo's schema and table; the key table is created in the same schema on the first encrypted write. */
    private void prepareSchema(Connection plain) throws SQLException {
        SqlText sqlText = SqlText.of(plain);
        String binary = sqlText.postgres() ? "bytea" : "varbinary(1024)";
        String text = sqlText.postgres() || sqlText.mySqlFamily() ? "text" : "varchar(1024)";
        if (sqlText.postgres()) {
            lockTimeout = "SET lock_timeout = '10s'";
        } else if (sqlText.mySqlFamily()) {
            // no DROP SCHEMA ... CASCADE there: dropping a database (a schema) drops its tables
            drop = "DROP DATABASE " + schema;
            lockTimeout = "SET SESSION lock_wait_timeout = 10";
        }
        try (Statement s = plain.createStatement()) {
            try {
                s.execute("CREATE SCHEMA " + schema); // in MariaDB and MySQL: CREATE DATABASE
            } catch (SQLException e) {
                throw new SQLException("envelope-jdbc: demo: cannot create the demo's own schema " + schema
                        + " (the demo runs there so it never touches the target schema's tables or key table;"
                        + (sqlText.mySqlFamily() ? " the user needs the global CREATE privilege, to create a database)"
                        : " the user needs the CREATE privilege on the database)") + ": " + e.getMessage(), e);
            }
            s.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, name varchar(100),"
                    + " email " + text + ", ssn " + binary + ", note " + binary + ", birth_date " + binary + ")");
        }
    }

    /** Drops the demo's schema, or says exactly what is left and how to remove it. */
    private void cleanUp(String targetUrl) {
        out.println();
        if (keep) {
            out.println("Kept schema " + schema + " (table " + table + ", key table " + keyTable + "); its master"
                    + " key is deleted, so its values can no longer be decrypted. Remove it with: " + drop);
            return;
        }
        try (Connection plain = DriverManager.getConnection(targetUrl, user, password);
             Statement s = plain.createStatement()) {
            // never hang on a lock another session holds
            if (lockTimeout != null) {
                s.execute(lockTimeout);
            }
            s.execute(drop);
            out.println("Removed the demo's schema " + schema + " (its table and key table) and its master key.");
        } catch (SQLException e) {
            out.println("Could not remove the demo's schema " + schema + " (" + e.getMessage() + "). Left behind:"
                    + " table " + table + " and key table " + keyTable + ", under a master key that is deleted."
                    + " Remove them with: " + drop);
        }
    }

    private void writeRows(Connection app) throws SQLException {
        String insert = "INSERT INTO " + table + " (id, name, email, ssn, note, birth_date) VALUES (?, ?, ?, ?, ?, ?)";
        Object[][] rows = {
                {1, "Ada Lovelace", "ada@example.com", "123-45-6789", "prefers email", LocalDate.of(1815, 12, 10)},
                {2, "Alan Turing", "alan@example.com", "987-65-4321", "call after 5pm", LocalDate.of(1912, 6, 23)},
                {3, "Grace Hopper", "grace@example.com", "555-12-3456", "", LocalDate.of(1906, 12, 9)},
        };
        try (PreparedStatement ps = app.prepareStatement(insert)) {
            for (Object[] row : rows) {
                ps.setInt(1, (Integer) row[0]);
                ps.setString(2, (String) row[1]);
                ps.setString(3, (String) row[2]);
                ps.setString(4, (String) row[3]);
                ps.setString(5, (String) row[4]);
                ps.setDate(6, Date.valueOf((LocalDate) row[5]));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        out.println("Wrote " + rows.length + " rows through jdbc:envelope: (a JDBC batch of plain setString/setDate calls).");
        out.println();
    }

    private void showApplicationView(Connection app) throws SQLException {
        out.println("What the application reads (SELECT through jdbc:envelope:):");
        List<String[]> shown = new ArrayList<>();
        shown.add(new String[] {"id", "name", "email", "ssn", "note", "birth_date"});
        try (Statement s = app.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn, note, birth_date FROM " + table
                     + " ORDER BY id")) {
            while (rs.next()) {
                shown.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        "'" + rs.getString(5) + "'", String.valueOf(rs.getObject(6, LocalDate.class))});
            }
        }
        TextTable.print(out, shown);
        out.println();
    }

    private void showLookup(Connection app) throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("SELECT c.name FROM " + table + " c WHERE c.email = ?")) {
            ps.setString(1, "grace@example.com");
            try (ResultSet rs = ps.executeQuery()) {
                out.println("Equality lookup on the deterministic column: WHERE email = 'grace@example.com' -> "
                        + (rs.next() ? rs.getString(1) : "(no row)"));
            }
        }
    }

    private void showRefusal(Connection app) {
        try (Statement s = app.createStatement()) {
            s.executeQuery("SELECT id FROM " + table + " ORDER BY email");
            out.println("ORDER BY email was NOT refused (unexpected)");
        } catch (SQLException e) {
            out.println("ORDER BY on an encrypted column is refused before it is sent:");
            out.println("  " + e.getMessage());
        }
        out.println();
    }

    private void showDatabaseView(Connection plain) throws SQLException {
        out.println("What the database stores (the same rows read with the plain driver):");
        List<String[]> shown = new ArrayList<>();
        shown.add(new String[] {"id", "name", "email (text: base64)", "ssn (binary)", "note (binary)",
                "birth_date (binary)"});
        try (Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn, note, birth_date FROM " + table
                     + " ORDER BY id")) {
            while (rs.next()) {
                String email = rs.getString(3);
                shown.add(new String[] {rs.getString(1), rs.getString(2),
                        email == null ? "NULL" : abbreviate(email) + " (" + email.length() + " chars)",
                        hex(rs.getBytes(4)), hex(rs.getBytes(5)), hex(rs.getBytes(6))});
            }
        }
        TextTable.print(out, shown);
        out.println();
    }

    private void showKeyTable(Connection plain) throws SQLException {
        out.println("The key table " + keyTable + " (one wrapped data key per table; the plaintext key is only"
                + " in the application's memory):");
        List<String[]> shown = new ArrayList<>();
        shown.add(new String[] {"table_name", "key_version", "kms_provider", "kms_key_id", "status",
                "encrypted_key"});
        try (Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, key_version, kms_provider, kms_key_id, status,"
                     + " encrypted_key FROM " + keyTable + " ORDER BY table_name, key_version")) {
            while (rs.next()) {
                byte[] wrapped = rs.getBytes(6);
                shown.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), wrapped.length + " bytes, wrapped"});
            }
        }
        TextTable.print(out, shown);
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "NULL" : abbreviate(HexFormat.of().formatHex(bytes)) + " (" + bytes.length + " B)";
    }

    /** The start (format header) and the end (ciphertext and tag) of a stored value. */
    private static String abbreviate(String text) {
        return text.length() <= 28 ? text : text.substring(0, 12) + "…" + text.substring(text.length() - 12);
    }

    private static String withoutQuery(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // deleteOnExit tries again when the JVM ends
        }
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (Exception notPosix) {
            // best effort on non-POSIX file systems; the key is a throwaway demo key
        }
    }
}
