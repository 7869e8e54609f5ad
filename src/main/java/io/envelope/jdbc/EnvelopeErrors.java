package io.envelope.jdbc;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;

/**
 * Makes the errors envelope-jdbc raises itself: one factory method per kind, each returning the exception class
 * of that kind ({@link ConfigurationException}, {@link ConfigurationMismatchException},
 * {@link StatementRefusedException}, {@link ValueException}, {@link KeyException}; all {@link EnvelopeError}s)
 * with its {@link SqlState}.
 *
 * <p>Every message starts with {@code envelope-jdbc:} and names what is involved (table and column,
 * key version, config key, KMS operation). Callers must never pass plaintext values or key material
 * into a message: messages name places, never data.
 */
public final class EnvelopeErrors {

    public static final String PREFIX = "envelope-jdbc: ";

    private EnvelopeErrors() {
    }

    /**
     * A configuration error, raised by {@code connect()} / {@code getConnection()} before any connection is handed
     * out: the connection cannot be established (JDBC's class for SQLState class 08).
     */
    public static SQLException config(String message) {
        return new ConfigurationException(PREFIX + message, null);
    }

    public static SQLException config(String message, Throwable cause) {
        return new ConfigurationException(PREFIX + message, cause);
    }

    /**
     * A configuration that does not fit the database, found while an open connection is in use (so never class 08,
     * which would make a pool throw the healthy connection away).
     */
    public static SQLException configInUse(String message) {
        return new ConfigurationMismatchException(PREFIX + message, null);
    }

    /**
     * SQL that names a configured table and cannot be made safe, or a value that cannot be encrypted as bound:
     * refused before it is sent, and counted in {@link EnvelopeMetrics} under its reason.
     */
    public static SQLException refused(RefusalReason reason, String message) {
        EnvelopeMetrics.refused(reason);
        return new StatementRefusedException(reason, PREFIX + message, null);
    }

    /** A refusal counted under {@link RefusalReason#OTHER}; prefer {@link #refused(RefusalReason, String)}. */
    public static SQLException refused(String message) {
        return refused(RefusalReason.OTHER, message);
    }

    public static SQLException refused(String message, Throwable cause) {
        EnvelopeMetrics.refused(RefusalReason.OTHER);
        return new StatementRefusedException(RefusalReason.OTHER, PREFIX + message, cause);
    }

    /** A value that cannot be encrypted (wrong Java type, out of range, needs rounding) or decrypted. */
    public static SQLException data(String message) {
        return new ValueException(SqlState.DATA, PREFIX + message, null);
    }

    public static SQLException data(String message, Throwable cause) {
        return new ValueException(SqlState.DATA, PREFIX + message, cause);
    }

    /**
     * A value whose ciphertext is longer than its column holds (SQLState 22001, as a database reports a string too
     * long for its column), refused before it is sent.
     */
    public static SQLException tooLong(String message) {
        return new ValueException(SqlState.TOO_LONG, PREFIX + message, null);
    }

    /** A value out of range for the declared type (SQLState 22003, as the database would report it). */
    public static SQLException outOfRange(String message) {
        return new ValueException(SqlState.OUT_OF_RANGE, PREFIX + message, null);
    }

    /**
     * A getter's refused conversion, with the SQLState the target driver gives for the same call on a plaintext
     * column (pgJDBC: 22003 "bad value", 42846 "cannot cast to boolean", 42821 "conversion ... not supported"),
     * as the JDBC subclass of that state's class. The message names the place, never the value.
     */
    public static SQLException conversion(String message, String sqlState) {
        if (sqlState.startsWith("22")) {
            return new SQLDataException(PREFIX + message, sqlState);
        }
        if (sqlState.startsWith("42")) {
            return new SQLSyntaxErrorException(PREFIX + message, sqlState);
        }
        if (sqlState.startsWith("0A")) {
            return new SQLFeatureNotSupportedException(PREFIX + message, sqlState);
        }
        return new SQLException(PREFIX + message, sqlState);
    }

    /** A data key or KMS failure. */
    public static SQLException key(String message) {
        return new KeyException(PREFIX + message, null);
    }

    public static SQLException key(String message, Throwable cause) {
        return new KeyException(PREFIX + message, cause);
    }

    /** Any other failure of the wrapper itself (not of the target driver). */
    public static SQLException general(String message, Throwable cause) {
        return new SQLException(PREFIX + message, null, cause);
    }
}
