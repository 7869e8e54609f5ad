package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.StatementRefusedException;
import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import io.envelope.jdbc.kms.LocalMasterKeys;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * H2 as a target, end to end, with Spring PetClinic's H2 schema and seed scripts (five columns encrypted: the
 * owners' first name, address, city and telephone, and the pets' names) and the SQL Hibernate 7's H2 dialect
 * writes for PetClinic's repositories. The scripts run through the wrapper unchanged apart from the encrypted
 * columns' widths: H2's {@code DROP TABLE … IF EXISTS}, positional {@code INSERT … VALUES (default, …)} with
 * literals (encrypted in place, as {@code X'…'} for binary columns and base64 for character ones), indexes on
 * encrypted columns. H2 then holds no plaintext of those columns, and the application reads and finds by them.
 */
class PetClinicOnH2Test {

    private static final List<String> SEED_PLAINTEXTS = List.of("George", "Liberty", "Madison", "6085551023",
            "Sun Prairie", "Eduardo", "Samantha", "Mulligan");

    @TempDir
    Path dir;

    private JdbcDataSource h2;
    private EnvelopeDataSource envelope;

    @BeforeEach
    void setUp() throws Exception {
        EnvelopeConfig config = ConfigLoader.loadTree(Map.of(
                "version", 1,
                "kms", Map.of("provider", "local", "master-key-file", LocalMasterKeys.write(dir).toString()),
                "tables", Map.of(
                        "owners", Map.of("columns", Map.of(
                                "first_name", Map.of("mode", "deterministic"),
                                "address", Map.of(),
                                "city", Map.of(),
                                "telephone", Map.of("mode", "deterministic"))),
                        "pets", Map.of("columns", Map.of("name", Map.of())))),
                "test", name -> null);
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:petclinic_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        envelope = new EnvelopeDataSource(h2, config);
        try (Connection c = envelope.getConnection(); Statement s = c.createStatement()) {
            for (String script : List.of("h2-schema.sql", "h2-data.sql")) {
                for (String sql : statements(script)) {
                    s.execute(sql);
                }
            }
        }
    }

