package io.envelope.jdbc.it;

import io.envelope.jdbc.driver.EnvelopeRuntimes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Per-table data keys in the key table, through the driver (see docs/format.md, Keys). */
class DataKeyIT {

    private static final String TABLES = """
              patients:
                columns:
                  mrn:  { mode: deterministic }
                  note: { mode: randomized }
              visits:
                columns:
                  note: { mode: randomized }
            """;

    @Test
    void eightConnectionsRacingOnAFreshTableLeaveOneKeyAndEveryRowReadable() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("keyrace", TABLES);
        db.executePlain("CREATE TABLE patients (id int PRIMARY KEY, mrn bytea, note bytea)");
        // each connection gets its own copy of the configuration file: a runtime of its own, as a separate
        // process would have, so only the database's primary key can make them agree
        int racers = 8;
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            Path copy = db.configFile().resolveSibling("racer-" + i + ".yaml");
            Files.copy(db.configFile(), copy);
            configs.add(copy);
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int id = i + 1;
                Path config = configs.get(i);
                results.add(pool.submit(() -> {
                    Properties properties = new Properties();
                    properties.setProperty("envelope.config", config.toString());
                    try (Connection c = DriverManager.getConnection(db.envelopeUrl(), properties);
                         PreparedStatement ps = c.prepareStatement(
                                 "INSERT INTO patients (id, mrn, note) VALUES (?, ?, ?)")) {
                        ps.setInt(1, id);
                        ps.setString(2, "MRN-" + id);
                        ps.setString(3, "note " + id);
                        start.await();
                        ps.executeUpdate();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.keyRows(db.schema() + ".patients")).isEqualTo(1);
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, mrn, note FROM patients ORDER BY id")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getString("mrn")).isEqualTo("MRN-" + rs.getInt("id"));
                assertThat(rs.getString("note")).isEqualTo("note " + rs.getInt("id"));
            }
            assertThat(rows).isEqualTo(racers);
        }
    }

    @Test
    void aWrappedKeyCopiedIntoAnotherTablesRowFailsToUnwrap() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("keycopy", TABLES);
        db.executePlain("CREATE TABLE patients (id int PRIMARY KEY, mrn bytea, note bytea)",
                "CREATE TABLE visits (id int PRIMARY KEY, note bytea)");
        insertPatient(db, 1);
        insertVisit(db, 1);
        db.executePlain("UPDATE " + db.keyTable() + " SET encrypted_key = (SELECT encrypted_key FROM "
                + db.keyTable() + " WHERE table_name = '" + db.schema() + ".patients')"
                + " WHERE table_name = '" + db.schema() + ".visits'");
        EnvelopeRuntimes.clear();
        Throwable failure = catchThrowable(() -> readVisitNote(db));
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains(db.schema() + ".visits");
    }

    @Test
    void aWrappedKeyCopiedIntoAnotherVersionsRowFailsToUnwrap() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("keyversion", TABLES);
        db.executePlain("CREATE TABLE patients (id int PRIMARY KEY, mrn bytea, note bytea)");
        insertPatient(db, 1);
        // a DBA adds "version 2" by copying version 1's wrapped key: randomized writes would use it
        db.executePlain("INSERT INTO " + db.keyTable() + " (table_name, key_version, kms_provider, kms_key_id,"
                + " encrypted_key, status, created_at) SELECT table_name, 2, kms_provider, kms_key_id, encrypted_key,"
                + " status, created_at FROM " + db.keyTable() + " WHERE key_version = 1");
        EnvelopeRuntimes.clear();
        Throwable failure = catchThrowable(() -> insertPatient(db, 2));
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains("patients");
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM patients")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing was written").isEqualTo(1);
        }
    }

    @Test
    void aKeyCreatedInsideARolledBackTransactionStaysAndDecrypts() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("keyrollback", TABLES);
        db.executePlain("CREATE TABLE visits (id int PRIMARY KEY, note bytea)");
        try (Connection inTransaction = db.connect(); Connection other = db.connect()) {
            inTransaction.setAutoCommit(false);
            try (PreparedStatement ps = inTransaction.prepareStatement("INSERT INTO visits (id, note) VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "rolled back");
                ps.executeUpdate();
            }
            // meanwhile another connection writes under the same (just created) key and commits
            try (PreparedStatement ps = other.prepareStatement("INSERT INTO visits (id, note) VALUES (?, ?)")) {
                ps.setInt(1, 2);
                ps.setString(2, "committed");
                ps.executeUpdate();
            }
            inTransaction.rollback();
        }
        assertThat(db.keyRows(db.schema() + ".visits")).isEqualTo(1);
        EnvelopeRuntimes.clear();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, note FROM visits")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getString(2)).isEqualTo("committed");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void theKeyRowRecordsProviderKeyIdAndStatus() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("keyrow", TABLES);
        db.executePlain("CREATE TABLE visits (id int PRIMARY KEY, note bytea)");
        insertVisit(db, 1);
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, key_version, kms_provider, kms_key_id, status,"
                     + " encrypted_key, created_at FROM " + db.keyTable())) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("table_name")).isEqualTo(db.schema() + ".visits");
            assertThat(rs.getInt("key_version")).isEqualTo(1);
            assertThat(rs.getString("kms_provider")).isEqualTo("local");
            assertThat(rs.getString("kms_key_id")).matches("local:[0-9a-f]{32}");
            assertThat(rs.getString("status")).isEqualTo("active");
            assertThat(rs.getBytes("encrypted_key").length).isGreaterThan(32);
            assertThat(rs.getTimestamp("created_at")).isNotNull();
            assertThat(rs.next()).isFalse();
        }
    }

    private static void insertPatient(EncryptedDatabase db, int id) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO patients (id, mrn, note) VALUES (?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, "MRN-" + id);
            ps.setString(3, "note " + id);
            ps.executeUpdate();
        }
    }

    private static void insertVisit(EncryptedDatabase db, int id) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO visits (id, note) VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, "visit " + id);
            ps.executeUpdate();
        }
    }

    private static String readVisitNote(EncryptedDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM visits")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
