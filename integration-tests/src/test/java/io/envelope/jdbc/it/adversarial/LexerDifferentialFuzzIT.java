package io.envelope.jdbc.it.adversarial;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Differential fuzzer (issue 8): generates statements that mix the lexical features PostgreSQL accepts — escape
 * strings, tagged dollar quotes, nested comments, {@code U&} strings and identifiers with {@code UESCAPE},
 * identifiers longer than 63 bytes, string continuation, {@code ::} casts, JSON operators and pgJDBC's {@code ??},
 * several statements in one text, prepared variants with bound parameters — around configured tables, each
 * aiming a unique canary plaintext at an encrypted column (in PostgreSQL's reading of the text the canary is
 * always a value for an encrypted column: the generator's prefixes are complete constructs to the server, even
 * when they leave a naive reader inside a string), and runs them through the wrapper against the real
 * server. After every statement ({@link DifferentialFuzzer}): either the wrapper refused it (an
 * {@code envelope-jdbc:} error) and handed pgJDBC nothing with the canary, or neither what pgJDBC received (SQL text
 * and bound values, recorded by a proxy around the real driver) nor any raw column of any table (plain pgJDBC)
 * holds a canary.
 *
 * <p>{@code -Denvelope.fuzz.statements=N} sets the run length (default 1500, well under a minute);
 * {@code -Denvelope.fuzz.seed=S} replays a run (the seed is printed).
 */
class LexerDifferentialFuzzIT extends DifferentialFuzzer {

    private static final String LONG_COLUMN = LexicalAttacksIT.LONG_COLUMN;

    private String schema;

