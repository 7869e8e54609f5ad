package io.envelope.jdbc;

/**
 * Implemented by every exception envelope-jdbc raises itself (all of them {@link java.sql.SQLException}s of the
 * JDBC subclass that fits), so an application can tell them from the target driver's errors with
 * {@code e instanceof EnvelopeError}. Their messages start with {@code envelope-jdbc:} and never hold a value.
 */
public interface EnvelopeError {

    /** The state this error carries as its SQLState. */
    SqlState envelopeState();
}
