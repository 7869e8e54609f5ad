package io.envelope.jdbc;

import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.driver.EnvelopeConnection;
import io.envelope.jdbc.kms.LocalMasterKeys;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EnvelopeDataSource} wrapping a DataSource with a configuration loaded already (as the Spring Boot
 * auto-configuration does), and never adding a second layer over a DataSource that hands out envelope-jdbc
 * connections already (a proxy DataSource around a wrapped pool, both wrapped).
 */
class EnvelopeDataSourceTest {

    @TempDir
    Path dir;

    private JdbcDataSource h2;
    private EnvelopeConfig config;

    @BeforeEach
    void setUp() throws Exception {
        Path masterKey = LocalMasterKeys.write(dir);
        config = ConfigLoader.loadTree(Map.of(
                "version", 1,
                "kms", Map.of("provider", "local", "master-key-file", masterKey.toString()),
                "tables", Map.of("notes", Map.of("columns", Map.of("body", Map.of())))),
                "test", name -> null);
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:wrap_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id int PRIMARY KEY, body varbinary(512))");
        }
    }

    @Test
    void aWrappedEnvelopeDataSourceIsNotWrappedTwice() throws Exception {
        EnvelopeDataSource inner = new EnvelopeDataSource(h2, config);
        EnvelopeDataSource outer = new EnvelopeDataSource(inner, config);
        try (Connection c = outer.getConnection()) {
            assertThat(c).isInstanceOf(EnvelopeConnection.class);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, body) VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "only once");
                ps.executeUpdate();
            }
        }
        // one layer: the inner DataSource alone reads it back
        try (Connection c = inner.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM notes WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("only once");
        }
        try (Connection raw = h2.getConnection(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM notes WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            byte[] stored = rs.getBytes(1);
            assertThat(stored[0]).isEqualTo((byte) 1);
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("only once");
        }
    }
}
