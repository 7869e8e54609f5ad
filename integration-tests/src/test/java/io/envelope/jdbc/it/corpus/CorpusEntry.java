package io.envelope.jdbc.it.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One statement of the SQL corpus and its expected outcome, as read from {@code corpus/statements.yaml}.
 *
 * <p>Exactly one outcome: {@code rows} (a result set, compared value by value as {@code getString}),
 * {@code count} (an update count), {@code counts} (batch update counts), {@code refused} (an
 * {@code envelope-jdbc:} refusal whose message contains the fragment) or {@code dberror} (the database's own
 * error, passed through unchanged). {@code needs} names a feature the analyzer does not have yet on this branch.
 */
record CorpusEntry(
        String id,
        String source,
        String sql,
        boolean plainStatement,
        List<String> params,
        List<List<String>> batch,
        List<String> statementBatch,
        List<List<Object>> rows,
        Boolean ordered,
        Integer count,
        List<Integer> counts,
        String refused,
        String dberror,
        String needs,
        CorpusEntry then) {

    static final List<String> SOURCES = List.of("hibernate", "spring-data-jdbc", "jooq", "mybatis", "postgresql");

    @SuppressWarnings("unchecked")
    static CorpusEntry from(Map<String, Object> m, String inheritedId, String inheritedSource) {
        String id = m.containsKey("id") ? (String) m.get("id") : inheritedId;
        String source = m.containsKey("source") ? (String) m.get("source") : inheritedSource;
        Objects.requireNonNull(id, "corpus entry without id: " + m);
        if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException(id + ": unknown source " + source);
        }
        List<List<String>> batch = null;
        if (m.get("batch") != null) {
            batch = new ArrayList<>();
            for (List<Object> row : (List<List<Object>>) m.get("batch")) {
                batch.add(row.stream().map(String::valueOf).toList());
            }
        }
        List<String> params = m.get("params") == null ? List.of()
                : ((List<Object>) m.get("params")).stream().map(String::valueOf).toList();
        CorpusEntry then = m.get("then") == null ? null
                : from((Map<String, Object>) m.get("then"), id + "/then", source);
        CorpusEntry e = new CorpusEntry(id, source, (String) m.get("sql"),
                Boolean.TRUE.equals(m.get("statement")), params, batch, (List<String>) m.get("statement_batch"),
                (List<List<Object>>) m.get("rows"), (Boolean) m.get("ordered"),
                (Integer) m.get("count"), (List<Integer>) m.get("counts"),
                (String) m.get("refused"), (String) m.get("dberror"), (String) m.get("needs"), then);
        int outcomes = (e.rows != null ? 1 : 0) + (e.count != null ? 1 : 0) + (e.counts != null ? 1 : 0)
                + (e.refused != null ? 1 : 0) + (e.dberror != null ? 1 : 0);
        if (outcomes != 1) {
            throw new IllegalArgumentException(id + ": needs exactly one of rows/count/counts/refused/dberror");
        }
        if ((e.sql == null) == (e.statementBatch == null)) {
            throw new IllegalArgumentException(id + ": needs sql or statement_batch");
        }
        return e;
    }

    String displayName() {
        return id + " [" + source + "]" + (needs == null ? "" : " needs " + needs);
    }
}
