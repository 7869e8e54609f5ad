package io.envelope.jdbc.it.properties;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.EncryptedTarget;
import io.envelope.jdbc.it.mariadb.EncryptedMariaDb;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Property-based test (issue 3, "Done when"), with QuickTheories: random schemas (one or two tables, one to four
 * encrypted columns of random plaintext type, mode and storage, plus plain columns) and random INSERT / UPDATE /
 * SELECT / DELETE statements against real PostgreSQL through the wrapper, checked against an in-memory model.
 *
 * <p>Invariants, after every example: (1) every read through the wrapper returns what the model says was
 * written; (2) a raw scan with plain pgJDBC finds only envelope-format values (version byte, the column's mode)
 * in configured columns, none containing a text plaintext that was written. Statements the documented rules refuse
 * (ORDER BY, LIKE, &lt; on an encrypted column, equality on a randomized one) are generated too and must be
 * refused with an {@code envelope-jdbc:} error, never executed (the model, which ignores them, stays right).
 *
 * <p>A scenario is built from a generated seed and size; a failure names both, so it can be replayed.
 */
class RandomStatementsPropertyIT {

    private static final String[] TYPES = {"text", "int", "bigint", "date", "decimal", "boolean"};
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 @.-_äöüßéñ中文🙂'\"%\\";

    private record Col(String name, String type, boolean encrypted, boolean deterministic, boolean textStorage) {
        Class<?> javaClass() {
            return switch (type) {
                case "text" -> String.class;
                case "int" -> Integer.class;
                case "bigint" -> Long.class;
                case "date" -> LocalDate.class;
                case "decimal" -> BigDecimal.class;
                case "boolean" -> Boolean.class;
                default -> throw new IllegalStateException(type);
            };
        }
    }

    private record Table(String name, List<Col> cols, Map<Long, Map<String, Object>> rows) {
        List<Col> encrypted() {
            return cols.stream().filter(Col::encrypted).toList();
        }
    }

    /** The database a run is on: how it is made, its column types and how it quotes a name. */
    private enum Target {
        POSTGRESQL("bytea", "text", "bigint", '"'),
        MARIADB("VARBINARY(255)", "TEXT", "BIGINT", '`');

        final String binaryType;
        final String textType;
        final String bigintType;
        final char quote;

        Target(String binaryType, String textType, String bigintType, char quote) {
            this.binaryType = binaryType;
            this.textType = textType;
            this.bigintType = bigintType;
            this.quote = quote;
        }

        EncryptedTarget create(String prefix, String yaml) throws Exception {
            return this == POSTGRESQL ? EncryptedDatabase.create(prefix, yaml) : EncryptedMariaDb.create(prefix, yaml);
        }

        String quoted(String name) {
            return quote + name + quote;
        }

        /** A cast of a column to text, in the database's syntax. */
        String asText(String column) {
            return this == POSTGRESQL ? column + "::text" : "CAST(" + column + " AS CHAR)";
        }
    }

    private Target target;
    private final AtomicInteger examples = new AtomicInteger();
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();

    @Test
    void randomStatementsNeverStorePlaintextAndReadBackWhatWasWrittenOnPostgreSql() {
        check(Target.POSTGRESQL);
    }

    @Test
    void randomStatementsNeverStorePlaintextAndReadBackWhatWasWrittenOnMariaDb() {
        check(Target.MARIADB);
    }

    private void check(Target on) {
        target = on;
        qt().withExamples(30).withShrinkCycles(0)
                .forAll(longs().all(), integers().between(4, 12))
                .checkAssert((seed, size) -> {
                    try {
                        runScenario(seed, size);
                    } catch (Exception e) {
                        throw new AssertionError("scenario seed=" + seed + " size=" + size + ": " + e, e);
                    }
                });
        System.out.println("property on " + on + ": " + examples + " schemas, " + statements + " statements, "
                + refusals + " refused as the documented rules require");
        assertThat(examples.get()).isEqualTo(30);
        assertThat(refusals.get()).isPositive();
    }

    private void runScenario(long seed, int size) throws Exception {
        Random random = new Random(seed);
        List<Table> tables = new ArrayList<>();
        StringBuilder yaml = new StringBuilder();
        int tableCount = 1 + random.nextInt(2);
        for (int t = 0; t < tableCount; t++) {
            String name = "t" + t + "_" + Long.toString(random.nextLong() & 0xffffff, 36);
            if (t == 1 && random.nextBoolean()) {
                // as real schemas name them (customers, customers_archive): one configured name inside another
                name = tables.get(0).name() + "_" + Long.toString(random.nextLong() & 0xfff, 36);
            }
            List<Col> cols = new ArrayList<>();
            int encryptedCount = 1 + random.nextInt(4);
            for (int c = 0; c < encryptedCount; c++) {
                String type = TYPES[random.nextInt(TYPES.length)];
                cols.add(new Col("e" + c + "_" + type, type, true, random.nextBoolean(), random.nextBoolean()));
            }
            int plainCount = random.nextInt(3);
            for (int c = 0; c < plainCount; c++) {
                String type = random.nextBoolean() ? "text" : "int";
                cols.add(new Col("p" + c + "_" + type, type, false, false, false));
            }
            Collections.shuffle(cols, random);
            tables.add(new Table(name, cols, new TreeMap<>()));
            yaml.append("  ").append(name).append(":\n    columns:\n");
            for (Col c : cols) {
                if (c.encrypted) {
                    yaml.append("      ").append(c.name).append(": { mode: ")
                            .append(c.deterministic ? "deterministic" : "randomized").append(", type: ")
                            .append(c.type).append(c.type.equals("decimal") ? ", scale: 2" : "").append(" }\n");
                }
            }
        }
        EncryptedTarget db = target.create("prop", yaml.toString());
        for (Table t : tables) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE " + t.name + " (id " + target.bigintType
                    + " PRIMARY KEY");
            for (Col c : t.cols) {
                ddl.append(", ").append(c.name).append(' ').append(c.encrypted
                        ? (c.textStorage ? target.textType : target.binaryType)
                        : c.type.equals("int") ? "int" : target.textType);
            }
            db.executePlain(ddl.append(')').toString());
        }
        List<String> writtenTexts = new ArrayList<>();
        try (Connection conn = db.connect()) {
            // a few rows first, so that updates, lookups and deletes have something to hit
            for (Table t : tables) {
                for (int i = 0; i < 3; i++) {
                    insert(conn, t, random, writtenTexts);
                }
            }
            for (int i = 0; i < size; i++) {
                Table t = tables.get(random.nextInt(tables.size()));
                statements.incrementAndGet();
                switch (random.nextInt(9)) {
                    case 0, 1 -> insert(conn, t, random, writtenTexts);
                    case 2 -> updateById(conn, t, random, writtenTexts);
                    case 3 -> updateByLookup(conn, t, random, writtenTexts);
                    case 4 -> selectById(conn, t, random);
                    case 5 -> selectByLookup(conn, t, random);
                    case 6 -> deleteSome(conn, t, random);
                    case 7 -> selectIsNull(conn, t, random);
                    default -> refused(conn, t, random);
                }
            }
            for (Table t : tables) {
                readEverything(conn, t);
            }
        }
        rawScan(db, tables, writtenTexts);
        examples.incrementAndGet();
    }

    // ------------------------------------------------------------------ values

    private static Object value(Col c, Random r) {
        if (r.nextInt(6) == 0) {
            return null;
        }
        return switch (c.type) {
            case "text" -> {
                int len = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(24);
                StringBuilder s = new StringBuilder();
                int[] cps = ALPHABET.codePoints().toArray();
                for (int i = 0; i < len; i++) {
                    s.appendCodePoint(cps[r.nextInt(cps.length)]);
                }
                yield s.toString();
            }
            case "int" -> r.nextBoolean() ? r.nextInt() : r.nextInt(10);
            case "bigint" -> r.nextBoolean() ? r.nextLong() : (long) r.nextInt(10);
            case "date" -> LocalDate.ofEpochDay(r.nextInt(80_000) - 40_000);
            case "decimal" -> BigDecimal.valueOf(r.nextInt(2_000_000) - 1_000_000, 2)
                    .setScale(r.nextBoolean() ? 2 : 2); // scale 2 (1.5 and 1.50 are the same value)
            case "boolean" -> r.nextBoolean();
            default -> throw new IllegalStateException(c.type);
        };
    }

    private static void bind(PreparedStatement ps, int i, Col c, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, switch (c.type) {
                case "text" -> Types.VARCHAR;
                case "int" -> Types.INTEGER;
                case "bigint" -> Types.BIGINT;
                case "date" -> Types.DATE;
                case "decimal" -> Types.NUMERIC;
                default -> Types.BOOLEAN;
            });
            return;
        }
        switch (c.type) {
            case "text" -> ps.setString(i, (String) v);
            case "int" -> ps.setInt(i, (Integer) v);
            case "bigint" -> ps.setLong(i, (Long) v);
            case "date" -> ps.setObject(i, v);
            case "decimal" -> ps.setBigDecimal(i, ((BigDecimal) v).stripTrailingZeros().scale() <= 1
                    && ((BigDecimal) v).scale() == 2 ? ((BigDecimal) v).stripTrailingZeros() : (BigDecimal) v);
            default -> ps.setBoolean(i, (Boolean) v);
        }
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    /** A random spelling of a column reference: bare, table-qualified, alias-qualified or quoted. */
    private String ref(String alias, Col c, Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> c.name;
            case 1 -> alias + "." + c.name;
            default -> alias + "." + target.quoted(c.name);
        };
    }

    // ------------------------------------------------------------------ statements

    private void insert(Connection conn, Table t, Random r, List<String> texts) throws SQLException {
        List<Col> cols = new ArrayList<>(t.cols);
        Collections.shuffle(cols, r);
        int rowsInStatement = 1 + r.nextInt(2);
        StringBuilder sql = new StringBuilder("INSERT INTO " + (r.nextBoolean() ? t.name : target.quoted(t.name))
                + " (id");
        cols.forEach(c -> sql.append(", ").append(c.name));
        sql.append(") VALUES ");
        String row = "(?" + ", ?".repeat(cols.size()) + ")";
        sql.append(String.join(", ", Collections.nCopies(rowsInStatement, row)));
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            int p = 1;
            List<Map<String, Object>> newRows = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (int k = 0; k < rowsInStatement; k++) {
                long id;
                do {
                    id = 1 + r.nextInt(1_000_000);
                } while (t.rows.containsKey(id) || ids.contains(id));
                ids.add(id);
                ps.setLong(p++, id);
                Map<String, Object> values = new LinkedHashMap<>();
                for (Col c : cols) {
                    Object v = value(c, r);
                    values.put(c.name, v);
                    bind(ps, p++, c, v);
                    if (c.encrypted && v instanceof String s && s.length() >= 4) {
                        texts.add(s);
                    }
                }
                newRows.add(values);
            }
            assertThat(ps.executeUpdate()).isEqualTo(rowsInStatement);
            for (int k = 0; k < rowsInStatement; k++) {
                t.rows.put(ids.get(k), newRows.get(k));
            }
        }
    }

    private Long anyId(Table t, Random r) {
        if (t.rows.isEmpty()) {
            return 424242L;
        }
        List<Long> ids = new ArrayList<>(t.rows.keySet());
        return r.nextInt(5) == 0 ? 999_999_999L : ids.get(r.nextInt(ids.size()));
    }

    private void updateById(Connection conn, Table t, Random r, List<String> texts) throws SQLException {
        List<Col> set = new ArrayList<>(t.cols);
        Collections.shuffle(set, r);
        set = set.subList(0, 1 + r.nextInt(set.size()));
        String alias = "u";
        StringBuilder sql = new StringBuilder("UPDATE " + t.name + " " + alias + " SET ");
        for (int i = 0; i < set.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(set.get(i).name).append(" = ?");
        }
        sql.append(" WHERE ").append(r.nextBoolean() ? "id" : alias + ".id").append(" = ?");
        long id = anyId(t, r);
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < set.size(); i++) {
                Object v = value(set.get(i), r);
                values.put(set.get(i).name, v);
                bind(ps, i + 1, set.get(i), v);
                if (set.get(i).encrypted && v instanceof String s && s.length() >= 4) {
                    texts.add(s);
                }
            }
            ps.setLong(set.size() + 1, id);
            int count = ps.executeUpdate();
            assertThat(count).isEqualTo(t.rows.containsKey(id) ? 1 : 0);
            if (t.rows.containsKey(id)) {
                t.rows.get(id).putAll(values);
            }
        }
    }

    /** A deterministic column and a value to look up: one that some row holds, or sometimes one none holds. */
    private Object[] lookup(Table t, Random r) {
        List<Col> det = t.cols.stream().filter(c -> c.encrypted && c.deterministic).toList();
        if (det.isEmpty() || t.rows.isEmpty()) {
            return null;
        }
        Col c = det.get(r.nextInt(det.size()));
        List<Map<String, Object>> rows = new ArrayList<>(t.rows.values());
        Object v = rows.get(r.nextInt(rows.size())).get(c.name);
        if (v == null || r.nextInt(4) == 0) {
            v = value(c, r);
            if (v == null) {
                v = switch (c.type) {
                    case "text" -> "absent";
                    case "int" -> 7;
                    case "bigint" -> 7L;
                    case "date" -> LocalDate.of(2000, 1, 1);
                    case "decimal" -> new BigDecimal("7.00");
                    default -> Boolean.TRUE;
                };
            }
        }
        return new Object[] {c, v};
    }

    private TreeSet<Long> matching(Table t, Col c, Object v) {
        TreeSet<Long> ids = new TreeSet<>();
        t.rows.forEach((id, row) -> {
            if (row.get(c.name) != null && sameValue(row.get(c.name), v)) {
                ids.add(id);
            }
        });
        return ids;
    }

    private void updateByLookup(Connection conn, Table t, Random r, List<String> texts) throws SQLException {
        Object[] l = lookup(t, r);
        List<Col> plain = t.cols.stream().filter(c -> !c.encrypted || !c.deterministic).toList();
        if (l == null || plain.isEmpty()) {
            updateById(conn, t, r, texts);
            return;
        }
        Col key = (Col) l[0];
        Col target = plain.get(r.nextInt(plain.size()));
        Object v = value(target, r);
        try (PreparedStatement ps = conn.prepareStatement("UPDATE " + t.name + " SET " + target.name
                + " = ? WHERE " + key.name + " = ?")) {
            bind(ps, 1, target, v);
            bind(ps, 2, key, l[1]);
            TreeSet<Long> expected = matching(t, key, l[1]);
            assertThat(ps.executeUpdate()).as("rows updated by lookup").isEqualTo(expected.size());
            expected.forEach(id -> t.rows.get(id).put(target.name, v));
            if (target.encrypted && v instanceof String s && s.length() >= 4) {
                texts.add(s);
            }
        }
    }

    private void checkRow(ResultSet rs, Table t, long id, List<Col> cols) throws SQLException {
        Map<String, Object> expected = t.rows.get(id);
        for (Col c : cols) {
            Object actual = rs.getObject(c.name, c.javaClass());
            Object want = expected.get(c.name);
            if (!(want == null ? actual == null : sameValue(want, actual))) {
                fail(t.name + "." + c.name + " of row " + id + ": expected " + want + " but read " + actual);
            }
            if (c.type.equals("decimal") && actual != null) {
                assertThat(((BigDecimal) actual).scale()).as("decimal at the declared scale").isEqualTo(2);
            }
        }
    }

    private void selectById(Connection conn, Table t, Random r) throws SQLException {
        long id = anyId(t, r);
        List<Col> cols = new ArrayList<>(t.cols);
        Collections.shuffle(cols, r);
        boolean star = r.nextInt(3) == 0;
        String alias = "s";
        StringBuilder sql = new StringBuilder("SELECT ");
        if (star) {
            sql.append(r.nextBoolean() ? "*" : alias + ".*");
        } else {
            sql.append(alias).append(".id");
            cols.forEach(c -> sql.append(", ").append(ref(alias, c, r)));
        }
        sql.append(" FROM ").append(t.name).append(' ').append(alias).append(" WHERE id = ?");
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (t.rows.containsKey(id)) {
                    assertThat(rs.next()).isTrue();
                    checkRow(rs, t, id, cols);
                }
                assertThat(rs.next()).isFalse();
            }
        }
    }

    private void selectByLookup(Connection conn, Table t, Random r) throws SQLException {
        Object[] l = lookup(t, r);
        if (l == null) {
            selectById(conn, t, r);
            return;
        }
        Col key = (Col) l[0];
        boolean in = r.nextBoolean();
        String sql = "SELECT id, " + key.name + " FROM " + t.name + " x WHERE "
                + ref("x", key, r) + (in ? " IN (?, ?)" : " = ?");
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, 1, key, l[1]);
            if (in) {
                bind(ps, 2, key, l[1]);
            }
            TreeSet<Long> ids = new TreeSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    assertThat(sameValue(rs.getObject(2, key.javaClass()), l[1])).isTrue();
                }
            }
            assertThat(ids).as("lookup " + t.name + "." + key.name).isEqualTo(matching(t, key, l[1]));
        }
    }

    private void selectIsNull(Connection conn, Table t, Random r) throws SQLException {
        List<Col> enc = t.encrypted();
        Col c = enc.get(r.nextInt(enc.size()));
        boolean not = r.nextBoolean();
        try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM " + t.name + " WHERE " + c.name
                + (not ? " IS NOT NULL" : " IS NULL"));
             ResultSet rs = ps.executeQuery()) {
            TreeSet<Long> ids = new TreeSet<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            TreeSet<Long> expected = new TreeSet<>();
            t.rows.forEach((id, row) -> {
                if ((row.get(c.name) == null) != not) {
                    expected.add(id);
                }
            });
            assertThat(ids).isEqualTo(expected);
        }
    }

    private void deleteSome(Connection conn, Table t, Random r) throws SQLException {
        Object[] l = r.nextBoolean() ? lookup(t, r) : null;
        if (l == null) {
            long id = anyId(t, r);
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + t.name + " WHERE id = ?")) {
                ps.setLong(1, id);
                assertThat(ps.executeUpdate()).isEqualTo(t.rows.containsKey(id) ? 1 : 0);
                t.rows.remove(id);
            }
            return;
        }
        Col key = (Col) l[0];
        // MariaDB 10.11 takes a table alias in DELETE only in its multi-table form
        String from = target == Target.POSTGRESQL ? "DELETE FROM " + t.name + " d" : "DELETE d FROM " + t.name + " d";
        try (PreparedStatement ps = conn.prepareStatement(from + " WHERE d." + key.name + " = ?")) {
            bind(ps, 1, key, l[1]);
            TreeSet<Long> expected = matching(t, key, l[1]);
            assertThat(ps.executeUpdate()).isEqualTo(expected.size());
            expected.forEach(t.rows::remove);
        }
    }

    /** A statement the documented rules refuse: it must fail with an envelope-jdbc error and change nothing. */
    private void refused(Connection conn, Table t, Random r) throws SQLException {
        List<Col> enc = t.encrypted();
        Col c = enc.get(r.nextInt(enc.size()));
        List<Col> randomized = enc.stream().filter(x -> !x.deterministic).toList();
        String sql;
        Object param = null;
        Col paramCol = null;
        switch (r.nextInt(5)) {
            case 0 -> sql = "SELECT id, " + c.name + " FROM " + t.name + " ORDER BY " + c.name;
            case 1 -> {
                sql = "SELECT id FROM " + t.name + " WHERE " + c.name + " < ?";
                paramCol = c;
            }
            case 2 -> sql = "SELECT id FROM " + t.name + " WHERE " + c.name + " LIKE 'a%'";
            case 3 -> {
                if (randomized.isEmpty()) {
                    sql = "SELECT max(" + c.name + ") FROM " + t.name;
                } else {
                    paramCol = randomized.get(r.nextInt(randomized.size()));
                    sql = "DELETE FROM " + t.name + " WHERE " + paramCol.name + " = ?";
                }
            }
            default -> {
                List<Col> plain = t.cols.stream().filter(x -> !x.encrypted).toList();
                sql = plain.isEmpty()
                        ? "SELECT count(*) FROM " + t.name + " WHERE lower(" + target.asText(c.name) + ") = 'x'"
                        : "UPDATE " + t.name + " SET " + c.name + " = " + plain.get(0).name;
            }
        }
        if (paramCol != null) {
            param = value(paramCol, r);
            while (param == null) {
                param = value(paramCol, r);
            }
        }
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            if (paramCol != null) {
                bind(ps, 1, paramCol, param);
            }
            ps.execute();
            fail("not refused: " + sql);
        } catch (SQLException e) {
            assertThat(e.getMessage()).as(sql).startsWith("envelope-jdbc:");
            refusals.incrementAndGet();
        }
    }

    private void readEverything(Connection conn, Table t) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + t.name)) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                long id = rs.getLong("id");
                assertThat(t.rows).containsKey(id);
                checkRow(rs, t, id, t.cols);
            }
            assertThat(rows).as("rows of " + t.name).isEqualTo(t.rows.size());
        }
    }

    private void rawScan(EncryptedTarget db, List<Table> tables, List<String> texts) throws SQLException {
        try (Connection plain = db.plain(); Statement s = plain.createStatement()) {
            for (Table t : tables) {
                for (Col c : t.encrypted()) {
                    try (ResultSet rs = s.executeQuery("SELECT " + c.name + " FROM " + t.name)) {
                        while (rs.next()) {
                            byte[] stored;
                            String raw = "";
                            if (c.textStorage) {
                                raw = rs.getString(1);
                                if (raw == null) {
                                    continue;
                                }
                                assertThat(raw).as(t.name + "." + c.name + " is base64").matches("[A-Za-z0-9+/]+");
                                stored = Base64.getDecoder().decode(raw);
                            } else {
                                stored = rs.getBytes(1);
                                if (stored == null) {
                                    continue;
                                }
                            }
                            assertThat(stored[0]).as(t.name + "." + c.name + " format version").isEqualTo((byte) 1);
                            assertThat(stored[1]).as(t.name + "." + c.name + " mode")
                                    .isEqualTo((byte) (c.deterministic ? 2 : 1));
                            String asText = new String(stored, StandardCharsets.UTF_8);
                            String asLatin1 = new String(stored, StandardCharsets.ISO_8859_1);
                            for (String p : texts) {
                                // base64 text has 64 symbols, so a short plaintext occurs in it by chance:
                                // it is searched there only from 8 characters on (the decoded bytes always); a
                                // value stored unencrypted would already have failed the format checks above
                                if ((p.length() >= 8 && raw.contains(p)) || asText.contains(p)
                                        || asLatin1.contains(p)) {
                                    fail(t.name + "." + c.name + " holds a plaintext that was written");
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
