package io.envelope.jdbc;

import java.sql.SQLException;

/** A data key, key table or KMS failure. The message names the table, key version, key table or KMS operation. */
public final class KeyException extends SQLException implements EnvelopeError {

    private static final long serialVersionUID = 1L;

    KeyException(String message, Throwable cause) {
        super(message, SqlState.KEY.code(), cause);
    }

    @Override
    public SqlState envelopeState() {
        return SqlState.KEY;
    }
}
