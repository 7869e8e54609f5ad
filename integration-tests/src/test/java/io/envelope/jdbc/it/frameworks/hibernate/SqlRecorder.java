package io.envelope.jdbc.it.frameworks.hibernate;

import org.hibernate.resource.jdbc.spi.StatementInspector;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records every SQL string Hibernate prepares, unchanged, so that a test can say which form of a statement it
 * exercised. Named in {@code hibernate.session_factory.statement_inspector}.
 */
public final class SqlRecorder implements StatementInspector {

    private static final Queue<String> SQL = new ConcurrentLinkedQueue<>();

    @Override
    public String inspect(String sql) {
        SQL.add(sql);
        return sql;
    }

    /** A mark to pass to {@link #since} later. */
    public static int mark() {
        return SQL.size();
    }

    /** The SQL recorded since {@code mark}, in order. */
    public static List<String> since(int mark) {
        return SQL.stream().skip(mark).toList();
    }
}
