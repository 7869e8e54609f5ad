package io.envelope.jdbc.it.corpus;

import io.envelope.jdbc.it.EncryptedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The real-world SQL corpus (issue 3, "Done when"): every statement in {@code corpus/statements.yaml} runs
 * against real PostgreSQL through the wrapper and must give its expected outcome — the rows (decrypted values
 * checked), the update count, or a refusal before sending whose message contains the expected reason. The
 * expected outcomes follow the README (What SQL does) and issue 3's rules, not what the analyzer happens to do today.
 *
 * <p>Entries marked {@code needs: <feature>} depend on analyzer work that is not on this branch yet
 * (literals rewritten in place, subqueries/CTE/UNION reads, INSERT … SELECT copies, ...). They run in their
 * own group, after the supported ones (so their writes cannot change what the supported entries read), and are
 * expected to pass once the features land. Nothing is skipped.
 *
 * <p>Last, a raw scan with plain pgJDBC checks every configured column: each stored value is in envelope format
 * (version byte, the column's mode) and contains none of the plaintexts the corpus or its seed wrote.
 */
class CorpusIT {

    private static final String RESOURCE = "corpus/statements.yaml";

    /** Every configured column: table, column, mode byte (1 randomized, 2 deterministic), stored as text. */
    private record Configured(String table, String column, int mode, boolean textStorage) {
    }

    private static final List<Configured> CONFIGURED = List.of(
            new Configured("customers", "email", 2, true),
            new Configured("customers", "ssn", 2, false),
            new Configured("customers", "note", 1, false),
            new Configured("customers", "birth_date", 1, false),
            new Configured("customers", "balance", 1, false),
            new Configured("orders", "card_number", 2, false),
            new Configured("orders", "shipping_address", 1, true));

    private static EncryptedDatabase db;
    private static Connection conn;
    private static Map<String, Object> document;
    private static final Set<String> writtenPlaintexts = new LinkedHashSet<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void setUp() throws Exception {
        try (InputStream in = CorpusIT.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            document = new Yaml(new LoaderOptions()).load(in);
        }
        db = EncryptedDatabase.create("corpus", (String) document.get("config"));
        for (String ddl : (List<String>) document.get("ddl")) {
            db.executePlain(ddl);
        }
        conn = db.connect();
        for (Map<String, Object> seed : (List<Map<String, Object>>) document.get("seed")) {
            CorpusEntry e = CorpusEntry.from(seed, "seed", "postgresql");
            collectPlaintexts(e);
            Outcome outcome = run(e);
            if (outcome.error != null) {
                throw new AssertionError("seed statement failed: " + outcome.error.getMessage(), outcome.error);
            }
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        if (conn != null) {
            conn.close();
        }
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicNode> corpus() {
        List<CorpusEntry> entries = new ArrayList<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) document.get("statements")) {
            CorpusEntry e = CorpusEntry.from(m, null, null);
            entries.add(e);
            collectPlaintexts(e);
        }
        List<CorpusEntry> supported = entries.stream().filter(e -> e.needs() == null).toList();
        List<CorpusEntry> pending = entries.stream().filter(e -> e.needs() != null).toList();

        DynamicTest shape = DynamicTest.dynamicTest("corpus shape: >= 150 statements, unique ids, every source", () -> {
            assertThat(entries).hasSizeGreaterThanOrEqualTo(150);
            assertThat(entries.stream().map(CorpusEntry::id).distinct().count()).isEqualTo(entries.size());
            Map<String, Long> perSource = new TreeMap<>();
            Map<String, Long> perNeeds = new TreeMap<>();
            for (CorpusEntry e : entries) {
                perSource.merge(e.source(), 1L, Long::sum);
                if (e.needs() != null) {
                    perNeeds.merge(e.needs(), 1L, Long::sum);
                }
            }
            System.out.println("corpus: " + entries.size() + " statements " + perSource + "; needs " + perNeeds);
            assertThat(perSource.keySet()).containsExactlyInAnyOrderElementsOf(CorpusEntry.SOURCES);
        });
        DynamicContainer supportedGroup = DynamicContainer.dynamicContainer(
                "supported: statements this branch's analyzer must handle",
                supported.stream().map(CorpusIT::test));
        DynamicContainer pendingGroup = DynamicContainer.dynamicContainer(
                "needs: statements expected to pass once the pending analyzer features land",
                pending.stream().map(CorpusIT::test));
        DynamicTest rawScan = DynamicTest.dynamicTest(
                "raw scan: no configured column holds plaintext after the corpus ran", CorpusIT::rawScan);
        return Stream.of(shape, supportedGroup, pendingGroup, rawScan);
    }

    private static DynamicTest test(CorpusEntry e) {
        return DynamicTest.dynamicTest(e.displayName(), () -> {
            check(e, run(e));
            if (e.then() != null) {
                check(e.then(), run(e.then()));
            }
        });
    }

    // ------------------------------------------------------------------ running

    private record Outcome(List<List<String>> rows, Integer count, int[] counts, SQLException error) {
    }

    private static String sql(String text) {
        return text.replace("${schema}", db.schema());
    }

    private static Outcome run(CorpusEntry e) {
        try {
            if (e.statementBatch() != null) {
                try (Statement s = conn.createStatement()) {
                    for (String sql : e.statementBatch()) {
                        s.addBatch(sql(sql));
                    }
                    return new Outcome(null, null, s.executeBatch(), null);
                }
            }
            if (e.plainStatement()) {
                try (Statement s = conn.createStatement()) {
                    return outcome(s, s.execute(sql(e.sql())));
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(sql(e.sql()))) {
                if (e.batch() != null) {
                    for (List<String> row : e.batch()) {
                        bind(ps, row);
                        ps.addBatch();
                    }
                    return new Outcome(null, null, ps.executeBatch(), null);
                }
                bind(ps, e.params());
                return outcome(ps, ps.execute());
            }
        } catch (SQLException ex) {
            return new Outcome(null, null, null, ex);
        }
    }

    private static Outcome outcome(Statement s, boolean hasResultSet) throws SQLException {
        if (!hasResultSet) {
            return new Outcome(null, s.getUpdateCount(), null, null);
        }
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet rs = s.getResultSet()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return new Outcome(rows, null, null, null);
    }

    private static void bind(PreparedStatement ps, List<String> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            int colon = p.indexOf(':');
            String type = colon < 0 ? p : p.substring(0, colon);
            String v = colon < 0 ? "" : p.substring(colon + 1);
            int n = i + 1;
            switch (type) {
                case "text" -> ps.setString(n, v);
                case "int" -> ps.setInt(n, Integer.parseInt(v));
                case "long" -> ps.setLong(n, Long.parseLong(v));
                case "decimal" -> ps.setBigDecimal(n, new BigDecimal(v));
                case "date" -> ps.setObject(n, LocalDate.parse(v));
                case "sqldate" -> ps.setDate(n, java.sql.Date.valueOf(v));
                case "bool" -> ps.setBoolean(n, Boolean.parseBoolean(v));
                case "json" -> ps.setObject(n, v, Types.OTHER);
                case "ts" -> ps.setTimestamp(n, Timestamp.valueOf(v));
                case "null" -> ps.setNull(n, switch (v) {
                    case "text" -> Types.VARCHAR;
                    case "date" -> Types.DATE;
                    case "decimal" -> Types.NUMERIC;
                    case "long" -> Types.BIGINT;
                    case "int" -> Types.INTEGER;
                    case "json" -> Types.OTHER;
                    default -> throw new IllegalArgumentException("null of unknown type " + v);
                });
                default -> throw new IllegalArgumentException("unknown parameter type " + type);
            }
        }
    }

    // ------------------------------------------------------------------ checking

    private static void check(CorpusEntry e, Outcome o) {
        if (e.refused() != null) {
            if (o.error == null) {
                fail(e.id() + ": expected a refusal (" + e.refused() + ") but the statement ran: "
                        + (o.rows != null ? o.rows.size() + " rows" : "update count " + o.count));
            }
            String message = o.error.getMessage();
            System.out.println("refused " + e.id() + ": " + message);
            assertThat(message).as(e.id() + ": refusal comes from envelope-jdbc, not the database")
                    .startsWith("envelope-jdbc:");
            assertThat(message.toLowerCase(Locale.ROOT)).as(e.id() + ": refusal reason")
                    .contains(e.refused().toLowerCase(Locale.ROOT));
            for (String plaintext : plaintextsOf(e)) {
                assertThat(message).as(e.id() + ": refusal must not quote a value").doesNotContain(plaintext);
            }
            return;
        }
        if (o.error != null) {
            if (e.dberror() != null && !o.error.getMessage().startsWith("envelope-jdbc:")) {
                assertThat(o.error.getMessage()).as(e.id()).contains(e.dberror());
                return;
            }
            throw new AssertionError(e.id() + ": expected "
                    + (e.dberror() != null ? "a database error (" + e.dberror() + ")" : "success")
                    + " but got: " + o.error.getMessage(), o.error);
        }
        if (e.dberror() != null) {
            fail(e.id() + ": expected a database error (" + e.dberror() + ") but the statement ran");
        }
        if (e.count() != null) {
            assertThat(o.rows).as(e.id() + ": expected an update count, got a result set").isNull();
            assertThat(o.count).as(e.id() + ": update count").isEqualTo(e.count());
        } else if (e.counts() != null) {
            assertThat(o.counts).as(e.id() + ": batch counts")
                    .containsExactly(e.counts().stream().mapToInt(Integer::intValue).toArray());
        } else {
            assertThat(o.rows).as(e.id() + ": expected rows, got update count " + o.count).isNotNull();
            List<List<String>> expected = new ArrayList<>();
            for (List<Object> row : e.rows()) {
                expected.add(row.stream().map(v -> v == null ? null : String.valueOf(v)).toList());
            }
            boolean ordered = e.ordered() != null ? e.ordered()
                    : e.sql() != null && e.sql().toLowerCase(Locale.ROOT).contains("order by");
            List<List<String>> actual = o.rows;
            if (!ordered) {
                Comparator<List<String>> byText = Comparator.comparing(String::valueOf);
                expected = expected.stream().sorted(byText).toList();
                actual = actual.stream().sorted(byText).toList();
            }
            assertThat(actual).as(e.id() + ": rows").isEqualTo(expected);
        }
    }

    // ------------------------------------------------------------------ the raw scan

    private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'");

    /** The values an entry carries that could be plaintext of a configured column (parameters, literals). */
    private static List<String> plaintextsOf(CorpusEntry e) {
        List<String> values = new ArrayList<>();
        List<String> params = new ArrayList<>(e.params());
        if (e.batch() != null) {
            e.batch().forEach(params::addAll);
        }
        for (String p : params) {
            int colon = p.indexOf(':');
            if (colon > 0 && !p.startsWith("null:") && !p.startsWith("json:") && !p.startsWith("bool:")) {
                values.add(p.substring(colon + 1));
            }
        }
        List<String> texts = new ArrayList<>();
        if (e.sql() != null) {
            texts.add(e.sql());
        }
        if (e.statementBatch() != null) {
            texts.addAll(e.statementBatch());
        }
        for (String text : texts) {
            Matcher m = LITERAL.matcher(text);
            while (m.find()) {
                values.add(m.group(1).replace("''", "'"));
            }
        }
        // short values (ids, small numbers) would match random ciphertext bytes by chance
        return values.stream().filter(v -> v.length() >= 5 && !v.startsWith("{")).toList();
    }

    private static void collectPlaintexts(CorpusEntry e) {
        writtenPlaintexts.addAll(plaintextsOf(e));
        if (e.then() != null) {
            collectPlaintexts(e.then());
        }
    }

    private static void rawScan() throws SQLException {
        assertThat(writtenPlaintexts).as("plaintexts collected from the corpus").hasSizeGreaterThan(50);
        int values = 0;
        Map<String, List<String>> problems = new LinkedHashMap<>();
        try (Connection plain = db.plain(); Statement s = plain.createStatement()) {
            for (Configured c : CONFIGURED) {
                try (ResultSet rs = s.executeQuery("SELECT " + c.column + " FROM " + c.table)) {
                    while (rs.next()) {
                        byte[] stored;
                        String raw;
                        if (c.textStorage) {
                            raw = rs.getString(1);
                            if (raw == null) {
                                continue;
                            }
                            if (!raw.matches("[A-Za-z0-9+/]+")) {
                                problems.computeIfAbsent(c.table + "." + c.column, k -> new ArrayList<>())
                                        .add("not base64: " + raw);
                                continue;
                            }
                            stored = Base64.getDecoder().decode(raw);
                        } else {
                            stored = rs.getBytes(1);
                            if (stored == null) {
                                continue;
                            }
                            raw = "";
                        }
                        values++;
                        String bytesAsText = new String(stored, StandardCharsets.ISO_8859_1);
                        List<String> found = new ArrayList<>();
                        if (stored.length < 51 || stored[0] != 0x01 || stored[1] != c.mode) {
                            found.add("not an envelope value of mode " + c.mode + ": "
                                    + Arrays.toString(Arrays.copyOf(stored, Math.min(8, stored.length))));
                        }
                        for (String p : writtenPlaintexts) {
                            // base64 text has 64 symbols: a short plaintext can occur in it by chance, so it
                            // is searched there only from 8 characters on (the decoded bytes always)
                            if ((p.length() >= 8 && raw.contains(p)) || bytesAsText.contains(p)) {
                                found.add("holds plaintext '" + p + "'");
                            }
                        }
                        if (!found.isEmpty()) {
                            problems.computeIfAbsent(c.table + "." + c.column, k -> new ArrayList<>()).addAll(found);
                        }
                    }
                }
            }
        }
        assertThat(problems).as("configured columns holding something other than ciphertext").isEmpty();
        assertThat(values).as("stored values scanned").isGreaterThan(30);
        // and everything stored decrypts through the wrapper (no garbage, nothing undecryptable)
        try (Statement s = conn.createStatement()) {
            for (Configured c : CONFIGURED) {
                try (ResultSet rs = s.executeQuery("SELECT " + c.column + " FROM " + c.table)) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
            }
        }
    }
}
