package io.envelope.jdbc.it.frameworks.hibernate;

import org.hibernate.Session;
import org.hibernate.SessionFactory;

/** A transaction around a unit of work, as an application's service layer would have. */
public final class Tx {

    /** A unit of work in a session. */
    public interface Work<T> {
        T run(Session session) throws Exception;
    }

    private Tx() {
    }

    /** Runs {@code work} in a new session's transaction: committed if it returns, rolled back if it throws. */
    public static <T> T inTransaction(SessionFactory factory, Work<T> work) throws Exception {
        try (Session session = factory.openSession()) {
            session.beginTransaction();
            try {
                T result = work.run(session);
                session.getTransaction().commit();
                return result;
            } catch (Exception | AssertionError e) {
                if (session.getTransaction().isActive()) {
                    session.getTransaction().rollback();
                }
                throw e;
            }
        }
    }
}
