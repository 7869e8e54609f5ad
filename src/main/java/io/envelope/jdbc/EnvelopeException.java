package io.envelope.jdbc;

import java.sql.SQLException;

/**
 * The one factory for the errors envelope-jdbc raises itself (contract §7).
 *
 * <p>Every message starts with {@code envelope-jdbc:} and names what is involved (table and column,
 * key version, config key, KMS operation). Callers must never pass plaintext values or key material
 * into a message: messages name places, never data.
 */
public final class EnvelopeException {

    public static final String PREFIX = "envelope-jdbc: ";

    /**
     * SQLState for configuration errors raised by {@code connect()}: the connection could not be established. Class
     * 08 is what pools treat as "this connection is broken", which is right only where no connection exists yet, so
     * it is used for nothing that can be raised on an open connection.
     */
    public static final String STATE_CONFIG = "08001";
    /**
     * SQLState for a configuration that does not fit the database, found on first use of an open connection (an
     * encrypted column missing or of a type that cannot hold ciphertext): class 42, as the database reports a
     * missing column or a type mismatch, so a pool keeps the connection.
     */
    public static final String STATE_CONFIG_IN_USE = "42000";
    /**
     * SQLState for SQL the wrapper refuses to send (feature not supported on ciphertext): class 0A with an
     * implementation-defined subclass. Not the standard {@code 0A000}: HikariCP treats that one (with class 08,
     * 57P01-57P03, 01002, JZ0C0 and JZ0C1) as a fatal connection error and closes the physical connection, though
     * a refusal is an application error on a healthy connection. No common pool treats this state as fatal
     * (HikariCP, Apache DBCP 2, c3p0 and Agroal look at class 08 and the fixed states above only).
     */
    public static final String STATE_REFUSED = "0AX01";
    /** SQLState for values that fail to decrypt or authenticate (data exception). */
    public static final String STATE_DATA = "22000";
    /** SQLState for a value out of the range of the column's type (as PostgreSQL's "integer out of range"). */
    public static final String STATE_OUT_OF_RANGE = "22003";
    /** SQLState for key and KMS failures. */
    public static final String STATE_KEY = "58000";

    private EnvelopeException() {
    }

    /**
     * A configuration error, raised by {@code connect()} / {@code getConnection()} before any connection is handed
     * out: the connection cannot be established (JDBC's class for SQLState class 08).
     */
    public static SQLException config(String message) {
        return new java.sql.SQLNonTransientConnectionException(PREFIX + message, STATE_CONFIG);
    }

    public static SQLException config(String message, Throwable cause) {
        return new java.sql.SQLNonTransientConnectionException(PREFIX + message, STATE_CONFIG, cause);
    }

    /**
     * A configuration that does not fit the database, found while an open connection is in use (so never class 08,
     * which would make a pool throw the healthy connection away).
     */
    public static SQLException configInUse(String message) {
        return new java.sql.SQLSyntaxErrorException(PREFIX + message, STATE_CONFIG_IN_USE);
    }

    /**
     * SQL that names a configured table and cannot be made safe, or a value that cannot be encrypted as bound:
     * refused before it is sent, and counted in {@link EnvelopeMetrics} under its reason.
     */
    public static SQLException refused(RefusalReason reason, String message) {
        EnvelopeMetrics.refused(reason);
        return new java.sql.SQLFeatureNotSupportedException(PREFIX + message, STATE_REFUSED);
    }

    /** A refusal counted under {@link RefusalReason#OTHER}; prefer {@link #refused(RefusalReason, String)}. */
    public static SQLException refused(String message) {
        return refused(RefusalReason.OTHER, message);
    }

    public static SQLException refused(String message, Throwable cause) {
        EnvelopeMetrics.refused(RefusalReason.OTHER);
        return new java.sql.SQLFeatureNotSupportedException(PREFIX + message, STATE_REFUSED, cause);
    }

    /** A value that cannot be encrypted (wrong Java type, out of range, needs rounding) or decrypted. */
    public static SQLException data(String message) {
        return new java.sql.SQLDataException(PREFIX + message, STATE_DATA);
    }

    public static SQLException data(String message, Throwable cause) {
        return new java.sql.SQLDataException(PREFIX + message, STATE_DATA, cause);
    }

    /** A value out of range for the declared type (SQLState 22003, as the database would report it). */
    public static SQLException outOfRange(String message) {
        return new java.sql.SQLDataException(PREFIX + message, STATE_OUT_OF_RANGE);
    }

    /**
     * A getter's refused conversion, with the SQLState the target driver gives for the same call on a plaintext
     * column (pgJDBC: 22003 "bad value", 42846 "cannot cast to boolean", 42821 "conversion ... not supported"),
     * as the JDBC subclass of that state's class. The message names the place, never the value.
     */
    public static SQLException conversion(String message, String sqlState) {
        if (sqlState.startsWith("22")) {
            return new java.sql.SQLDataException(PREFIX + message, sqlState);
        }
        if (sqlState.startsWith("42")) {
            return new java.sql.SQLSyntaxErrorException(PREFIX + message, sqlState);
        }
        if (sqlState.startsWith("0A")) {
            return new java.sql.SQLFeatureNotSupportedException(PREFIX + message, sqlState);
        }
        return new SQLException(PREFIX + message, sqlState);
    }

    /** A data key or KMS failure. */
    public static SQLException key(String message) {
        return new SQLException(PREFIX + message, STATE_KEY);
    }

    public static SQLException key(String message, Throwable cause) {
        return new SQLException(PREFIX + message, STATE_KEY, cause);
    }

    /** Any other failure of the wrapper itself (not of the target driver). */
    public static SQLException general(String message, Throwable cause) {
        return new SQLException(PREFIX + message, null, cause);
    }
}
