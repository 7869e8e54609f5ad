package io.envelope.jdbc.keys;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Looks for values in envelope format in a table's encrypted columns, so that a table's first data key is never
 * created while the table already holds values under keys the key table has lost. Implemented where the configured
 * columns are known (the driver); a cheap, bounded read of the table, run once before a first key is made.
 */
@FunctionalInterface
public interface StoredValueProbe {

    /** For key rings that never create first keys behind a table's back (tests). */
    StoredValueProbe NONE = (connection, tableIdentity) -> false;

    /** Whether the bounded sample of {@code tableIdentity}'s encrypted columns holds a value in envelope format. */
    boolean holdsEnvelopeValues(Connection connection, String tableIdentity) throws SQLException;
}
