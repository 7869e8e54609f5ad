package io.envelope.jdbc.sql;

import java.sql.SQLException;

/**
 * Turns SQL text into a {@link StatementPlan}: a cheap token scan first (SQL that names no configured table
 * passes through without a parse), then a real parse, and a bounded cache keyed by SQL string so a repeated
 * statement costs one map lookup.
 *
 * <p>API skeleton: implemented by the SQL analysis work.
 */
public final class SqlAnalyzer {

    /** @param cacheSize the most plans kept (least recently used go first) */
    public SqlAnalyzer(int cacheSize) {
    }

    /**
     * The plan for this SQL on a connection whose configured tables and catalog are {@code catalog}.
     *
     * @throws java.sql.SQLException an {@code envelope-jdbc:} refusal for SQL that names a configured table
     *                               and cannot be made safe (never quoting SQL that carried a literal)
     */
    public StatementPlan plan(String sql, Catalog catalog) throws SQLException {
        throw new UnsupportedOperationException("implemented by the SQL analysis work");
    }
}
