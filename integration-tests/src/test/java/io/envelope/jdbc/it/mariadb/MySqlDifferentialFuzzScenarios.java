package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.adversarial.DifferentialFuzzer;
import io.envelope.jdbc.it.adversarial.RecordingTarget;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The differential fuzzer on MariaDB: statements that mix what MySQL and MariaDB read their own way — backslash
 * escapes and doubled quotes, double-quoted strings, backtick identifiers, {@code #} and {@code -- } comments
 * (and {@code --x}, which is not one), executable comments {@code /*! … *&#47;}, {@code /*!50700 … *&#47;} and
 * {@code /*M! … *&#47;}, hex, bit and introducer literals, adjacent strings, several statements in one text,
 * MySQL's own statement forms, bound parameters — around the configured table, each aiming a unique canary at an
 * encrypted column: in the server's reading of the text, under the session's sql_mode of the moment, the canary is
 * always a value for an encrypted column (the generator's prefixes are complete constructs in that mode, even when
 * they leave a reader of another mode inside a string or a comment). Every so often the session's {@code sql_mode}
 * is switched (ANSI_QUOTES, NO_BACKSLASH_ESCAPES) with a statement of its own, so the same text is read another way
 * from then on. After every statement ({@link DifferentialFuzzer}): either the wrapper refused it and handed the
 * target driver nothing with the canary, or neither what the driver received (SQL text and bound values) nor any
 * column of any table holds a canary.
 *
 * <p>Through whichever target driver a subclass names ({@link TargetDriver}): {@link MySqlDifferentialFuzzIT}
 * (MariaDB Connector/J), {@link MySqlConnectorJDifferentialFuzzIT} (MySQL Connector/J).
 *
 * <p>{@code -Denvelope.fuzz.statements=N} sets the run length (default 1500); {@code -Denvelope.fuzz.seed=S}
 * replays a run (the seed is printed).
 */
abstract class MySqlDifferentialFuzzScenarios extends DifferentialFuzzer {

    private static final String[] MODES = {
        "STRICT_TRANS_TABLES", "STRICT_TRANS_TABLES,ANSI_QUOTES", "STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES",
        "ANSI_QUOTES,NO_BACKSLASH_ESCAPES", ""};

    private final TargetDriver driver;
    private EncryptedMariaDb db;
    private String database;
    /** The session's sql_mode now: the generator writes only text that is valid in it (see value()). */
    private boolean ansiQuotes;
    private boolean noBackslashEscapes;

    protected MySqlDifferentialFuzzScenarios(TargetDriver driver) {
        this.driver = driver;
    }

    @Test
    void noGeneratedStatementPutsACanaryIntoTheDatabase() throws Exception {
        db = EncryptedMariaDb.create("adv_myfuzz", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                      note:  { mode: randomized }
                """);
        database = db.database();
        db.executePlain("CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, email VARBINARY(255), "
                + "note TEXT, name VARCHAR(200))", "INSERT INTO customers (name) VALUES ('seed')");
        try (Connection plain = db.plain()) {
            run(new RecordingTarget(driver.plainUrl(db)), db.configFile(), plain, driver.driverName(),
                    "DELETE FROM customers WHERE id > 1");
        }
    }

    /** Now and then (one statement in 40 on average) switches the session's sql_mode. */
    @Override
    protected boolean changeSession(Connection wrapped) throws SQLException {
        if (random.nextInt(40) != 0) {
            return false;
        }
        String mode = pick(MODES);
        try (Statement s = wrapped.createStatement()) {
            s.execute("SET SESSION sql_mode = '" + mode + "'");
        }
        ansiQuotes = mode.contains("ANSI_QUOTES");
        noBackslashEscapes = mode.contains("NO_BACKSLASH_ESCAPES");
        return true;
    }

    /** Every column of every table of the test's database, read with plain MariaDB Connector/J. */
    @Override
    protected List<String> storedCanaries(Connection plain, String mark) throws SQLException {
        return db.find(mark);
    }

    // ------------------------------------------------------------------ the generator

    @Override
    protected String statement(String canary, List<String> params) {
        String t = table();
        String e = encryptedColumn();
        return switch (random.nextInt(13)) {
            case 0 -> "INSERT" + n() + "INTO" + n() + t + n() + "(" + e + "," + n() + "name)" + n() + "VALUES"
                    + n() + "(" + value(canary, params) + "," + n() + plainValue(params) + ")";
            case 1 -> "INSERT INTO " + t + " (name, " + e + ") VALUES (" + plainValue(params) + ", "
                    + value(canary, params) + ")";
            case 2 -> "UPDATE " + t + n() + "SET" + n() + e + n() + "=" + n() + value(canary, params) + n()
                    + "WHERE id" + n() + "=" + n() + "1";
            case 3 -> "UPDATE " + t + " SET name = " + plainValue(params) + "," + n() + e + " = "
                    + value(canary, params) + " WHERE id = 1";
            case 4 -> "SELECT id" + n() + "FROM " + t + n() + "WHERE " + e + n() + "=" + n() + value(canary, params);
            case 5 -> "INSERT INTO " + t + " SET name = " + plainValue(params) + ", " + e + " = "
                    + value(canary, params);
            case 6 -> "SELECT " + plainValue(params) + ";" + n() + "INSERT INTO " + t + " (" + e + ") VALUES ("
                    + value(canary, params) + "); -- '";
            // Prefixes that are complete constructs to the server in one sql_mode or another, and leave a naive
            // reader inside a string or a comment.
            case 7 -> "SELECT 1 " + prefix() + " ; INSERT INTO " + t + " (" + e + ") VALUES ("
                    + value(canary, params) + ") ; -- '";
            case 8 -> "REPLACE INTO " + t + " (id, " + e + ") VALUES (1, " + value(canary, params) + ")";
            case 9 -> "INSERT " + pick("", "IGNORE ") + "INTO " + t + " (id, name) VALUES (1, 'x') ON DUPLICATE KEY"
                    + " UPDATE " + e + " = " + value(canary, params);
            case 10 -> "INSERT INTO " + t + " (name, " + e + ") VALUES (" + plainValue(params) + n() + ","
                    + n() + value(canary, params) + ")";
            case 11 -> "UPDATE " + t + " SET name = 'n' WHERE name = " + plainValue(params) + " AND " + e + " = "
                    + value(canary, params);
            default -> switch (random.nextInt(4)) {
                case 0 -> "ALTER TABLE " + t + " ALTER COLUMN " + e + " SET DEFAULT " + value(canary, params);
                case 1 -> "CREATE INDEX ix_" + random.nextInt(1_000_000) + " ON " + t + " (name)";
                case 2 -> "PREPARE s FROM 'INSERT INTO customers (" + e + ") VALUES (''" + canary + "'')'";
                default -> "DELETE FROM " + t + " WHERE " + e + " = " + value(canary, params);
            };
        };
    }

    /**
     * A complete construct in the session's mode that leaves a reader of another mode inside a string or a
     * comment, or reading the rest differently.
     */
    private String prefix() {
        List<String> options = new ArrayList<>(List.of("# '\n", "-- '\n", "/* ' */", ", 'a\\\\'", ", '\\z'"));
        if (!noBackslashEscapes) {
            options.add(", '\\''");
            options.add(", 'a\\' '");
        } else {
            options.add(", 'a\\'");
        }
        if (!ansiQuotes) {
            options.add(", \" ' \"");
            if (!noBackslashEscapes) {
                options.add(", \"\\\"\"");
            }
        }
        return options.get(random.nextInt(options.size()));
    }

    /** A value aimed at an encrypted column: the canary in one of MySQL's spellings valid in the session's mode. */
    private String value(String canary, List<String> params) {
        String hex = java.util.HexFormat.of().formatHex(canary.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String v = switch (random.nextInt(18)) {
            case 0, 1 -> "'" + canary + "'";
            case 2 -> ansiQuotes ? "'" + canary + "'" : "\"" + canary + "\"";
            case 3 -> "N'" + canary + "'";
            case 4 -> "_utf8mb4'" + canary + "'";
            case 5 -> "_binary'" + canary + "'";
            case 6 -> "X'" + hex + "'";
            case 7 -> "0x" + hex;
            case 8 -> "'" + canary.substring(0, 4) + "' '" + canary.substring(4) + "'";
            case 9 -> "'\\" + canary + "'";        // a backslash: an escape of z, or itself
            case 10 -> "CONCAT('" + canary.substring(0, 4) + "', '" + canary.substring(4) + "')";
            case 11 -> "CAST('" + canary + "' AS CHAR)";
            case 12 -> "/*!'" + canary + "'*/";
            case 13 -> "/*!50700 '" + canary + "'*/";
            case 14 -> "/*M!'" + canary + "'*/";
            case 15 -> "lower('" + canary.toUpperCase() + "')";
            default -> {
                params.add(canary);
                yield "?";
            }
        };
        return random.nextInt(6) == 0 ? "(" + v + ")" : v;
    }

    /** A value for an unencrypted column, valid in the session's mode, in spellings other modes read otherwise. */
    private String plainValue(List<String> params) {
        List<String> options = new ArrayList<>(List.of("'n'", "'a\\\\'", "'it''s'", "'#'", "'-- '", "'/*'"));
        options.add(noBackslashEscapes ? "'a\\'" : "'a\\''");
        if (!ansiQuotes) {
            options.add("\"q\"");
            options.add(noBackslashEscapes ? "\"a\\\"" : "\"a\\\"\"");
        }
        if (random.nextInt(options.size() + 1) == 0) {
            params.add("p");
            return "?";
        }
        return options.get(random.nextInt(options.size()));
    }

    private String table() {
        return pick("customers", "`customers`", ansiQuotes ? "\"customers\"" : "customers", database + ".customers",
                "`" + database + "`.`customers`", "customers" + n());
    }

    private String encryptedColumn() {
        String column = random.nextBoolean() ? "email" : "note";
        return pick(column, column.toUpperCase(), "`" + column + "`", ansiQuotes ? "\"" + column + "\"" : column,
                column + n());
    }

    /** Noise between tokens: whitespace and MySQL's comments, executable ones included. */
    private String n() {
        return switch (random.nextInt(14)) {
            case 0 -> " /* c */ ";
            case 1 -> " # x\n";
            case 2 -> " -- x\n";
            case 3 -> "\n\t";
            case 4 -> " /**/";
            case 5 -> " /*! */ ";
            case 6 -> " /*M!*/ ";
            case 7 -> " /*+ hint */ ";
            default -> " ";
        };
    }
}
