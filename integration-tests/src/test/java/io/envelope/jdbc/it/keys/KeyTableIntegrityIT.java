package io.envelope.jdbc.it.keys;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import io.envelope.jdbc.kms.AuditCapture;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The key table against loss, tampering and shadowing (issue 10): a lost key table is never silently replaced by a
 * new key, a value under a version the key table lacks names the fix, a status set back by a raw UPDATE is refused
 * and audited while writes stay on the newest version, and a key table someone else owns in an earlier
 * search_path schema is never used.
 */
class KeyTableIntegrityIT {

    private static final String TABLES = """
              notes:
                columns:
                  body: { mode: randomized }
                  tag:  { mode: deterministic }
            """;

    private static EncryptedDatabase notes(String prefix) throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create(prefix, TABLES);
        db.executePlain("CREATE TABLE notes (id int PRIMARY KEY, body bytea, tag bytea)");
        return db;
    }

    private static void insert(Connection c, int id, String body, String tag) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, body, tag) VALUES (?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, body);
            ps.setString(3, tag);
            ps.executeUpdate();
        }
    }

    private static void insertBody(Connection c, int id, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, body) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, body);
            ps.executeUpdate();
        }
    }

    private static String body(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM notes WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static int versionOf(EncryptedDatabase db, int id) throws SQLException {
        byte[] stored = db.rawBytesOrText("notes", "body", id);
        return ((stored[2] & 0xff) << 24) | ((stored[3] & 0xff) << 16) | ((stored[4] & 0xff) << 8) | (stored[5] & 0xff);
    }

    private static long count(EncryptedDatabase db, String sql) throws SQLException {
        try (Connection c = db.plain(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void deletingATablesKeyRowsAndWritingAgainIsRefusedNothingIsWrittenAndTheErrorNamesTheFix() throws Exception {
        EncryptedDatabase db = notes("lostkeys");
        try (Connection c = db.connect()) {
            insert(c, 1, "first", "a");
        }
        db.executePlain("DELETE FROM " + db.keyTable());
        EnvelopeRuntimes.clear();   // a new process: nothing cached
        try (AuditCapture audit = AuditCapture.start(); Connection c = db.connect()) {
            Throwable refused = catchThrowable(() -> insert(c, 2, "second", "b"));
            assertThat(refused).isInstanceOf(SQLException.class);
            assertThat(refused.getMessage()).startsWith("envelope-jdbc: ").contains(db.schema() + ".notes")
                    .contains("lost").contains("keys import").contains("nothing was written");
            assertThat(audit.text()).contains("first data key refused").contains(db.schema() + ".notes");
        }
        assertThat(count(db, "SELECT count(*) FROM notes")).as("nothing written").isEqualTo(1);
        assertThat(db.keyRows(db.schema() + ".notes")).as("no new version 1 forked").isZero();
    }

    @Test
    void aValueUnderAVersionTheKeyTableLacksNamesTheTableTheVersionAndTheFix() throws Exception {
        EncryptedDatabase db = notes("missingversion");
        try (Connection c = db.connect()) {
            insert(c, 1, "first", "a");
        }
        db.executePlain("DELETE FROM " + db.keyTable());
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect()) {
            Throwable failure = catchThrowable(() -> body(c, 1));
            assertThat(failure.getMessage()).startsWith("envelope-jdbc: ").contains(db.schema() + ".notes")
                    .contains("no key version 1").contains("keys import --in");
        }
    }

    @Test
    void aStatusSetBackToActiveByARawUpdateIsRefusedAuditedAndWritesStayOnTheNewestVersion() throws Exception {
        EncryptedDatabase db = notes("rawstatus");
        try (Connection c = db.connect()) {
            insertBody(c, 1, "under v1");
        }
        io.envelope.jdbc.it.cli.Cli.run(db, "keys", "rotate", "--table", "notes");
        // version 1 retired through the driver (as reencrypt ends), then a DBA sets it back to active
        try (io.envelope.jdbc.keys.KeyRing admin = admin(db)) {
            admin.setStatus(db.schema() + ".notes", 1, io.envelope.jdbc.keys.KeyStatus.RETIRED);
        }
        db.executePlain("UPDATE " + db.keyTable() + " SET status = 'active' WHERE key_version = 1");

        for (int process = 0; process < 2; process++) {   // this process's runtime, then a fresh one
            EnvelopeRuntimes.clear();
            try (AuditCapture audit = AuditCapture.start(); Connection c = db.connect()) {
                insertBody(c, 10 + process, "after the tampering");
                assertThat(versionOf(db, 10 + process)).as("randomized writes stay on the newest version")
                        .isEqualTo(2);
                assertThat(body(c, 1)).isEqualTo("under v1");
                assertThat(audit.text()).contains("key rows refused").contains(db.schema() + ".notes")
                        .contains("key version 1").contains("does not verify");
            }
        }
    }

    @Test
    void aKeyTableCreatedByAnotherRoleInAnEarlierSearchPathSchemaIsNotUsed() throws Exception {
        String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String app = "envapp_" + suffix;
        String evil = "envevil_" + suffix;
        EncryptedDatabase db = EncryptedDatabase.create("shadow", TABLES);
        String evilSchema = db.schema() + "_evil";
        Path config = db.configFile();
        // the default, unqualified key table name
        Files.writeString(config, Files.readString(config).replace("key-table: " + db.keyTable() + "\n", ""));
        try {
            db.executePlain("CREATE ROLE " + app + " LOGIN", "CREATE ROLE " + evil + " LOGIN",
                    "GRANT USAGE, CREATE ON SCHEMA " + db.schema() + " TO " + app,
                    "CREATE SCHEMA " + evilSchema + " AUTHORIZATION " + evil,
                    "GRANT USAGE ON SCHEMA " + evilSchema + " TO " + app,
                    "CREATE TABLE " + db.schema() + ".notes (id int PRIMARY KEY, body bytea, tag bytea)",
                    "ALTER TABLE " + db.schema() + ".notes OWNER TO " + app,
                    "SET ROLE " + evil,
                    "CREATE TABLE " + evilSchema + ".envelope_data_keys (table_name varchar(255) NOT NULL,"
                            + " key_version integer NOT NULL, kms_provider varchar(32) NOT NULL, kms_key_id"
                            + " varchar(2048) NOT NULL, encrypted_key bytea NOT NULL, status varchar(16) NOT NULL,"
                            + " created_at timestamp NOT NULL, PRIMARY KEY (table_name, key_version))",
                    "GRANT ALL ON " + evilSchema + ".envelope_data_keys TO " + app,
                    "RESET ROLE");
            Properties properties = new Properties();
            properties.setProperty("envelope.config", config.toString());
            String url = TestDatabase.envelopeUrl().replace("user=postgres", "user=" + app)
                    + "&currentSchema=" + evilSchema + "," + db.schema();
            EnvelopeRuntimes.clear();
            Throwable refused = catchThrowable(() -> {
                try (Connection c = DriverManager.getConnection(url, properties)) {
                    insert(c, 1, "secret", "a");
                }
            });
            assertThat(refused).isInstanceOf(SQLException.class);
            assertThat(refused.getMessage()).startsWith("envelope-jdbc: key table \"" + evilSchema
                    + "\".envelope_data_keys is owned by role " + evil).contains("key-table-owner");
            assertThat(count(db, "SELECT count(*) FROM " + evilSchema + ".envelope_data_keys"))
                    .as("no key landed in the shadowing table").isZero();
            assertThat(count(db, "SELECT count(*) FROM " + db.schema() + ".notes")).isZero();
        } finally {
            EnvelopeRuntimes.clear();
            db.executePlain("DROP SCHEMA IF EXISTS " + evilSchema + " CASCADE",
                    "DROP SCHEMA IF EXISTS " + db.schema() + " CASCADE",
                    "DROP ROLE IF EXISTS " + app, "DROP ROLE IF EXISTS " + evil);
        }
    }

    static io.envelope.jdbc.keys.KeyRing admin(EncryptedDatabase db) throws Exception {
        byte[] master = java.util.Base64.getDecoder().decode(Files.readString(db.masterKeyFile()).trim());
        return new io.envelope.jdbc.keys.KeyRing(db.keyTable(), true,
                io.envelope.jdbc.kms.LocalKmsProvider.ofKey(master, "test"), db::plain,
                java.time.Duration.ofMinutes(10), java.time.Clock.systemUTC());
    }
}
