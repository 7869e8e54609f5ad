package io.envelope.jdbc.it.frameworks.hibernate;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static io.envelope.jdbc.it.frameworks.hibernate.Tx.inTransaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hibernate ORM 7 with HikariCP over envelope-jdbc, the URL swap being the only change to the application, on
 * whichever database a subclass names ({@link HibernateTarget}): the {@link Patient} entity's encrypted fields
 * (String, UUID, LocalDate, Integer, BigDecimal, byte[]) go through persist, find, dirty-checked updates, JPQL and
 * Criteria queries by deterministic fields, bulk update and delete, natural ids, JDBC batching, pagination,
 * optimistic locking and {@code merge}, and a plain connection then sees only ciphertext. Every SQL string
 * Hibernate sends is recorded ({@link SqlRecorder}), so a test can say which form of a statement it exercised.
 */
public abstract class HibernateScenarios {

    /** The encrypted columns of patients. */
    protected static final List<String> ENCRYPTED = List.of("email", "national_id", "birth_date", "risk_score",
            "balance", "scan", "notes");

    protected static HibernateTarget target;
    protected static SessionFactory sessions;

    /** Makes {@code database}'s schema by hand and opens the session factory the tests share on it. */
    protected static void start(HibernateTarget database) throws Exception {
        target = database;
        database.createSchema();
        sessions = sessionFactory(database, database.schemaCheck());
    }

    @AfterAll
    static void stop() {
        if (sessions != null) {
            sessions.close();
            sessions = null;
        }
    }

    /** The whole Hibernate setup: config-examples/persistence.xml's properties, and the target's own part. */
    protected static SessionFactory sessionFactory(HibernateTarget database, String ddlAuto) {
        return database.configure(new HibernatePersistenceConfiguration("patients")
                        .managedClass(Patient.class)
                        .property("jakarta.persistence.jdbc.url", database.jdbcUrl())
                        .property("hibernate.connection.provider_class",
                                "org.hibernate.hikaricp.internal.HikariCPConnectionProvider")
                        .property("hibernate.hikari.maximumPoolSize", "4")
                        .property("hibernate.hbm2ddl.auto", ddlAuto)
                        .property("hibernate.jdbc.batch_size", "20")
                        .property("hibernate.order_inserts", "true")
                        .property("hibernate.order_updates", "true")
                        .property("hibernate.generate_statistics", "true")
                        .property("hibernate.session_factory.statement_inspector", SqlRecorder.class.getName()))
                .createEntityManagerFactory();
    }

    protected static Patient patient(String email, int risk) {
        Patient p = new Patient(email, "ward-" + (risk % 3));
        p.setNationalId(UUID.nameUUIDFromBytes(email.getBytes()));
        p.setBirthDate(LocalDate.of(1980 + risk % 20, 1 + risk % 12, 1 + risk % 28));
        p.setRiskScore(risk);
        p.setBalance(new BigDecimal("1234.5").add(BigDecimal.valueOf(risk)));
        p.setScan(new byte[] {1, 2, 3, (byte) risk});
        p.setNotes("allergic to penicillin #" + risk);
        return p;
    }

    /** {@code StatelessSession.upsert} in a transaction of its own; returns the SQL it sent. */
    protected static List<String> upsert(Object entity) {
        int mark = SqlRecorder.mark();
        try (StatelessSession s = sessions.openStatelessSession()) {
            s.getTransaction().begin();
            try {
                s.upsert(entity);
                s.getTransaction().commit();
            } finally {
                if (s.getTransaction().isActive()) {
                    s.getTransaction().rollback();
                }
            }
        }
        return SqlRecorder.since(mark);
    }

