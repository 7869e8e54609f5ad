package io.envelope.jdbc;

import java.sql.SQLDataException;

/**
 * A value of an encrypted column that cannot be encrypted as bound (wrong Java type, out of range, would need
 * rounding) or a stored value that fails to decrypt or authenticate. The message names the table, column and key
 * version, never the value.
 */
public final class ValueException extends SQLDataException implements EnvelopeError {

    private static final long serialVersionUID = 1L;

    private final SqlState state;

    ValueException(SqlState state, String message, Throwable cause) {
        super(message, state.code(), cause);
        this.state = state;
    }

    @Override
    public SqlState envelopeState() {
        return state;
    }
}
