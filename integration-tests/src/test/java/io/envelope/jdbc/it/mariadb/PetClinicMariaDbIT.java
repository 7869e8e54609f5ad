package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.StatementRefusedException;
import io.envelope.jdbc.it.frameworks.Ciphertext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring PetClinic's MySQL schema and seed scripts (src/test/resources/petclinic/mysql-*.sql) run through
 * {@code jdbc:envelope:mariadb://…} on MariaDB with the five columns of {@code PetClinicOnH2Test} encrypted (the
 * owners' first name, address, city and telephone, the pets' names): {@code INT(4) UNSIGNED … AUTO_INCREMENT},
 * inline {@code INDEX(…)}, {@code engine=InnoDB}, positional {@code INSERT IGNORE … VALUES (id, 'literal', …)}
 * whose literals are encrypted in place, the seed run twice. Then the SQL that Hibernate 7's MariaDB dialect writes
 * for PetClinic's repositories, and what plain MariaDB Connector/J sees: ciphertext only.
 */
class PetClinicMariaDbIT {

    static final String TABLES = """
              owners:
                columns:
                  first_name: { mode: deterministic }
                  address:    { mode: randomized }
                  city:       { mode: randomized }
                  telephone:  { mode: deterministic }
              pets:
                columns:
                  name: { mode: randomized }
            """;

    private static final List<String> SEED_PLAINTEXTS = List.of("George", "Liberty", "Madison", "6085551023",
            "Sun Prairie", "Eduardo", "Samantha", "Mulligan");