    @Test
    void crudRoundTripsEveryEncryptedType() throws Exception {
        Long id = inTransaction(sessions, s -> {
            Patient p = patient("crud@example.com", 7);
            s.persist(p);
            return p.getId();
        });
        inTransaction(sessions, s -> {
            Patient p = s.find(Patient.class, id);
            assertThat(p.getEmail()).isEqualTo("crud@example.com");
            assertThat(p.getNationalId()).isEqualTo(UUID.nameUUIDFromBytes("crud@example.com".getBytes()));
            assertThat(p.getBirthDate()).isEqualTo(LocalDate.of(1987, 8, 8));
            assertThat(p.getRiskScore()).isEqualTo(7);
            assertThat(p.getBalance()).isEqualTo(new BigDecimal("1241.50"));   // the column's scale
            assertThat(p.getScan()).containsExactly(1, 2, 3, 7);
            assertThat(p.getNotes()).isEqualTo("allergic to penicillin #7");
            assertThat(p.getVersion()).isZero();
            p.setNotes("no allergies");
            p.setBalance(null);                                                 // NULL stays NULL
            return null;
        });
        inTransaction(sessions, s -> {
            Patient p = s.find(Patient.class, id);
            assertThat(p.getNotes()).isEqualTo("no allergies");
            assertThat(p.getBalance()).isNull();
            assertThat(p.getVersion()).isEqualTo(1);
            s.remove(p);
            return null;
        });
        inTransaction(sessions, s -> {
            assertThat(s.find(Patient.class, id)).isNull();
            return null;
        });
    }

    @Test
    void jpqlAndCriteriaQueriesByDeterministicFields() throws Exception {
        inTransaction(sessions, s -> {
            for (int i = 0; i < 5; i++) {
                s.persist(patient("query" + i + "@example.com", 100 + i));
            }
            return null;
        });
        inTransaction(sessions, s -> {
            Patient byEmail = s.createQuery("from Patient p where p.email = :email", Patient.class)
                    .setParameter("email", "query3@example.com").getSingleResult();
            assertThat(byEmail.getRiskScore()).isEqualTo(103);

            List<String> byRisk = s.createQuery(
                            "select p.email from Patient p where p.riskScore in (:scores) order by p.id", String.class)
                    .setParameter("scores", List.of(101, 104)).getResultList();
            assertThat(byRisk).containsExactly("query1@example.com", "query4@example.com");

            long count = s.createQuery("select count(p) from Patient p where p.nationalId = :nid", Long.class)
                    .setParameter("nid", UUID.nameUUIDFromBytes("query2@example.com".getBytes())).getSingleResult();
            assertThat(count).isEqualTo(1);

            CriteriaBuilder cb = s.getCriteriaBuilder();
            CriteriaQuery<Patient> q = cb.createQuery(Patient.class);
            Root<Patient> root = q.from(Patient.class);
            q.select(root).where(cb.and(
                    cb.equal(root.get("nationalId"), UUID.nameUUIDFromBytes("query4@example.com".getBytes())),
                    cb.equal(root.get("riskScore"), 104)));
            Patient byCriteria = s.createQuery(q).getSingleResult();
            assertThat(byCriteria.getEmail()).isEqualTo("query4@example.com");
            assertThat(byCriteria.getBirthDate()).isEqualTo(LocalDate.of(1984, 9, 21));

            int updated = s.createMutationQuery("update Patient p set p.notes = :notes where p.email = :email")
                    .setParameter("notes", "bulk-updated").setParameter("email", "query0@example.com")
                    .executeUpdate();
            assertThat(updated).isEqualTo(1);
            int deleted = s.createMutationQuery("delete from Patient p where p.riskScore = :risk")
                    .setParameter("risk", 101).executeUpdate();
            assertThat(deleted).isEqualTo(1);
            return null;
        });
        inTransaction(sessions, s -> {
            assertThat(s.createQuery("select p.notes from Patient p where p.email = :e", String.class)
                    .setParameter("e", "query0@example.com").getSingleResult()).isEqualTo("bulk-updated");
            assertThat(s.createQuery("select p.email from Patient p where p.email in (:e) order by p.id",
                            String.class).setParameter("e", List.of("query1@example.com", "query2@example.com"))
                    .getResultList()).containsExactly("query2@example.com");
            return null;
        });
    }

