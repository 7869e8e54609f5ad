package io.envelope.jdbc;

import java.sql.SQLFeatureNotSupportedException;

/**
 * A statement or value refused before anything was sent: the operation cannot run on ciphertext, or the SQL could
 * put plaintext into an encrypted column. The connection is healthy and stays usable. The message says what to do
 * instead; {@link #reason()} is the label under which the refusal is counted.
 */
public final class StatementRefusedException extends SQLFeatureNotSupportedException implements EnvelopeError {

    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;

    StatementRefusedException(RefusalReason reason, String message, Throwable cause) {
        super(message, SqlState.REFUSED.code(), cause);
        this.reason = reason;
    }

    /** Why the statement was refused. */
    public RefusalReason reason() {
        return reason;
    }

    @Override
    public SqlState envelopeState() {
        return SqlState.REFUSED;
    }
}