    @Test
    void noGeneratedStatementPutsACanaryIntoTheDatabase() throws Exception {
        EncryptedDatabase db = EncryptedDatabase.create("adv_fuzz", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                      note:  { mode: randomized }
                  ledger:
                    columns:
                      %s: { mode: deterministic }
                """.formatted(LONG_COLUMN));
        schema = db.schema();
        db.executePlain("CREATE TABLE customers (id serial PRIMARY KEY, email bytea, note text, name text, meta jsonb)",
                "CREATE TABLE ledger (id serial PRIMARY KEY, " + LONG_COLUMN + " text, memo text)",
                "INSERT INTO customers (name, meta) VALUES ('seed', '{\"a\": \"1\"}')");
        RecordingTarget target = new RecordingTarget(TestDatabase.withSchema(TestDatabase.jdbcUrl(), schema));
        try (Connection plain = db.plain()) {
            run(target, db.configFile(), plain, "pgJDBC", "DELETE FROM customers WHERE id > 1; DELETE FROM ledger");
        } finally {
            db.executePlain("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Override
    protected List<String> storedCanaries(Connection plain, String mark) throws SQLException {
        return RawScan.find(plain, schema, mark);
    }

    // ------------------------------------------------------------------ the generator

    @Override
    protected String statement(String canary, List<String> params) {
        String t = table();
        String e = encryptedColumn();
        return switch (random.nextInt(12)) {
            case 0 -> "INSERT" + n() + "INTO" + n() + t + n() + "(" + e + "," + n() + "name)" + n() + "VALUES"
                    + n() + "(" + value(canary, params) + "," + n() + plainValue(params) + ")";
            case 1 -> "INSERT INTO " + t + " (name, " + e + ", meta) VALUES (" + plainValue(params) + ", "
                    + value(canary, params) + ", " + json() + ")";
            case 2 -> "UPDATE " + t + n() + "SET" + n() + e + n() + "=" + n() + value(canary, params) + n()
                    + "WHERE id" + n() + "=" + n() + "1";
            case 3 -> "UPDATE " + t + " SET name = " + plainValue(params) + "," + n() + e + " = "
                    + value(canary, params) + " WHERE meta->>'a' = '1'" + (random.nextBoolean() ? " AND meta ?? 'a'" : "");
            case 4 -> "SELECT id" + n() + "FROM " + t + n() + "WHERE " + e + n() + "=" + n() + value(canary, params);
            case 5 -> "INSERT INTO " + t + " (" + e + ") SELECT " + value(canary, params)
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + t + " WHERE id = -1)";
            case 6 -> "SELECT " + plainValue(params) + ";" + n() + "INSERT INTO " + t + " (" + e + ") VALUES ("
                    + value(canary, params) + "); -- '";
            // Prefixes complete in PostgreSQL's reading that leave JSqlParser inside a string: the INSERT is live
            // to the server and hidden from a naive analyser.
            case 7 -> "SELECT 1 " + pick("/* /* */ , ' */", "/* /* */ , $$ */", ", E'\\''", ", $q$ ' $q$")
                    + " ; INSERT INTO " + t + " (" + e + ") VALUES (" + value(canary, params) + ") ; -- '";
            case 8 -> "INSERT INTO ledger (" + longColumn() + ")" + n() + "VALUES (" + value(canary, params) + ")";
            case 9 -> "INSERT INTO " + t + " (name) VALUES ('x');" + n() + "UPDATE " + t + " SET " + e + " = "
                    + value(canary, params);
            case 10 -> "UPDATE " + t + " SET meta = " + json() + "::jsonb" + n() + "WHERE name IS NOT NULL"
                    + n() + "AND " + e + " = " + value(canary, params);
            default -> switch (random.nextInt(5)) {
                case 0 -> "CREATE INDEX ON " + t + " (name)";
                case 1 -> "COMMENT ON TABLE " + t + " IS " + plainValue(params);
                case 2 -> "ALTER TABLE " + t + " ALTER COLUMN " + e + " SET DEFAULT " + value(canary, params);
                case 3 -> "ALTER TABLE " + t + " RENAME COLUMN " + e + " TO e2";
                default -> "CREATE INDEX ON " + t + " (" + e + ") WHERE " + e + " = " + value(canary, params);
            };
        };
    }

    /** A value aimed at an encrypted column: the canary in one of PostgreSQL's spellings. */
    private String value(String canary, List<String> params) {
        String rest = canary.substring(1); // the canary without its leading 'z' (0x7A)
        String v = switch (random.nextInt(16)) {
            case 0, 1 -> "'" + canary + "'";
            case 2 -> "N'" + canary + "'";
            case 3 -> "E'" + canary + "'";
            case 4 -> "E'\\x7a" + rest + "'";
            case 5 -> "E'\\'' || '" + canary + "'";
            case 6 -> "U&'\\007A" + rest + "'";
            case 7 -> "U&'!007A" + rest + "' UESCAPE '!'";
            case 8 -> "$$" + canary + "$$";
            case 9 -> "$tag$" + canary + "$tag$";
            case 10 -> "'" + canary.substring(0, 4) + "'\n'" + canary.substring(4) + "'";
            case 11 -> "'" + canary + "'::text";
            case 12 -> "CAST('" + canary + "' AS text)";
            case 13 -> "lower('" + canary.toUpperCase() + "')";
            default -> {
                params.add(canary);
                yield "?";
            }
        };
        return random.nextInt(6) == 0 ? "(" + v + ")" : v;
    }

    /** A value for an unencrypted column, in spellings that end strings differently for a naive reader. */
    private String plainValue(List<String> params) {
        return switch (random.nextInt(10)) {
            case 0 -> "'n'";
            case 1 -> "E'\\''";
            case 2 -> "$q$ ' $q$";
            case 3 -> "'a\\'";
            case 4 -> "U&'\\0041'";
            case 5 -> "'it''s'";
            case 6 -> "$$ -- $$";
            case 7 -> "E'\\\\'";
            case 8 -> "'/*'";
            default -> {
                params.add("p");
                yield "?";
            }
        };
    }

    private String json() {
        return pick("'{\"a\": \"1\"}'", "E'{\"a\": \"\\x31\"}'", "$j${\"a\": \"1\"}$j$");
    }

    private String table() {
        return pick("customers", "CUSTOMERS", "\"customers\"", "U&\"\\0063ustomers\"", "U&\"!0063ustomers\" UESCAPE '!'",
                schema + ".customers", "\"" + schema + "\".\"customers\"", "customers" + n());
    }

    private String encryptedColumn() {
        String column = random.nextBoolean() ? "email" : "note";
        return pick(column, column.toUpperCase(), "\"" + column + "\"", "U&\"\\006" + (column.equals("email") ? "5mail" : "Eote") + "\"",
                column + n());
    }

    private String longColumn() {
        return pick(LONG_COLUMN, LONG_COLUMN + "_and_more", LONG_COLUMN.toUpperCase() + "ZZZ", "\"" + LONG_COLUMN + "\"",
                "\"" + LONG_COLUMN + "yyy\"", "U&\"\\0073" + LONG_COLUMN.substring(1) + "\"");
    }

    /** Noise between tokens: whitespace, comments (nested, line, pgJDBC-ambiguous). */
    private String n() {
        return switch (random.nextInt(12)) {
            case 0 -> " /* c */ ";
            case 1 -> " /* a /* b */ c */ ";
            case 2 -> " -- x\n";
            case 3 -> "\n\t";
            case 4 -> " /**/";
            case 5 -> " /*/ x */ ";
            default -> " ";
        };
    }
}
