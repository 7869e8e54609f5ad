package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;

/**
 * What one JDBC parameter of a statement binds to: an encrypted column, and whether the value is stored into it
 * or compared with it.
 */
public record ParameterTarget(EncryptedColumn column, Use use) {

    public enum Use {
        /** INSERT value, UPDATE SET value: encrypted under the column's write key. */
        STORE,
        /** Equality or IN on a deterministic column: encrypted deterministically so it matches stored values. */
        MATCH
    }
}
