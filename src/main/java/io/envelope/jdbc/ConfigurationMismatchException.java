package io.envelope.jdbc;

import java.sql.SQLSyntaxErrorException;

/** A configuration that does not fit the database, found on an open connection (which stays usable). */
public final class ConfigurationMismatchException extends SQLSyntaxErrorException implements EnvelopeError {

    private static final long serialVersionUID = 1L;

    ConfigurationMismatchException(String message, Throwable cause) {
        super(message, SqlState.CONFIGURATION_MISMATCH.code(), cause);
    }

    @Override
    public SqlState envelopeState() {
        return SqlState.CONFIGURATION_MISMATCH;
    }
}
