package io.envelope.jdbc.driver;

import io.envelope.jdbc.sql.StatementPlan;

import java.sql.CallableStatement;

/**
 * A {@link CallableStatement}. Its positional parameters that the SQL analysis binds to encrypted columns are
 * encrypted like a prepared statement's; what a stored procedure does with its arguments happens in the server,
 * outside the wrapper's promise (see README, What SQL does): a procedure that writes an argument into an encrypted column
 * writes whatever it was given.
 */
public final class EnvelopeCallableStatement extends DelegatingCallableStatement {

    EnvelopeCallableStatement(EnvelopeConnection connection, CallableStatement delegate, StatementPlan plan) {
        super(connection, delegate, plan);
    }
}
