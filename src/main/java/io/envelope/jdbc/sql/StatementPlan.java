package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedTable;

/**
 * The outcome of analysing one SQL string, cached by that string: which parameters to encrypt, which result
 * columns to decrypt, and the SQL to send. Immutable and shared between connections.
 */
public final class StatementPlan {

    private final String sql;
    private final boolean passThrough;
    private final ParameterTarget[] parameters;
    private final ResultShape results;
    private final EncryptedTable writeTarget;

    private StatementPlan(String sql, boolean passThrough, ParameterTarget[] parameters, ResultShape results,
                          EncryptedTable writeTarget) {
        this.sql = sql;
        this.passThrough = passThrough;
        this.parameters = parameters;
        this.results = results;
        this.writeTarget = writeTarget;
    }

    /** A statement that touches no encrypted column: sent as it is, results returned as they are. */
    public static StatementPlan passThrough(String sql) {
        return new StatementPlan(sql, true, new ParameterTarget[0], ResultShape.NONE, null);
    }

    /**
     * @param sql         the SQL to send (the original text unless analysis rewrote it)
     * @param parameters  index 0 is JDBC parameter 1; null entries are parameters sent as they are
     * @param results     the encrypted columns of the result (for SELECT and RETURNING)
     * @param writeTarget the configured table an INSERT/UPDATE writes, for {@code getGeneratedKeys()}; or null
     */
    public static StatementPlan encrypted(String sql, ParameterTarget[] parameters, ResultShape results,
                                          EncryptedTable writeTarget) {
        return new StatementPlan(sql, false, parameters.clone(), results, writeTarget);
    }

    public String sql() {
        return sql;
    }

    /** True when nothing in the statement is encrypted: no parameter, literal or result column. */
    public boolean isPassThrough() {
        return passThrough;
    }

    /** What JDBC parameter {@code index} (1-based) binds to, or null when it is sent as it is. */
    public ParameterTarget parameter(int index) {
        return index >= 1 && index <= parameters.length ? parameters[index - 1] : null;
    }

    /** The number of parameters analysis saw (the highest {@code ?} position). */
    public int parameterCount() {
        return parameters.length;
    }

    public ResultShape results() {
        return results;
    }

    /** The configured table an INSERT or UPDATE writes, or null. */
    public EncryptedTable writeTarget() {
        return writeTarget;
    }
}
