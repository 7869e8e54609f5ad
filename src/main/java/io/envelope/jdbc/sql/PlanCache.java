package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptionSchema;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded LRU of plans keyed by (schema instance, dialect, SQL text): a plan depends on the configured tables, the
 * catalog facts and the current schema, and each combination is one schema instance (identity equality); and on
 * how the text was lexed, which for MySQL and MariaDB depends on the session's {@code sql_mode}. A hit is one
 * synchronized map lookup; the lock is held only for that lookup, never during analysis.
 *
 * <p>Bounded twice: by entries, and by an estimate of the bytes the entries keep alive (mostly the SQL text), so
 * that an application sending large unique statements cannot fill the heap through it. A plan heavier than
 * 1/64 of the byte bound (32 K characters of SQL at the default bound) is not kept at all: such statements are
 * nearly always generated once (long IN lists, statements built as text) and keeping them would only push out
 * the statements that repeat. Only SQL that names a configured table is ever offered to it
 * (see {@link SqlAnalyzer}): the token scan that clears other SQL is cheaper than keeping it.
 */
final class PlanCache {

    private record Key(EncryptionSchema schema, SqlDialect dialect, String sql) {
    }

    private record Cached(StatementPlan plan, long weight) {
    }

    private final Map<Key, Cached> plans;
    private final int maxEntries;
    private final long maxBytes;
    private long bytes;

    PlanCache(int maxEntries, long maxBytes) {
        this.maxEntries = Math.max(0, maxEntries);
        this.maxBytes = Math.max(0, maxBytes);
        this.plans = new LinkedHashMap<>(16, 0.75f, true);
    }

    StatementPlan get(EncryptionSchema schema, SqlDialect dialect, String sql) {
        Key key = new Key(schema, dialect, sql);
        synchronized (plans) {
            Cached cached = plans.get(key);
            return cached == null ? null : cached.plan();
        }
    }

    void put(EncryptionSchema schema, SqlDialect dialect, String sql, StatementPlan plan) {
        long weight = weight(sql, plan);
        if (weight > maxBytes / 64 || maxEntries == 0) {
            return;
        }
        Key key = new Key(schema, dialect, sql);
        synchronized (plans) {
            Cached previous = plans.put(key, new Cached(plan, weight));
            bytes += weight - (previous == null ? 0 : previous.weight());
            Iterator<Cached> eldest = plans.values().iterator();
            while ((plans.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
                bytes -= eldest.next().weight();
                eldest.remove();
            }
        }
    }

    /** Drops every plan (the layouts or catalog facts they were made from changed). */
    void clear() {
        synchronized (plans) {
            plans.clear();
            bytes = 0;
        }
    }

    int size() {
        synchronized (plans) {
            return plans.size();
        }
    }

    long bytes() {
        synchronized (plans) {
            return bytes;
        }
    }

    /**
     * What an entry keeps alive, over-estimated: the SQL text at two bytes a character (the application usually
     * holds the same string, but need not), the plan's arrays, and the map's own nodes.
     */
    static long weight(String sql, StatementPlan plan) {
        return 2L * sql.length() + 256 + 48L * plan.parameterCount() + 64L * plan.literals().size();
    }
}
