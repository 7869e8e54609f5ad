package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.kms.LocalMasterKeys;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configured tables whose names contain one another ({@code t} inside {@code other}, {@code other} inside
 * {@code others}): the gate in front of analysis scans for the shortest names, but a statement naming the longer
 * table must still be analysed and its values encrypted. Before the fix, the token check matched tokens against that
 * shortened list, so every value written to the longer-named table was stored as plaintext.
 */
class TableNamesInsideOthersTest {

    @ParameterizedTest
    @CsvSource({"t, other", "other, others", "customers, customers_archive", "a, b"})
    void everyConfiguredTableIsEncryptedWhateverTheOtherNames(String first, String second) throws Exception {
        Path dir = Files.createTempDirectory("names-inside");
        Map<String, Object> tables = new LinkedHashMap<>();
        tables.put(first, Map.of("columns", Map.of("body", Map.of())));
        tables.put(second, Map.of("columns", Map.of("body", Map.of("mode", "deterministic"))));
        EnvelopeConfig config = ConfigLoader.loadTree(Map.of("version", 1,
                "kms", Map.of("provider", "local", "master-key-file", LocalMasterKeys.write(dir).toString()),
                "tables", tables), "test", name -> null);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:names_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            for (String table : new String[] {first, second}) {
                s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, body varbinary(512))");
            }
        }
        EnvelopeDataSource envelope = new EnvelopeDataSource(h2, config);
        try (Connection c = envelope.getConnection()) {
            for (String table : new String[] {first, second}) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, body) VALUES (?, ?)")) {
                    ps.setInt(1, 1);
                    ps.setString(2, "bound secret of " + table);
                    ps.executeUpdate();
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO " + table + " (id, body) VALUES (2, 'literal secret of " + table + "')");
                }
            }
        }
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            for (String table : new String[] {first, second}) {
                try (ResultSet rs = s.executeQuery("SELECT body FROM " + table + " ORDER BY id")) {
                    for (int row = 1; row <= 2; row++) {
                        assertThat(rs.next()).isTrue();
                        assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1))
                                .as("row %d of %s as stored", row, table).doesNotContain("secret");
                    }
                }
            }
        }
        try (Connection c = envelope.getConnection(); Statement s = c.createStatement()) {
            for (String table : new String[] {first, second}) {
                try (ResultSet rs = s.executeQuery("SELECT body FROM " + table + " ORDER BY id")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("bound secret of " + table);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("literal secret of " + table);
                }
            }
        }
    }

}