    private EncryptedMariaDb db;

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedMariaDb.create("petclinic", TABLES);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : statements("mysql-schema.sql")) {
                s.execute(sql);
            }
            for (String sql : statements("mysql-data.sql")) {
                s.execute(sql);
            }
            // the seed again, as PetClinic runs it at every start: INSERT IGNORE skips the rows that exist
            int inserted = 0;
            for (String sql : statements("mysql-data.sql")) {
                inserted += s.executeUpdate(sql);
            }
            assertThat(inserted).isZero();
        }
    }

    @Test
    void theSeedIsStoredEncryptedAndReadsBackAsPlaintext() throws Exception {
        String[] seed = SEED_PLAINTEXTS.toArray(new String[0]);
        for (String column : List.of("first_name", "address", "city", "telephone")) {
            assertThat(MariaDbCiphertext.assertStoredAsCiphertext(db, "owners", column, seed)).isEqualTo(10);
        }
        assertThat(MariaDbCiphertext.assertStoredAsCiphertext(db, "pets", "name", seed)).isEqualTo(13);
        try (Connection c = db.connect(); Statement s = c.createStatement();
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
        try (Connection c = db.connect()) {
            // OwnerRepository.findByLastNameStartingWith, the second page of size 1, then its count query
            try (PreparedStatement ps = c.prepareStatement("select o1_0.id,o1_0.address,o1_0.city,"
                    + "o1_0.first_name,o1_0.last_name,o1_0.telephone from owners o1_0 where o1_0.last_name like ? "
                    + "escape '\\\\' order by o1_0.id limit ?,?")) {
                ps.setString(1, "Davis%");
                ps.setInt(2, 1);
                ps.setInt(3, 1);
                List<String> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString("first_name") + " " + rs.getString(5) + ", " + rs.getString("city")
                                + ", " + rs.getString("address") + ", " + rs.getString("telephone"));
                    }
                }
                assertThat(found).containsExactly("Harold Davis, Windsor, 563 Friendly St., 6085553198");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(o1_0.id) from owners o1_0 where o1_0.last_name like ? escape '\\\\'")) {
                ps.setString(1, "Davis%");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(2);
                }
            }
            // the owner's pets with their types, by id
            try (PreparedStatement ps = c.prepareStatement("select p1_0.owner_id,p1_0.id,p1_0.birth_date,p1_0.name,"
                    + "t1_0.id,t1_0.name from pets p1_0 left join types t1_0 on t1_0.id=p1_0.type_id "
                    + "where p1_0.owner_id=? order by p1_0.id")) {
                ps.setInt(1, 6);
                List<String> pets = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pets.add(rs.getString(4) + " the " + rs.getString(6) + " " + rs.getDate(3));
                    }
                }
                assertThat(pets).containsExactly("Samantha the cat 1995-09-04", "Max the cat 1995-09-04");
            }
            // PetClinic's @OrderBy("name") on Owner.pets sorts by an encrypted column: refused, never by ciphertext
            assertThatThrownBy(() -> c.prepareStatement("select p1_0.owner_id,p1_0.id,p1_0.birth_date,p1_0.name,"
                    + "p1_0.type_id from pets p1_0 where p1_0.owner_id=? order by p1_0.name"))
                    .isInstanceOfSatisfying(StatementRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RefusalReason.ORDER_BY))
                    .hasMessageContaining("pets.name");
            // older PetClinics' DISTINCT over a join compares a randomized column: refused
            assertThatThrownBy(() -> c.prepareStatement("select distinct o1_0.id,o1_0.address from owners o1_0 "
                    + "left join pets p1_0 on o1_0.id=p1_0.owner_id where o1_0.last_name like ?"))
                    .isInstanceOf(StatementRefusedException.class).hasMessageContaining("owners.address");
            // visits and vets touch no encrypted column
            try (PreparedStatement ps = c.prepareStatement("select v1_0.pet_id,v1_0.id,v1_0.description,"
                    + "v1_0.visit_date from visits v1_0 where v1_0.pet_id=? order by v1_0.visit_date")) {
                ps.setInt(1, 8);
                assertThat(strings(ps, "description")).containsExactly("neutered", "rabies shot");
            }
            // a deterministic column finds its rows, by parameter and by literal
            try (PreparedStatement ps = c.prepareStatement("select o1_0.id,o1_0.last_name from owners o1_0 "
                    + "where o1_0.telephone=?")) {
                ps.setString(1, "6085551023");
                assertThat(strings(ps, "last_name")).containsExactly("Franklin");
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT last_name FROM owners WHERE first_name = 'Harold'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Davis");
            }
        }
    }

    @Test
    void savingAnOwnerAndAPetAsHibernateDoesStoresCiphertextAndReturnsTheGeneratedId() throws Exception {
        long id;
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("insert into owners (address,city,first_name,last_name,"
                     + "telephone) values (?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "1 Infinite Loop");
            ps.setString(2, "Cupertino");
            ps.setString(3, "Ada");
            ps.setString(4, "Lovelace");
            ps.setString(5, "5550100");
            assertThat(ps.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                id = keys.getLong(1);
            }
        }
        assertThat(id).isEqualTo(11);
        try (Connection c = db.connect()) {
            try (PreparedStatement ps = c.prepareStatement("update owners set address=?,city=?,first_name=?,"
                    + "last_name=?,telephone=? where id=?")) {
                ps.setString(1, "2 Infinite Loop");
                ps.setString(2, "Cupertino");
                ps.setString(3, "Ada");
                ps.setString(4, "Lovelace");
                ps.setString(5, "5550199");
                ps.setLong(6, id);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement ps = c.prepareStatement("insert into pets (birth_date,name,owner_id,type_id) "
                    + "values (?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setDate(1, java.sql.Date.valueOf("2020-02-02"));
                ps.setString(2, "Babbage");
                ps.setLong(3, id);
                ps.setInt(4, 1);
                assertThat(ps.executeUpdate()).isEqualTo(1);
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(14);
                }
            }
        }
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT o.address, o.city, o.first_name, o.telephone, p.name FROM owners o"
                     + " JOIN pets p ON p.owner_id = o.id WHERE o.id = " + id)) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= 5; i++) {
                Ciphertext.assertHoldsNoPlaintext(rs, i, "stored column " + i,
                        "Infinite", "Cupertino", "Ada", "5550199", "Babbage");
            }
        }
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("select o1_0.address,p1_0.name from owners o1_0 join pets p1_0"
                     + " on p1_0.owner_id=o1_0.id where o1_0.first_name=? and o1_0.telephone=?")) {
            ps.setString(1, "Ada");
            ps.setString(2, "5550199");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("2 Infinite Loop");
                assertThat(rs.getString(2)).isEqualTo("Babbage");
                assertThat(rs.next()).isFalse();
            }
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
    static List<String> statements(String script) throws IOException {
        String text;
        try (InputStream in = PetClinicMariaDbIT.class.getResourceAsStream("/petclinic/" + script)) {
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
