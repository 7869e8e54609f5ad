package io.envelope.jdbc;

/**
 * The SQLStates of the errors envelope-jdbc raises itself. Errors of the target database and driver keep their own.
 *
 * <p>Connection pools decide from the SQLState whether a connection is broken: HikariCP, Apache DBCP 2, c3p0 and
 * Agroal treat class {@code 08} and a few fixed states ({@code 0A000}, {@code 57P01}–{@code 57P03}, {@code 01002},
 * {@code JZ0C0}, {@code JZ0C1}) as fatal and close the physical connection. Only {@link #CONFIGURATION}, raised
 * while no connection exists yet, is in class 08; everything raised on an open connection leaves it in the pool.
 */
public enum SqlState {

    /** The configuration is missing or wrong: the connection cannot be established. */
    CONFIGURATION("08001"),
    /**
     * The configuration does not fit the database, found on an open connection (an encrypted column missing or of
     * a type that cannot hold ciphertext): class 42, as the database reports a missing column.
     */
    CONFIGURATION_MISMATCH("42000"),
    /**
     * A statement or value refused before it was sent: class 0A ("feature not supported") with a subclass of the
     * implementation's own, because the standard {@code 0A000} is on the pools' fatal list.
     */
    REFUSED("0AX01"),
    /** A value that cannot be encrypted as bound, or a stored value that fails to decrypt or authenticate. */
    DATA("22000"),
    /** A value out of the range of the column's declared type (as PostgreSQL's "integer out of range"). */
    OUT_OF_RANGE("22003"),
    /** A value whose ciphertext is longer than its column holds (as a database's "value too long"). */
    TOO_LONG("22001"),
    /** A data key, key table or KMS failure (class 58: system error outside the statement). */
    KEY("58000");

    private final String code;

    SqlState(String code) {
        this.code = code;
    }

    /** The five-character SQLState. */
    public String code() {
        return code;
    }
}