    @Test
    void theSeedIsStoredEncryptedAndReadsBackAsPlaintext() throws Exception {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT o.first_name, o.address, o.city, o.telephone, o.last_name"
                     + " FROM owners o UNION ALL SELECT NULL, p.name, NULL, NULL, NULL FROM pets p")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= 4; i++) {
                    byte[] raw = rs.getBytes(i);
                    String stored = raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1);
                    for (String plaintext : SEED_PLAINTEXTS) {
                        assertThat(stored).as("stored column %d", i).doesNotContain(plaintext);
                    }
                }
            }
            assertThat(rows).isEqualTo(10 + 13);
        }
        try (Connection c = envelope.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select o1_0.id,o1_0.address,o1_0.city,o1_0.first_name,o1_0.last_name,"
                     + "o1_0.telephone from owners o1_0 where o1_0.id=1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("address")).isEqualTo("110 W. Liberty St.");
            assertThat(rs.getString("city")).isEqualTo("Madison");
            assertThat(rs.getString("first_name")).isEqualTo("George");
            assertThat(rs.getString("last_name")).isEqualTo("Franklin");
            assertThat(rs.getString("telephone")).isEqualTo("6085551023");
        }
    }

    @Test
    void petClinicsRepositoryQueriesRunThroughTheWrapper() throws Exception {
        try (Connection c = envelope.getConnection()) {
            // OwnerRepository.findByLastNameStartingWith, paged, as Hibernate 7 writes it for H2
            try (PreparedStatement ps = c.prepareStatement("select o1_0.id,o1_0.address,o1_0.city,"
                    + "o1_0.first_name,o1_0.last_name,o1_0.telephone from owners o1_0 where o1_0.last_name like ? "
                    + "escape '\\' offset ? rows fetch first ? rows only")) {
                ps.setString(1, "Davis%");
                ps.setInt(2, 0);
                ps.setInt(3, 5);
                List<String> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString("first_name") + " " + rs.getString(5) + ", " + rs.getString("city"));
                    }
                }
                assertThat(found).containsExactlyInAnyOrder("Betty Davis, Sun Prairie", "Harold Davis, Windsor");
            }
            // older PetClinics' "SELECT DISTINCT owner FROM Owner owner left join owner.pets": DISTINCT compares a
            // randomized column's ciphertexts, which differ for equal values, so it is refused
            assertThatThrownBy(() -> c.prepareStatement("select distinct o1_0.id,o1_0.address from owners o1_0 "
                    + "left join pets p1_0 on o1_0.id=p1_0.owner_id where o1_0.last_name like ?"))
                    .isInstanceOf(StatementRefusedException.class)
                    .hasMessageContaining("DISTINCT on encrypted column PUBLIC.OWNERS.ADDRESS");
            // the pets of an owner, by id order
            try (PreparedStatement ps = c.prepareStatement("select p1_0.owner_id,p1_0.id,p1_0.birth_date,"
                    + "p1_0.name,p1_0.type_id from pets p1_0 where p1_0.owner_id=? order by p1_0.id")) {
                ps.setInt(1, 6);
                assertThat(strings(ps, "name")).containsExactly("Samantha", "Max");
            }
            // PetClinic's @OrderBy("name") sorts by an encrypted column: refused, never sorted by ciphertext
            assertThatThrownBy(() -> c.prepareStatement("select p1_0.id,p1_0.name from pets p1_0 "
                    + "where p1_0.owner_id=? order by p1_0.name"))
                    .isInstanceOfSatisfying(StatementRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RefusalReason.ORDER_BY))
                    .hasMessageContaining("NAME");
            // a deterministic column finds its rows
            try (PreparedStatement ps = c.prepareStatement("select o1_0.id,o1_0.last_name from owners o1_0 "
                    + "where o1_0.telephone=?")) {
                ps.setString(1, "6085551023");
                assertThat(strings(ps, "last_name")).containsExactly("Franklin");
            }
        }
    }

    @Test
    void savingAnOwnerAsHibernateDoesStoresCiphertextAndReturnsTheGeneratedId() throws Exception {
        int id;
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into owners (address,city,first_name,last_name,"
                     + "telephone,id) values (?,?,?,?,?,default)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "1 Infinite Loop");
            ps.setString(2, "Cupertino");
            ps.setString(3, "Ada");
            ps.setString(4, "Lovelace");
            ps.setString(5, "5550100");
            assertThat(ps.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                id = keys.getInt(1);
            }
        }
        assertThat(id).isEqualTo(11);
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("update owners set address=?,city=?,first_name=?,"
                     + "last_name=?,telephone=? where id=?")) {
            ps.setString(1, "2 Infinite Loop");
            ps.setString(2, "Cupertino");
            ps.setString(3, "Ada");
            ps.setString(4, "Lovelace");
            ps.setString(5, "5550199");
            ps.setInt(6, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT address, city, first_name, telephone FROM owners WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= 4; i++) {
                // the envelope bytes, not their base64 text, which holds any short word by chance ("Ada" once)
                boolean binary = rs.getMetaData().getColumnType(i) == java.sql.Types.VARBINARY;
                byte[] stored = binary ? rs.getBytes(i) : Base64.getDecoder().decode(rs.getString(i));
                assertThat(stored[0]).as("format version byte").isEqualTo((byte) 1);
                assertThat(new String(stored, StandardCharsets.ISO_8859_1))
                        .doesNotContain("Infinite").doesNotContain("Cupertino").doesNotContain("Ada")
                        .doesNotContain("5550199");
            }
        }
        try (Connection c = envelope.getConnection();
             PreparedStatement ps = c.prepareStatement("select o1_0.address from owners o1_0 where o1_0.first_name=?"
                     + " and o1_0.telephone=?")) {
            ps.setString(1, "Ada");
            ps.setString(2, "5550199");
            assertThat(strings(ps, "address")).containsExactly("2 Infinite Loop");
        }
    }

    private static List<String> strings(PreparedStatement ps, String column) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(column));
            }
        }
        return values;
    }

    /** The statements of a script: split at semicolons that end a line, comment lines dropped. */
    private static List<String> statements(String script) throws IOException {
        String text;
        try (InputStream in = PetClinicOnH2Test.class.getResourceAsStream("/petclinic/" + script)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }
}