    @Test
    void naturalIdLookup() throws Exception {
        inTransaction(sessions, s -> {
            s.persist(patient("natural@example.com", 42));
            return null;
        });
        inTransaction(sessions, s -> {
            Patient p = s.bySimpleNaturalId(Patient.class).load("natural@example.com");
            assertThat(p).isNotNull();
            assertThat(p.getRiskScore()).isEqualTo(42);
            assertThat(s.bySimpleNaturalId(Patient.class).load("nobody@example.com")).isNull();
            return null;
        });
    }

    @Test
    void jdbcBatchingAndPagination() throws Exception {
        Statistics stats = sessions.getStatistics();
        stats.clear();
        inTransaction(sessions, s -> {
            for (int i = 0; i < 45; i++) {
                s.persist(patient("batch" + i + "@example.com", 500 + (i % 5)));
            }
            return null;
        });
        // 45 inserts in batches of 20: the INSERT is prepared a handful of times, not 45
        assertThat(stats.getEntityInsertCount()).isEqualTo(45);
        assertThat(stats.getPrepareStatementCount()).isLessThan(10);

        int mark = SqlRecorder.mark();
        inTransaction(sessions, s -> {
            List<Patient> page = s.createQuery(
                            "from Patient p where p.riskScore = :risk order by p.ward, p.id", Patient.class)
                    .setParameter("risk", 502).setFirstResult(2).setMaxResults(3).getResultList();
            assertThat(page).hasSize(3);
            assertThat(page).allSatisfy(p -> assertThat(p.getRiskScore()).isEqualTo(502));
            List<String> all = s.createQuery(
                            "select p.email from Patient p where p.riskScore = :risk order by p.ward, p.id", String.class)
                    .setParameter("risk", 502).getResultList();
            assertThat(all).hasSize(9);
            assertThat(page.stream().map(Patient::getEmail).toList()).isEqualTo(all.subList(2, 5));
            return null;
        });
        assertThat(SqlRecorder.since(mark)).as("the paged query is paged in SQL")
                .anySatisfy(sql -> assertThat(sql).contains(target.pagingClause()));

        // batched updates of encrypted fields too
        inTransaction(sessions, s -> {
            s.createQuery("from Patient p where p.riskScore = :risk", Patient.class).setParameter("risk", 503)
                    .getResultList().forEach(p -> p.setBalance(new BigDecimal("0.10")));
            return null;
        });
        inTransaction(sessions, s -> {
            assertThat(s.createQuery("select p.balance from Patient p where p.riskScore = :risk", BigDecimal.class)
                    .setParameter("risk", 503).getResultList()).hasSize(9).containsOnly(new BigDecimal("0.10"));
            return null;
        });
    }

    @Test
    void optimisticLockingDetectsAConcurrentUpdate() throws Exception {
        Long id = inTransaction(sessions, s -> {
            Patient p = patient("locking@example.com", 9);
            s.persist(p);
            return p.getId();
        });
        try (Session first = sessions.openSession(); Session second = sessions.openSession()) {
            first.beginTransaction();
            second.beginTransaction();
            Patient a = first.find(Patient.class, id);
            Patient b = second.find(Patient.class, id);
            a.setNotes("first writer");
            first.getTransaction().commit();
            b.setNotes("second writer");
            assertThatThrownBy(() -> second.getTransaction().commit())
                    .hasRootCauseInstanceOf(org.hibernate.StaleStateException.class)
                    .isInstanceOfAny(OptimisticLockException.class, jakarta.persistence.RollbackException.class);
        }
        inTransaction(sessions, s -> {
            Patient p = s.find(Patient.class, id);
            assertThat(p.getNotes()).isEqualTo("first writer");
            assertThat(p.getVersion()).isEqualTo(1);
            return null;
        });
    }

