package io.envelope.jdbc.it.conformance;

import io.envelope.jdbc.driver.EnvelopeConnection;
import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDBC corners frameworks rely on, with encrypted columns: generated keys, clearParameters and re-execution,
 * batches with mixed NULLs, savepoints, LOBs and streams, metadata, wrapper access, isValid, abort and network
 * timeouts.
 */
class JdbcBehaviourIT {

    private static EncryptedDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        db = EncryptedDatabase.create("behaviour", """
                  people:
                    columns:
                      email: { mode: deterministic }
                      born:  { type: date }
                      photo: { type: bytes }
                      bio:   { mode: randomized }
                """);
        db.executePlain("CREATE TABLE people (id serial PRIMARY KEY, email bytea, born bytea, photo bytea, bio text)",
                "CREATE TABLE plain_people (id serial PRIMARY KEY, email text, born date, photo bytea, bio text)");
    }

    @Test
    void generatedKeysAreDecrypted() throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO people (email, born) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "keys@example.com");
            ps.setObject(2, LocalDate.of(2000, 1, 2));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {   // pgJDBC appends RETURNING *
                assertThat(keys.next()).isTrue();
                assertThat(keys.getInt("id")).isPositive();
                assertThat(keys.getString("email")).isEqualTo("keys@example.com");
                assertThat(keys.getObject("born", LocalDate.class)).isEqualTo(LocalDate.of(2000, 1, 2));
                assertThat(keys.getStatement()).isSameAs(ps);
            }
        }
    }

    @Test
    void clearParametersReExecutionAndBatchesWithMixedNulls() throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO people (email, born, bio) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 6; i++) {
                    ps.setString(1, "batch" + i + "@example.com");
                    if (i % 2 == 0) {
                        ps.setNull(2, Types.DATE);
                    } else {
                        ps.setObject(2, LocalDate.of(1990, 1, 1 + i));
                    }
                    if (i % 3 == 0) {
                        ps.setNull(3, Types.VARCHAR);
                    } else {
                        ps.setString(3, "bio " + i);
                    }
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(6).containsOnly(1);
                ps.clearParameters();
                assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class);   // nothing bound
            }
            c.commit();
            try (PreparedStatement ps = c.prepareStatement("SELECT born, bio FROM people WHERE email = ?")) {
                for (int i = 0; i < 6; i++) {   // one statement, re-executed with new parameters
                    ps.setString(1, "batch" + i + "@example.com");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getObject(1, LocalDate.class))
                                .isEqualTo(i % 2 == 0 ? null : LocalDate.of(1990, 1, 1 + i));
                        assertThat(rs.getString(2)).isEqualTo(i % 3 == 0 ? null : "bio " + i);
                    }
                }
            }
            c.commit();
        }
    }

    @Test
    void savepointsRollBackEncryptedWrites() throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people (email) VALUES (?)")) {
                ps.setString(1, "kept@example.com");
                ps.executeUpdate();
                Savepoint sp = c.setSavepoint("before");
                ps.setString(1, "undone@example.com");
                ps.executeUpdate();
                c.rollback(sp);
                c.releaseSavepoint(c.setSavepoint());
            }
            c.commit();
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM people WHERE email IN (?, ?)")) {
                ps.setString(1, "kept@example.com");
                ps.setString(2, "undone@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            c.commit();
        }
    }

    @Test
    void streamsAndLobsAreReadWholeAndComeBackAsLobs() throws Exception {
        byte[] photo = new byte[100_000];
        new java.util.Random(1).nextBytes(photo);
        String bio = "x".repeat(50_000) + "é";
        try (Connection c = db.connect()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO people (email, photo, bio) VALUES (?, ?, ?)")) {
                ps.setString(1, "lob@example.com");
                ps.setBinaryStream(2, new ByteArrayInputStream(photo));
                ps.setCharacterStream(3, new StringReader(bio));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT photo, bio FROM people WHERE email = ?")) {
                ps.setString(1, "lob@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBinaryStream(1).readAllBytes()).isEqualTo(photo);
                    Blob blob = rs.getBlob(1);
                    assertThat(blob.getBytes(1, (int) blob.length())).isEqualTo(photo);
                    Clob clob = rs.getClob(2);
                    assertThat(clob.getSubString(1, (int) clob.length())).isEqualTo(bio);
                }
            }
        }
    }

    @Test
    void metadataDescribesEncryptedColumnsAsThePlaintextTwin() throws Exception {
        String[] columns = {"email", "born", "photo", "bio"};
        try (Connection c = db.connect(); Connection plain = db.plain();
             Statement ws = c.createStatement(); Statement ps = plain.createStatement();
             ResultSet w = ws.executeQuery("SELECT email, born, photo, bio FROM people LIMIT 0");
             ResultSet p = ps.executeQuery("SELECT email, born, photo, bio FROM plain_people LIMIT 0")) {
            ResultSetMetaData wm = w.getMetaData();
            ResultSetMetaData pm = p.getMetaData();
            for (int i = 1; i <= columns.length; i++) {
                String what = columns[i - 1];
                assertThat(wm.getColumnType(i)).as(what).isEqualTo(pm.getColumnType(i));
                assertThat(wm.getColumnTypeName(i)).as(what).isEqualTo(pm.getColumnTypeName(i));
                assertThat(wm.getColumnClassName(i)).as(what).isEqualTo(pm.getColumnClassName(i));
                assertThat(wm.getPrecision(i)).as(what).isEqualTo(pm.getPrecision(i));
                assertThat(wm.getScale(i)).as(what).isEqualTo(pm.getScale(i));
                assertThat(wm.isSigned(i)).as(what).isEqualTo(pm.isSigned(i));
                assertThat(wm.getColumnLabel(i)).as(what).isEqualTo(pm.getColumnLabel(i));
            }
        }
        try (Connection c = db.connect(); Connection plain = db.plain();
             PreparedStatement w = c.prepareStatement("INSERT INTO people (email, born, photo) VALUES (?, ?, ?)");
             PreparedStatement p = plain.prepareStatement(
                     "INSERT INTO plain_people (email, born, photo) VALUES (?, ?, ?)")) {
            ParameterMetaData wm = w.getParameterMetaData();
            ParameterMetaData pm = p.getParameterMetaData();
            assertThat(wm.getParameterCount()).isEqualTo(3);
            for (int i = 1; i <= 3; i++) {
                assertThat(wm.getParameterType(i)).as("parameter %d", i).isEqualTo(pm.getParameterType(i));
                assertThat(wm.getParameterTypeName(i)).as("parameter %d", i).isEqualTo(pm.getParameterTypeName(i));
            }
        }
    }

    @Test
    void wrapperAccessValidityAbortAndNetworkTimeout() throws Exception {
        Connection c = db.connect();
        assertThat(c.isWrapperFor(EnvelopeConnection.class)).isTrue();
        assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
        assertThat(c.unwrap(PGConnection.class)).isNotNull().isNotSameAs(c);
        assertThat(c.unwrap(Connection.class)).isSameAs(c);
        assertThat(c.isValid(2)).isTrue();
        c.setNetworkTimeout(Executors.newSingleThreadExecutor(), 5_000);
        assertThat(c.getNetworkTimeout()).isEqualTo(5_000);
        try (PreparedStatement ps = c.prepareStatement("SELECT email FROM people WHERE email = ?")) {
            assertThat(ps.unwrap(org.postgresql.PGStatement.class)).isNotNull();
            assertThat(ps.getConnection()).isSameAs(c);
        }
        var executor = Executors.newSingleThreadExecutor();
        c.abort(executor);
        executor.shutdown();
        assertThat(executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(c.isClosed()).isTrue();
        assertThat(c.isValid(1)).isFalse();
    }
}
