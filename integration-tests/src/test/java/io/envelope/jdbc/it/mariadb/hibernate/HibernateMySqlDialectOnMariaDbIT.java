package io.envelope.jdbc.it.mariadb.hibernate;

import io.envelope.jdbc.it.frameworks.hibernate.HibernateScenarios;
import io.envelope.jdbc.it.frameworks.hibernate.Patient;
import io.envelope.jdbc.it.frameworks.hibernate.SqlRecorder;
import io.envelope.jdbc.it.frameworks.hibernate.Tx;
import io.envelope.jdbc.it.mariadb.EncryptedMariaDb;
import jakarta.persistence.LockModeType;
import org.hibernate.SessionFactory;
import org.hibernate.exception.SQLGrammarException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The {@link HibernateScenarios} with {@code org.hibernate.dialect.MySQLDialect} against the MariaDB server, as an
 * application written for MySQL would run. What differs from the MariaDB dialect, and is pinned here:
 * <ul>
 *   <li>no sequences: the ids come from a table ({@code patients_seq}) that Hibernate reads and bumps;</li>
 *   <li>a UUID is bound and read as 16 bytes (MySQL's {@code binary(16)}), which a {@code type: uuid} column takes
 *       and gives on MySQL and MariaDB;</li>
 *   <li>{@code StatelessSession.upsert} writes MySQL 8's row alias ({@code … values (…) as tr on duplicate key
 *       update c=tr.c}): the wrapper accepts it, and MariaDB rejects the syntax with its own error;</li>
 *   <li>pessimistic locks are {@code … for update of p1_0} and {@code … for share of p1_0}, which MariaDB rejects
 *       too;</li>
 *   <li>{@code hbm2ddl.auto=validate} reports an existing table missing, with plain MariaDB Connector/J too, so the
 *       schema is made by hand and not validated.</li>
 * </ul>
 */
class HibernateMySqlDialectOnMariaDbIT extends HibernateScenarios {

    private static MariaDbHibernateTarget mariaDb;
    private static EncryptedMariaDb db;

    @BeforeAll
    static void start() throws Exception {
        mariaDb = MariaDbHibernateTarget.create("hibernate_mysql", MariaDbHibernateTarget.Dialect.MYSQL);
        db = mariaDb.db();
        start(mariaDb);
    }

    @Test
    void statelessUpsertWritesMySqlsRowAliasWhichMariaDbRejects() throws Exception {
        int mark = SqlRecorder.mark();
        Throwable thrown = catchThrowable(() -> upsert(new Contact(1L, "contact@example.com", "555-0101", "first")));
        assertThat(SqlRecorder.since(mark)).containsExactly(
                "insert into contacts (id,email,label,phone) values (?,?,?,?) "
                + "as tr on duplicate key update email=tr.email,label=tr.label,phone=tr.phone");
        // the server's own error, passed through: the wrapper analysed the statement and sent it
        assertThat(thrown).isInstanceOf(SQLGrammarException.class);
        SQLException server = ((SQLGrammarException) thrown).getSQLException();
        assertThat(server.getMessage()).doesNotStartWith("envelope-jdbc:").contains("near 'as tr on duplicate key");
        assertThat(server.getSQLState()).isEqualTo("42000");
        assertThat(count(db, "contacts")).isZero();
    }

    @Test
    void pessimisticLocksWriteMySqlsForUpdateOfAndForShareOfWhichMariaDbRejects() throws Exception {
        Long id = Tx.inTransaction(sessions, s -> {
            Patient p = patient("pessimistic@example.com", 43);
            s.persist(p);
            return p.getId();
        });
        int mark = SqlRecorder.mark();
        Throwable thrown = catchThrowable(() -> Tx.inTransaction(sessions,
                s -> s.find(Patient.class, id, LockModeType.PESSIMISTIC_WRITE)));
        assertThat(SqlRecorder.since(mark)).singleElement().satisfies(sql -> assertThat(sql)
                .startsWith("select ").contains(" from patients p1_0 where p1_0.id=?").endsWith(" for update of p1_0"));
        assertThat(thrown).isInstanceOf(SQLGrammarException.class);
        SQLException server = ((SQLGrammarException) thrown).getSQLException();
        assertThat(server.getMessage()).doesNotStartWith("envelope-jdbc:").contains("near 'of p1_0'");
        mark = SqlRecorder.mark();
        Throwable shared = catchThrowable(() -> Tx.inTransaction(sessions,
                s -> s.find(Patient.class, id, LockModeType.PESSIMISTIC_READ)));
        assertThat(SqlRecorder.since(mark)).singleElement()
                .satisfies(sql -> assertThat(sql).endsWith(" for share of p1_0"));
        assertThat(shared).isInstanceOf(SQLGrammarException.class);
        assertThat(((SQLGrammarException) shared).getSQLException().getMessage()).doesNotStartWith("envelope-jdbc:")
                .contains("near 'share of p1_0'");
    }

    @Test
    void aUuidBoundAsSixteenBytesIsStoredEncryptedInAColumnDeclaredUuid() throws Exception {
        UUID nationalId = UUID.randomUUID();
        try (SessionFactory factory = sessionFactory(mariaDb, "none")) {
            Long id = Tx.inTransaction(factory, s -> {
                Patient p = patient("uuid16@example.com", 1);
                p.setNationalId(nationalId);
                s.persist(p);
                return p.getId();
            });
            Patient found = Tx.inTransaction(factory, s -> s.createQuery(
                    "from Patient p where p.nationalId = :nid", Patient.class)
                    .setParameter("nid", nationalId).getSingleResult());
            assertThat(found.getId()).isEqualTo(id);
            assertThat(found.getNationalId()).isEqualTo(nationalId);
        }
    }

    @Test
    void schemaValidationMissesATableWithThePlainDriverToo() throws Exception {
        String plain = rootMessage(() -> new org.hibernate.jpa.HibernatePersistenceConfiguration("v")
                .managedClass(Patient.class).managedClass(Contact.class)
                .mappingFile(MariaDbHibernateTarget.MAPPING)
                .property("jakarta.persistence.jdbc.url", db.plainUrl())
                .property("hibernate.dialect", mariaDb.dialectClass())
                .property("hibernate.hbm2ddl.auto", "validate").createEntityManagerFactory().close());
        String wrapped = rootMessage(() -> sessionFactory(mariaDb, "validate").close());
        assertThat(plain).isEqualTo("Schema validation: missing table [contacts]");
        assertThat(wrapped).isEqualTo(plain);
    }

    private static String rootMessage(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isNotNull();
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static int count(EncryptedMariaDb database, String table) throws SQLException {
        try (Connection c = database.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
