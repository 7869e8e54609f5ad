package io.envelope.jdbc.it.mariadb.hibernate;

import io.envelope.jdbc.it.frameworks.hibernate.HibernateScenarios;
import io.envelope.jdbc.it.frameworks.hibernate.Patient;
import io.envelope.jdbc.it.frameworks.hibernate.SqlRecorder;
import io.envelope.jdbc.it.frameworks.hibernate.Tx;
import io.envelope.jdbc.it.mariadb.EncryptedMariaDb;
import io.envelope.jdbc.it.mariadb.MariaDbCiphertext;
import jakarta.persistence.LockModeType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link HibernateScenarios} on MariaDB with {@code org.hibernate.dialect.MariaDBDialect}: a native sequence
 * for the ids, the schema made by hand (VARBINARY and TEXT for the encrypted columns) and accepted by
 * {@code hbm2ddl.auto=validate}, or made by Hibernate from the column definitions; and what MariaDB's SQL adds:
 * pessimistic locks, upserts, {@code INSERT … RETURNING}.
 */
class HibernateMariaDbDialectIT extends HibernateScenarios {

    private static EncryptedMariaDb db;

    @BeforeAll
    static void start() throws Exception {
        MariaDbHibernateTarget mariaDb = MariaDbHibernateTarget.create("hibernate_mariadb",
                MariaDbHibernateTarget.Dialect.MARIADB);
        db = mariaDb.db();
        start(mariaDb);
    }

    @Test
    void pessimisticLockByFindAndByQuery() throws Exception {
        Long id = Tx.inTransaction(sessions, s -> {
            Patient p = patient("pessimistic@example.com", 43);
            s.persist(p);
            return p.getId();
        });
        int mark = SqlRecorder.mark();
        Tx.inTransaction(sessions, s -> {
            Patient locked = s.find(Patient.class, id, LockModeType.PESSIMISTIC_WRITE);
            assertThat(locked.getEmail()).isEqualTo("pessimistic@example.com");
            Patient byQuery = s.createQuery("from Patient p where p.email = :e", Patient.class)
                    .setParameter("e", "pessimistic@example.com").setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getSingleResult();
            assertThat(byQuery).isSameAs(locked);
            return null;
        });
        assertThat(SqlRecorder.since(mark)).hasSize(2).allSatisfy(sql -> assertThat(sql).endsWith(" for update"));
        // PESSIMISTIC_READ is MariaDB's LOCK IN SHARE MODE, and a lock timeout of 0 is NOWAIT
        mark = SqlRecorder.mark();
        Tx.inTransaction(sessions, s -> {
            Patient shared = s.find(Patient.class, id, LockModeType.PESSIMISTIC_READ);
            assertThat(shared.getNotes()).isEqualTo("allergic to penicillin #43");
            assertThat(shared.getNationalId()).isEqualTo(UUID.nameUUIDFromBytes("pessimistic@example.com".getBytes()));
            return null;
        });
        Tx.inTransaction(sessions, s -> {
            Patient locked = s.find(Patient.class, id, LockModeType.PESSIMISTIC_WRITE,
                    Map.of("jakarta.persistence.lock.timeout", 0));
            assertThat(locked.getBirthDate()).isEqualTo(LocalDate.of(1980 + 43 % 20, 1 + 43 % 12, 1 + 43 % 28));
            return null;
        });
        assertThat(SqlRecorder.since(mark)).hasSize(2).satisfiesExactly(
                sql -> assertThat(sql).endsWith(" where p1_0.id=? lock in share mode"),
                sql -> assertThat(sql).endsWith(" where p1_0.id=? for update nowait"));
    }