    @Test
    void mergeOfDetachedAndNewEntities() throws Exception {
        Patient detached = inTransaction(sessions, s -> {
            Patient p = patient("merge@example.com", 21);
            s.persist(p);
            return p;
        });
        // a detached copy edited outside any session, then merged: a select by id and a versioned update
        detached.setEmail("merged@example.com");
        detached.setNationalId(UUID.nameUUIDFromBytes("merged".getBytes()));
        detached.setNotes("merged notes");
        Patient merged = inTransaction(sessions, s -> s.merge(detached));
        assertThat(merged.getVersion()).isEqualTo(1);
        // a new entity through merge is an insert
        Patient fresh = inTransaction(sessions, s -> s.merge(patient("merge-new@example.com", 22)));
        assertThat(fresh.getId()).isNotNull();
        inTransaction(sessions, s -> {
            Patient p = s.createQuery("from Patient p where p.email = :e", Patient.class)
                    .setParameter("e", "merged@example.com").getSingleResult();
            assertThat(p.getId()).isEqualTo(detached.getId());
            assertThat(p.getNationalId()).isEqualTo(UUID.nameUUIDFromBytes("merged".getBytes()));
            assertThat(p.getNotes()).isEqualTo("merged notes");
            assertThat(p.getRiskScore()).isEqualTo(21);
            assertThat(s.bySimpleNaturalId(Patient.class).load("merge@example.com")).isNull();
            assertThat(s.bySimpleNaturalId(Patient.class).load("merge-new@example.com").getRiskScore()).isEqualTo(22);
            return null;
        });
        // the stale detached copy (version 0) merged again: optimistic locking refuses it
        detached.setNotes("stale");
        assertThatThrownBy(() -> inTransaction(sessions, s -> s.merge(detached)))
                .isInstanceOfAny(OptimisticLockException.class, org.hibernate.StaleObjectStateException.class);
    }

    @Test
    void theDatabaseHoldsOnlyCiphertext() throws Exception {
        inTransaction(sessions, s -> {
            s.persist(patient("stored@example.com", 11));
            return null;
        });
        for (String column : ENCRYPTED) {
            target.assertStoredAsCiphertext("patients", column, "@example.com", "penicillin", "merged notes",
                    "bulk-updated");
        }
        try (Connection plain = target.plain(); Statement st = plain.createStatement();
             ResultSet rs = st.executeQuery("SELECT ward FROM patients WHERE ward IS NOT NULL LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("unconfigured columns stay plaintext").startsWith("ward-");
        }
    }

    /**
     * {@code hbm2ddl.auto=create} in a fresh corner of the target's database: the column definitions make the
     * encrypted columns binary or text, and what Hibernate then writes is ciphertext. Not every dialect can
     * create the schema on every database, so a subclass says whether it runs this.
     */
    protected static void assertHibernateCreatesTheSchemaFromColumnDefinitions(String prefix) throws Exception {
        HibernateTarget fresh = target.fresh(prefix);
        try (SessionFactory created = sessionFactory(fresh, "create")) {
            Long id = inTransaction(created, s -> {
                Patient p = patient("created@example.com", 3);
                s.persist(p);
                return p.getId();
            });
            inTransaction(created, s -> {
                assertThat(s.find(Patient.class, id).getBirthDate()).isEqualTo(LocalDate.of(1983, 4, 4));
                return null;
            });
        }
        try (Connection plain = fresh.plain(); Statement st = plain.createStatement();
             ResultSet rs = st.executeQuery("SELECT column_name, data_type FROM information_schema.columns"
                     + " WHERE table_schema = " + fresh.currentSchemaFunction() + " AND table_name = 'patients'"
                     + " AND column_name IN ('email', 'birth_date', 'balance', 'notes') ORDER BY column_name")) {
            StringBuilder types = new StringBuilder();
            while (rs.next()) {
                types.append(rs.getString(1)).append('=').append(rs.getString(2)).append(' ');
            }
            assertThat(types.toString().trim()).isEqualTo(fresh.createdColumnTypes());
        }
        for (String column : ENCRYPTED) {
            fresh.assertStoredAsCiphertext("patients", column, "created@example.com", "penicillin");
        }
    }
}
