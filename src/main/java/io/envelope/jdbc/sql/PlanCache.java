package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptionSchema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded LRU of plans keyed by (schema instance, SQL text): a plan depends on the configured tables and the
 * current schema, and different connections' schemas are different instances (identity equality). A hit is
 * one synchronized map lookup; the lock is held only for that lookup, never during analysis.
 */
final class PlanCache {

    private record Key(EncryptionSchema schema, String sql) {
    }

    private final Map<Key, StatementPlan> plans;

    PlanCache(int capacity) {
        int bound = Math.max(0, capacity);
        this.plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, StatementPlan> eldest) {
                return size() > bound;
            }
        };
    }

    StatementPlan get(EncryptionSchema schema, String sql) {
        Key key = new Key(schema, sql);
        synchronized (plans) {
            return plans.get(key);
        }
    }

    void put(EncryptionSchema schema, String sql, StatementPlan plan) {
        Key key = new Key(schema, sql);
        synchronized (plans) {
            plans.put(key, plan);
        }
    }

    int size() {
        synchronized (plans) {
            return plans.size();
        }
    }
}
