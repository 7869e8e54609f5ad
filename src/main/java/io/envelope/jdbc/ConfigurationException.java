package io.envelope.jdbc;

import java.sql.SQLNonTransientConnectionException;

/** A configuration that is missing or wrong, raised by {@code connect()} before any connection is handed out. */
public final class ConfigurationException extends SQLNonTransientConnectionException implements EnvelopeError {

    private static final long serialVersionUID = 1L;

    ConfigurationException(String message, Throwable cause) {
        super(message, SqlState.CONFIGURATION.code(), cause);
    }

    @Override
    public SqlState envelopeState() {
        return SqlState.CONFIGURATION;
    }
}
