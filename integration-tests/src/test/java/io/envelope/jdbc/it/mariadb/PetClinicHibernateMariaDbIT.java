package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.StatementRefusedException;
import io.envelope.jdbc.it.mariadb.petclinic.Owner;
import io.envelope.jdbc.it.mariadb.petclinic.Pet;
import io.envelope.jdbc.it.mariadb.petclinic.PetType;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Spring PetClinic's own entity mappings ({@link Owner}, {@link Pet}, {@link PetType}: IDENTITY ids, eager pets
 * {@code @OrderBy("name")}) through Hibernate 7 and {@code jdbc:envelope:mariadb://…}, over the schema and seed of
 * PetClinic's MySQL scripts with the five columns of {@link PetClinicMariaDbIT} encrypted, with either dialect
 * (they write the same SQL here). What PetClinic's repositories send works — pet types, the owner count by last
 * name, saving an owner with a pet (generated keys, then {@code update pets set owner_id=?}), a lookup by the
 * deterministic telephone — except loading an owner: its pets are ordered by their encrypted name, which is refused
 * before anything is sent. That mapping is the one change PetClinic needs (order by id and sort in the application).
 */
class PetClinicHibernateMariaDbIT {

    private static final Queue<String> SQL = new ConcurrentLinkedQueue<>();

    /** Records what Hibernate sends, unchanged. */
    public static final class Recorder implements StatementInspector {
        @Override
        public String inspect(String sql) {
            SQL.add(sql);
            return sql;
        }
    }

    interface Work<T> {
        T run(Session session) throws Exception;
    }

    private static <T> T inTransaction(SessionFactory factory, Work<T> work) throws Exception {
        try (Session session = factory.openSession()) {
            session.beginTransaction();
            try {
                T result = work.run(session);
                session.getTransaction().commit();
                return result;
            } finally {
                if (session.getTransaction().isActive()) {
                    session.getTransaction().rollback();
                }
            }
        }
    }

    private static List<String> sqlSince(int mark) {
        return SQL.stream().skip(mark).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.hibernate.dialect.MariaDBDialect", "org.hibernate.dialect.MySQLDialect"})
    void petClinicsRepositoriesThroughHibernate(String dialect) throws Exception {
        EncryptedMariaDb db = EncryptedMariaDb.create("petclinic_orm", PetClinicMariaDbIT.TABLES);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String script : List.of("mysql-schema.sql", "mysql-data.sql")) {
                for (String sql : PetClinicMariaDbIT.statements(script)) {
                    s.execute(sql);
                }
            }
        }
        try (SessionFactory sessions = new HibernatePersistenceConfiguration("petclinic")
                .managedClass(Owner.class).managedClass(Pet.class).managedClass(PetType.class)
                .property("jakarta.persistence.jdbc.url", db.envelopeUrl() + "&envelope.config=" + db.configFile())
                .property("hibernate.dialect", dialect)
                .property("hibernate.connection.provider_class",
                        "org.hibernate.hikaricp.internal.HikariCPConnectionProvider")
                .property("hibernate.session_factory.statement_inspector", Recorder.class.getName())
                .createEntityManagerFactory()) {
            // PetTypeRepository.findPetTypes and the count query of OwnerRepository.findByLastNameStartingWith
            inTransaction(sessions, s -> {
                assertThat(s.createQuery("SELECT ptype FROM PetType ptype ORDER BY ptype.name", PetType.class)
                        .getResultList()).extracting(PetType::getName).startsWith("bird", "cat", "dog");
                assertThat(s.createQuery("select count(o) from Owner o where o.lastName like :n escape '\\'",
                        Long.class).setParameter("n", "Davis%").getSingleResult()).isEqualTo(2);
                return null;
            });
            // OwnerController.processCreationForm, then PetController adding a pet: IDENTITY keys, cascade
            int mark = SQL.size();
            Integer id = inTransaction(sessions, s -> {
                Owner owner = new Owner();
                owner.setFirstName("Ada");
                owner.setLastName("Lovelace");
                owner.setAddress("1 Infinite Loop");
                owner.setCity("Cupertino");
                owner.setTelephone("5550100");
                Pet pet = new Pet();
                pet.setName("Babbage");
                pet.setBirthDate(LocalDate.of(2020, 1, 1));
                pet.setType(s.find(PetType.class, 1));
                owner.getPets().add(pet);
                s.persist(owner);
                return owner.getId();
            });
            assertThat(id).isEqualTo(11);
            assertThat(sqlSince(mark)).contains(
                    "insert into owners (address,city,first_name,last_name,telephone) values (?,?,?,?,?)",
                    "insert into pets (birth_date,name,type_id) values (?,?,?)",
                    "update pets set owner_id=? where id=?");
            inTransaction(sessions, s -> {
                assertThat(s.createQuery("select o.id, o.address from Owner o where o.telephone = :t", Object[].class)
                        .setParameter("t", "5550100").getSingleResult()).containsExactly(11, "1 Infinite Loop");
                return null;
            });
            // OwnerRepository.findById and findByLastNameStartingWith load the pets ordered by their encrypted name
            mark = SQL.size();
            Throwable refused = catchThrowable(() -> inTransaction(sessions, s -> s.find(Owner.class, id)));
            assertThat(sqlSince(mark)).singleElement().satisfies(sql -> assertThat(sql)
                    .contains(" from owners o1_0 left join pets p1_0 on o1_0.id=p1_0.owner_id ")
                    .endsWith(" where o1_0.id=? order by p1_0.name"));
            assertThat(refused).hasRootCauseInstanceOf(StatementRefusedException.class);
            StatementRefusedException cause = (StatementRefusedException) rootCause(refused);
            assertThat(cause.reason()).isEqualTo(RefusalReason.ORDER_BY);
            assertThat(cause.getMessage()).contains(db.database() + ".pets.name");
        }
        for (String column : List.of("first_name", "address", "city", "telephone")) {
            MariaDbCiphertext.assertStoredAsCiphertext(db, "owners", column, "Ada", "Infinite", "Cupertino",
                    "5550100");
        }
        MariaDbCiphertext.assertStoredAsCiphertext(db, "pets", "name", "Babbage", "Leo");
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
