package io.envelope.jdbc.it.mariadb.hibernate;

import io.envelope.jdbc.it.frameworks.hibernate.SqlRecorder;
import io.envelope.jdbc.it.frameworks.hibernate.Tx;
import io.envelope.jdbc.it.mariadb.EncryptedMariaDb;
import io.envelope.jdbc.it.mariadb.MariaDbCiphertext;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JOINED hierarchy with an element collection ({@link Person}, {@link Doctor}) through Hibernate 7 on MariaDB,
 * with either dialect (they write the same SQL here), schema by {@code hbm2ddl.auto=create}: inserts into three
 * configured tables, joined loads, a query joining the collection by its encrypted element, the bulk update that
 * Hibernate runs through a temporary id table ({@code insert into HT_people(id) select … where ssn=?}, then
 * {@code update doctors … where id in (select * from (select … from HT_people …) _sub_)}), and the bulk delete of
 * the root, which deletes from every table with {@code delete to_delete_ from … where … in (select * from (…) _sub_)}.
 */
class HibernateInheritanceMariaDbIT {

    private static final String TABLES = """
              people:
                columns:
                  ssn: { mode: deterministic }
              doctors:
                columns:
                  license: { mode: deterministic }
              person_phones:
                columns:
                  phone: { mode: deterministic }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"org.hibernate.dialect.MariaDBDialect", "org.hibernate.dialect.MySQLDialect"})
    void joinedHierarchyWithAnElementCollection(String dialect) throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("hibernate_joined", TABLES);
        try (SessionFactory sessions = new HibernatePersistenceConfiguration("joined")
                .managedClass(Person.class).managedClass(Doctor.class)
                .property("jakarta.persistence.jdbc.url", db.envelopeUrl() + "&envelope.config=" + db.configFile())
                .property("hibernate.dialect", dialect)
                .property("hibernate.hbm2ddl.auto", "create")
                .property("hibernate.session_factory.statement_inspector", SqlRecorder.class.getName())
                .createEntityManagerFactory()) {
            Tx.inTransaction(sessions, s -> {
                Doctor d = new Doctor(1L, "ssn-1", "Quinn", "lic-1");
                d.getPhones().addAll(List.of("555-0001", "555-0002"));
                s.persist(d);
                Person p = new Person(2L, "ssn-2", "Pat");
                p.getPhones().add("555-0003");
                s.persist(p);
                return null;
            });
            Tx.inTransaction(sessions, s -> {
                Doctor d = s.find(Doctor.class, 1L);
                assertThat(d.getSsn()).isEqualTo("ssn-1");
                assertThat(d.getLicense()).isEqualTo("lic-1");
                assertThat(d.getPhones()).containsExactlyInAnyOrder("555-0001", "555-0002");
                assertThat(s.createQuery("select p.name from Person p join p.phones ph where ph = :ph", String.class)
                        .setParameter("ph", "555-0002").getResultList()).containsExactly("Quinn");
                assertThat(s.createQuery("from Person p where p.ssn = :s", Person.class).setParameter("s", "ssn-1")
                        .getSingleResult()).isInstanceOf(Doctor.class);
                d.getPhones().remove("555-0001");
                return null;
            });
            int mark = SqlRecorder.mark();
            Tx.inTransaction(sessions, s -> {
                assertThat(s.createMutationQuery("update Doctor d set d.license = :l where d.ssn = :s")
                        .setParameter("l", "lic-2").setParameter("s", "ssn-1").executeUpdate()).isEqualTo(1);
                assertThat(s.createMutationQuery("delete from Person p where p.ssn = :s")
                        .setParameter("s", "ssn-2").executeUpdate()).isEqualTo(1);
                return null;
            });
            assertThat(SqlRecorder.since(mark)).anySatisfy(sql -> assertThat(sql)
                    .startsWith("insert into HT_people(id) select ").endsWith(" where d1_1.ssn=?"))
                    .anySatisfy(sql -> assertThat(sql).startsWith("delete to_delete_ from person_phones to_delete_"));
            Tx.inTransaction(sessions, s -> {
                assertThat(s.createQuery("select d.license from Doctor d where d.license = :l", String.class)
                        .setParameter("l", "lic-2").getResultList()).containsExactly("lic-2");
                assertThat(s.find(Doctor.class, 1L).getPhones()).containsExactly("555-0002");
                assertThat(s.find(Person.class, 2L)).isNull();
                return null;
            });
        }
        try (Connection plain = db.plain(); Statement st = plain.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM person_phones")) {
            rs.next();
            assertThat(rs.getInt(1)).as("Pat's phone went with Pat").isEqualTo(1);
        }
        MariaDbCiphertext.assertStoredAsCiphertext(db, "people", "ssn", "ssn-");
        MariaDbCiphertext.assertStoredAsCiphertext(db, "doctors", "license", "lic-");
        MariaDbCiphertext.assertStoredAsCiphertext(db, "person_phones", "phone", "555-");
    }
}