    /** StatelessSession.upsert of a versioned entity: Hibernate sends an UPDATE, then an INSERT if none matched. */
    @Test
    void statelessUpsertOfAVersionedEntity() throws Exception {
        Patient p = patient("upsert@example.com", 31);
        p.setId(900_001L);
        List<String> sent = new ArrayList<>(upsert(p));
        p.setNotes("upserted again");
        p.setBirthDate(LocalDate.of(2001, 2, 3));
        sent.addAll(upsert(p));
        assertThat(sent).noneSatisfy(sql -> assertThat(sql).containsIgnoringCase("on duplicate key update"));
        assertThat(sent).anySatisfy(sql -> assertThat(sql).startsWith("update patients set ").endsWith(" and version=?"));
        Tx.inTransaction(sessions, s -> {
            Patient read = s.bySimpleNaturalId(Patient.class).load("upsert@example.com");
            assertThat(read.getId()).isEqualTo(900_001L);
            assertThat(read.getNotes()).isEqualTo("upserted again");
            assertThat(read.getBirthDate()).isEqualTo(LocalDate.of(2001, 2, 3));
            return null;
        });
        MariaDbCiphertext.assertStoredAsCiphertext(db, "patients", "notes", "upserted again");
        MariaDbCiphertext.assertStoredAsCiphertext(db, "patients", "email", "upsert@example.com");
    }

    /** StatelessSession.upsert of an unversioned entity: one INSERT … ON DUPLICATE KEY UPDATE with VALUES(c). */
    @Test
    void statelessUpsertIsInsertOnDuplicateKeyUpdate() throws Exception {
        List<String> sent = new ArrayList<>(upsert(new Contact(1L, "contact@example.com", "555-0101", "first")));
        Contact again = new Contact(1L, "contact@example.com", "555-0199", "second");
        sent.addAll(upsert(again));
        assertThat(sent).hasSize(2).allSatisfy(sql -> assertThat(sql).startsWith("insert into contacts ")
                .containsIgnoringCase(" on duplicate key update "));
        Tx.inTransaction(sessions, s -> {
            Contact read = s.createQuery("from Contact c where c.email = :e", Contact.class)
                    .setParameter("e", "contact@example.com").getSingleResult();
            assertThat(read.getPhone()).isEqualTo("555-0199");
            assertThat(read.getLabel()).isEqualTo("second");
            return null;
        });
        MariaDbCiphertext.assertStoredAsCiphertext(db, "contacts", "email", "contact@example.com");
        MariaDbCiphertext.assertStoredAsCiphertext(db, "contacts", "phone", "555-01");
    }

    /** IDENTITY and server-filled columns come back through MariaDB's INSERT … RETURNING. */
    @Test
    void insertReturningGeneratedValues() throws Exception {
        int mark = SqlRecorder.mark();
        Note note = Tx.inTransaction(sessions, s -> {
            Note n = new Note("author@example.com", "a private note");
            s.persist(n);
            return n;
        });
        assertThat(SqlRecorder.since(mark)).containsExactly(
                "insert into notes (author,body) values (?,?) returning id,created_at");
        assertThat(note.getId()).isPositive();
        assertThat(note.getCreatedAt()).isNotNull();
        Tx.inTransaction(sessions, s -> {
            Note read = s.createQuery("from Note n where n.author = :a", Note.class)
                    .setParameter("a", "author@example.com").getSingleResult();
            assertThat(read.getId()).isEqualTo(note.getId());
            assertThat(read.getBody()).isEqualTo("a private note");
            assertThat(read.getCreatedAt()).isEqualTo(note.getCreatedAt());
            return null;
        });
        // the same through JDBC, with the encrypted columns in the RETURNING list: decrypted as in a SELECT
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "insert into notes (author, body) values (?, ?) returning id, author, body")) {
            ps.setString(1, "returning@example.com");
            ps.setString(2, "returned body");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isGreaterThan(note.getId());
                assertThat(rs.getString("author")).isEqualTo("returning@example.com");
                assertThat(rs.getString(3)).isEqualTo("returned body");
            }
        }
        MariaDbCiphertext.assertStoredAsCiphertext(db, "notes", "author", "@example.com");
        MariaDbCiphertext.assertStoredAsCiphertext(db, "notes", "body", "private", "returned");
    }

    /** hbm2ddl.auto=create: the column definitions make the encrypted columns VARBINARY and TEXT. */
    @Test
    void hibernateCreatesTheSchemaFromColumnDefinitions() throws Exception {
        assertHibernateCreatesTheSchemaFromColumnDefinitions("hibernate_mariadb_create");
    }
}
