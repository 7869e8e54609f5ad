package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.StatementRefusedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MySQL-shaped statement corpus ({@code corpus/mysql-statements.yaml}: Hibernate 7's MySQL and MariaDB
 * dialects, Spring Data JDBC, jOOQ, MyBatis) run against the real MariaDB server through the wrapper. Every value
 * bound for an encrypted column carries a marker; every entry the corpus expects to be refused must be refused by
 * the wrapper for its reason, before anything is sent; every other entry must run on MariaDB, except the ones that
 * use MySQL 8 syntax MariaDB does not have (listed below, each must then fail at the server, not at the wrapper).
 * Last, a scan of every column of every table finds no marker: nothing was stored or sent in plaintext.
 */
class MariaDbCorpusIT {

    private static final String MARK = "zqcorpus";

    /** Entries in MySQL 8's syntax, which MariaDB 10.11 rejects as a syntax error. */
    private static final Map<String, String> MYSQL_ONLY = Map.of(
            "hib-insert-on-conflict-mysql8-row-alias", "MySQL 8's row alias: INSERT … AS excluded(…)",
            "hib-lock-for-share-mysql8", "MySQL 8's SELECT … FOR SHARE");

    private static EncryptedMariaDb db;
    private static List<Map<String, Object>> entries;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void setUp() throws Exception {
        try (InputStream in = MariaDbCorpusIT.class.getClassLoader().getResourceAsStream(
                "corpus/mysql-statements.yaml")) {
            assertThat(in).as("corpus/mysql-statements.yaml").isNotNull();
            entries = (List<Map<String, Object>>) new Yaml(new LoaderOptions()).<Map<String, Object>>load(in)
                    .get("statements");
        }
        db = EncryptedMariaDb.create("corpus_my", """
                  customers:
                    columns:
                      email:      { mode: deterministic }
                      ssn:        { mode: deterministic }
                      note:       { mode: randomized }
                      birth_date: { mode: randomized, type: date }
                      balance:    { mode: randomized, type: decimal, scale: 2, precision: 12 }
                  orders:
                    columns:
                      card_number:      { mode: deterministic }
                      shipping_address: { mode: randomized }
                """);
        db.executePlain("CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255), "
                        + "ssn VARBINARY(255), note BLOB, birth_date VARBINARY(255), balance VARBINARY(255), "
                        + "name VARCHAR(100), status VARCHAR(20), tier INT, prefs TEXT, version INT)",
                "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT, "
                        + "card_number VARBINARY(255), shipping_address TEXT, total DECIMAL(12,2), status VARCHAR(20), "
                        + "placed_on DATE, meta TEXT, version INT)",
                "CREATE TABLE order_items (id BIGINT AUTO_INCREMENT PRIMARY KEY, order_id BIGINT, sku VARCHAR(40), "
                        + "qty INT, price DECIMAL(12,2))",
                "CREATE TABLE audit_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, actor VARCHAR(255), "
                        + "action VARCHAR(100), detail TEXT, at DATETIME(6))");
    }

    @AfterAll
    static void tearDown() {
        // the database is dropped when the JVM exits (MariaDbDatabase)
    }

    /** A value for parameter {@code i} of entry {@code n}: for an encrypted column one of its type, marked. */
    private static void bind(PreparedStatement ps, int i, String target, int n) throws SQLException {
        if (target == null) {
            // ids, versions, limits, distinct per statement and parameter; also a valid date (YYYYMMDD) where the
            // parameter is a plaintext DATE column
            ps.setInt(i, (2000 + n) * 10_000 + 101 + i);
        } else if (target.startsWith("customers.birth_date")) {
            ps.setObject(i, LocalDate.of(1990, 1, 1).plusDays(n));
        } else if (target.startsWith("customers.balance")) {
            ps.setBigDecimal(i, new BigDecimal("12.34"));
        } else {
            ps.setString(i, MARK + "-" + n + "-" + i);
        }
    }

    /** The targets of an entry by parameter: "2=customers.email/STORE 3=…" to index → "customers.email/STORE". */
    private static Map<Integer, String> targets(Map<String, Object> entry) {
        Map<Integer, String> out = new TreeMap<>();
        String spec = (String) entry.getOrDefault("targets", "");
        for (String t : spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+")) {
            int eq = t.indexOf('=');
            out.put(Integer.parseInt(t.substring(0, eq)), t.substring(eq + 1));
        }
        return out;
    }

    @Test
    void everyStatementRunsOrIsRefusedAsTheCorpusSaysAndNothingIsStoredInPlaintext() throws Exception {
        List<String> wrong = new ArrayList<>();
        int ran = 0;
        int refused = 0;
        try (Connection c = db.connect()) {
            for (int n = 0; n < entries.size(); n++) {
                Map<String, Object> entry = entries.get(n);
                String id = (String) entry.get("id");
                String sql = (String) entry.get("sql");
                Map<Integer, String> targets = targets(entry);
                SQLException error = null;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int count = entry.get("params") instanceof Integer p ? p : sql.length() - sql.replace("?", "").length();
                    for (int i = 1; i <= count; i++) {
                        bind(ps, i, targets.get(i), n);
                    }
                    ps.execute();
                } catch (SQLException e) {
                    error = e;
                }
                boolean byWrapper = error != null && error.getMessage().startsWith("envelope-jdbc: ");
                if (error != null) {
                    assertThat(error.getMessage()).as(id).doesNotContain(MARK);
                }
                if (entry.containsKey("refused")) {
                    String names = ((String) entry.get("names")).replace("public.", db.database() + ".");
                    if (!(error instanceof StatementRefusedException r)
                            || r.reason() != RefusalReason.valueOf((String) entry.get("refused"))
                            || !error.getMessage().contains(names)) {
                        wrong.add(id + ": expected refusal " + entry.get("refused") + " naming " + names + ", got "
                                + (error == null ? "success" : error.getMessage()));
                    } else {
                        refused++;
                    }
                } else if (MYSQL_ONLY.containsKey(id)) {
                    if (error == null || byWrapper) {
                        wrong.add(id + ": " + MYSQL_ONLY.get(id) + " should fail at MariaDB, got "
                                + (error == null ? "success" : error.getMessage()));
                    }
                } else if (error != null) {
                    wrong.add(id + ": " + error.getMessage());
                } else {
                    ran++;
                }
            }
        }
        assertThat(wrong).as("entries whose outcome differs from the corpus").isEmpty();
        assertThat(db.find(MARK)).as("columns holding a plaintext marker").isEmpty();
        assertThat(ran + refused + MYSQL_ONLY.size()).isEqualTo(entries.size());
    }
}
