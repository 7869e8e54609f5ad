package io.envelope.jdbc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
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
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code demo}: the whole story with no setup. Generates a local master key, writes a config, creates a table,
 * writes rows through {@code jdbc:envelope:} and shows, side by side, what the application reads, what the
 * database stores, and the key table. {@code --url} runs it against a real database instead of embedded H2.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show transparent encryption end to end (embedded H2 and a fresh local master key by default).")
final class DemoCommand implements Callable<Integer> {

    private static final String TABLE = "envelope_demo_customers";
    private static final String KEY_TABLE = "envelope_data_keys";

    @Option(names = "--url", description = "Target database URL (jdbc:postgresql://... or jdbc:envelope:...)."
            + " Default: an embedded in-memory H2 database.")
    private String url;

    @Option(names = "--user", description = "Database user.")
    private String user;

    @Option(names = "--password", description = "Database password.", interactive = false)
    private String password;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        String targetUrl = targetUrl();
        Path workDir = Files.createTempDirectory("envelope-demo");
        Path masterKey = workDir.resolve("master.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(masterKey, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        restrictToOwner(masterKey);
        Path config = workDir.resolve("envelope.yaml");
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
                """.formatted(masterKey, KEY_TABLE, TABLE));

        out.println("envelope-jdbc demo");
        out.println("  database:   " + (url == null ? "embedded H2 (in memory)" : withoutQuery(targetUrl)));
        out.println("  master key: a fresh local key in " + masterKey + " (kms.provider: local)");
        out.println("  config:     " + config);
        out.println();

        try (Connection plain = DriverManager.getConnection(targetUrl, user, password)) {
            prepareSchema(plain);
        }

        String envelopeUrl = "jdbc:envelope:" + targetUrl.substring("jdbc:".length());
        java.util.Properties properties = new java.util.Properties();
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
    }

    private String targetUrl() {
        if (url == null) {
            return "jdbc:h2:mem:envelope-demo;DB_CLOSE_DELAY=-1";
        }
        return url.startsWith("jdbc:envelope:") ? "jdbc:" + url.substring("jdbc:envelope:".length()) : url;
    }

    /** Creates the demo table afresh and forgets earlier demo keys (they were wrapped under another master key). */
    private void prepareSchema(Connection plain) throws SQLException {
        boolean postgres = isPostgres(plain.getMetaData());
        String binary = postgres ? "bytea" : "varbinary(1024)";
        String text = postgres ? "text" : "varchar(1024)";
        try (Statement s = plain.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " (id integer PRIMARY KEY, name varchar(100),"
                    + " email " + text + ", ssn " + binary + ", note " + binary + ", birth_date " + binary + ")");
            if (tableExists(plain.getMetaData(), plain.getSchema(), KEY_TABLE)) {
                s.execute("DELETE FROM " + KEY_TABLE + " WHERE lower(table_name) LIKE '%." + TABLE + "'");
            }
        }
    }

    private void writeRows(Connection app) throws SQLException {
        String insert = "INSERT INTO " + TABLE + " (id, name, email, ssn, note, birth_date) VALUES (?, ?, ?, ?, ?, ?)";
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
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"id", "name", "email", "ssn", "note", "birth_date"});
        try (Statement s = app.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn, note, birth_date FROM " + TABLE
                     + " ORDER BY id")) {
            while (rs.next()) {
                table.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        "'" + rs.getString(5) + "'", String.valueOf(rs.getObject(6, LocalDate.class))});
            }
        }
        TextTable.print(out, table);
        out.println();
    }

    private void showLookup(Connection app) throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("SELECT c.name FROM " + TABLE + " c WHERE c.email = ?")) {
            ps.setString(1, "grace@example.com");
            try (ResultSet rs = ps.executeQuery()) {
                out.println("Equality lookup on the deterministic column: WHERE email = 'grace@example.com' -> "
                        + (rs.next() ? rs.getString(1) : "(no row)"));
            }
        }
    }

    private void showRefusal(Connection app) {
        try (Statement s = app.createStatement()) {
            s.executeQuery("SELECT id FROM " + TABLE + " ORDER BY email");
            out.println("ORDER BY email was NOT refused (unexpected)");
        } catch (SQLException e) {
            out.println("ORDER BY on an encrypted column is refused before it is sent:");
            out.println("  " + e.getMessage());
        }
        out.println();
    }

    private void showDatabaseView(Connection plain) throws SQLException {
        out.println("What the database stores (the same rows read with the plain driver):");
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"id", "name", "email (text: base64)", "ssn (binary)", "note (binary)",
                "birth_date (binary)"});
        try (Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, email, ssn, note, birth_date FROM " + TABLE
                     + " ORDER BY id")) {
            while (rs.next()) {
                String email = rs.getString(3);
                table.add(new String[] {rs.getString(1), rs.getString(2),
                        email == null ? "NULL" : abbreviate(email) + " (" + email.length() + " chars)",
                        hex(rs.getBytes(4)), hex(rs.getBytes(5)), hex(rs.getBytes(6))});
            }
        }
        TextTable.print(out, table);
        out.println();
    }

    private void showKeyTable(Connection plain) throws SQLException {
        out.println("The key table " + KEY_TABLE + " (one wrapped data key per table; the plaintext key is only"
                + " in the application's memory):");
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"table_name", "key_version", "kms_provider", "kms_key_id", "status",
                "encrypted_key"});
        try (Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, key_version, kms_provider, kms_key_id, status,"
                     + " encrypted_key FROM " + KEY_TABLE + " ORDER BY table_name, key_version")) {
            while (rs.next()) {
                byte[] wrapped = rs.getBytes(6);
                table.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), wrapped.length + " bytes, wrapped"});
            }
        }
        TextTable.print(out, table);
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "NULL" : abbreviate(HexFormat.of().formatHex(bytes)) + " (" + bytes.length + " B)";
    }

    /** The start (format header) and the end (ciphertext and tag) of a stored value. */
    private static String abbreviate(String text) {
        return text.length() <= 28 ? text : text.substring(0, 12) + "…" + text.substring(text.length() - 12);
    }

    private static boolean isPostgres(DatabaseMetaData metaData) throws SQLException {
        return metaData.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    /** Whether the table exists in the connection's current schema (where the unqualified name resolves). */
    private static boolean tableExists(DatabaseMetaData metaData, String schema, String table) throws SQLException {
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = metaData.getTables(null, schema, name, null)) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String withoutQuery(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (Exception notPosix) {
            // best effort on non-POSIX file systems; the key is a throwaway demo key
        }
    }
}
