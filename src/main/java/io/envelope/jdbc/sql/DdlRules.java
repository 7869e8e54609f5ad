package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;
import io.envelope.jdbc.schema.EncryptionSchema;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DDL that names a configured table, decided from the lexer's tokens alone, so that DDL the SQL parser cannot
 * read (an unnamed {@code CREATE INDEX ON t (c)}, H2's {@code DROP TABLE t IF EXISTS}) is not refused for that.
 * The lexer has already made sure the text is one statement, so the leading words say what it does.
 *
 * <ul>
 *   <li>DDL that carries no values passes: {@code DROP}, {@code TRUNCATE}, {@code COMMENT}, {@code GRANT},
 *       {@code REVOKE}, {@code ANALYZE}, {@code VACUUM}, {@code REINDEX}, {@code CLUSTER}, {@code LOCK},
 *       {@code CREATE/ALTER SEQUENCE}, {@code ALTER INDEX}, and {@code CREATE INDEX} unless it puts a constant
 *       next to an encrypted column (a partial index {@code WHERE email = 'x'}, an expression).</li>
 *   <li>{@code CREATE TABLE} and {@code ALTER TABLE} on a configured table pass unless a column definition or
 *       action that names an encrypted column carries a value ({@code DEFAULT}, {@code CHECK}, a generated
 *       {@code AS (…)}, {@code USING}, {@code ON UPDATE}, a string constant) or changes its {@code TYPE} to anything
 *       but a type that keeps the stored ciphertext as it is (a character type or {@code bytea}, no {@code USING});
 *       {@code CREATE TABLE … AS} is refused; renaming the table or an encrypted column, and
 *       {@code SET SCHEMA}, are refused (the names are bound into every stored value).</li>
 *   <li>{@code CREATE VIEW} / {@code ALTER VIEW} are refused: a view is server-side SQL the analysis cannot
 *       follow.</li>
 * </ul>
 * Any other statement is left to the parser-based analysis.
 */
final class DdlRules {

    private static final Set<String> VALUE_FREE = Set.of("DROP", "TRUNCATE", "COMMENT", "GRANT", "REVOKE",
            "ANALYZE", "ANALYSE", "VACUUM", "REINDEX", "CLUSTER", "LOCK");

    private final LexedNames names;
    private final EncryptionSchema schema;
    private final List<Token> tokens;

    private DdlRules(LexedNames names, EncryptionSchema schema) {
        this.names = names;
        this.schema = schema;
        List<Token> significant = names.lexed().significant();
        if (!significant.isEmpty() && significant.get(significant.size() - 1).kind() == TokenKind.SEMICOLON) {
            significant = significant.subList(0, significant.size() - 1);
        }
        this.tokens = significant;
    }

    /**
     * True when the statement is DDL these rules decide, and they let it through (sent as written, not parsed);
     * false when it is not such DDL (the caller parses and analyses it).
     *
     * @throws SQLException a refusal for DDL that could put a value into, or rename, an encrypted column
     */
    static boolean passes(LexedNames names, EncryptionSchema schema, String involved) throws SQLException {
        return new DdlRules(names, schema).decide(involved);
    }

    private boolean decide(String involved) throws SQLException {
        String first = word(0);
        if (first == null || !isDdl(first)) {
            return false;
        }
        if (names.lexed().placeholders().length > 0) {
            // The server takes no parameters in DDL: a bound value would reach it (in the bind message) for nothing.
            throw Refusals.ddlParameter(involvedTable(involved));
        }
        if (VALUE_FREE.contains(first)) {
            return true;
        }
        if (first.equals("CREATE")) {
            int i = 1;
            while (isAny(word(i), "OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL",
                    "MATERIALIZED", "RECURSIVE", "CACHED", "MEMORY")) {
                i++;
            }
            String what = word(i);
            if ("SEQUENCE".equals(what)) {
                return true;
            }
            if ("VIEW".equals(what)) {
                throw Refusals.notYet("CREATE VIEW", involvedTable(involved));
            }
            if ("INDEX".equals(what)) {
                createIndex(i + 1);
                return true;
            }
            if ("TABLE".equals(what)) {
                createTable(i + 1);
                return true;
            }
            return false;
        }
        if (first.equals("ALTER")) {
            String what = word(1);
            if ("INDEX".equals(what) || "SEQUENCE".equals(what)) {
                return true;
            }
            if ("VIEW".equals(what) || "MATERIALIZED".equals(what)) {
                throw Refusals.notYet("ALTER VIEW", involvedTable(involved));
            }
            if ("TABLE".equals(what)) {
                alterTable(2);
                return true;
            }
        }
        return false;
    }

    private static boolean isDdl(String first) {
        return VALUE_FREE.contains(first) || first.equals("CREATE") || first.equals("ALTER");
    }

    // ------------------------------------------------------------------ CREATE INDEX

    private void createIndex(int from) throws SQLException {
        int on = from;
        while (on < tokens.size() && !"ON".equals(word(on))) {
            on++;
        }
        int at = on + 1;
        if ("ONLY".equals(word(at))) {
            at++;
        }
        Target target = target(at);
        if (target == null || target.table == null) {
            return;
        }
        boolean where = false;
        boolean constant = false;
        for (int i = target.next; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            where |= "WHERE".equals(word(i));
            constant |= t.kind().isString() || (where && t.kind() == TokenKind.NUMBER);
        }
        EncryptedColumn mentioned = mentioned(target.table, target.next, tokens.size());
        if (constant && mentioned != null) {
            throw Refusals.ddlValue(mentioned, where ? "an index predicate with a constant" : "an index constant");
        }
    }

    // ------------------------------------------------------------------ CREATE TABLE

    private void createTable(int from) throws SQLException {
        int at = from;
        if ("IF".equals(word(at)) && "NOT".equals(word(at + 1)) && "EXISTS".equals(word(at + 2))) {
            at += 3;
        }
        Target target = target(at);
        if (target == null || target.table == null) {
            return;
        }
        int i = target.next;
        if (i < tokens.size() && tokens.get(i).kind() != TokenKind.OPEN_PAREN) {
            for (int k = i; k < tokens.size() && tokens.get(k).kind() != TokenKind.OPEN_PAREN; k++) {
                if ("AS".equals(word(k))) {
                    throw Refusals.createTableAs(target.table.identity());
                }
            }
        }
        while (i < tokens.size() && tokens.get(i).kind() != TokenKind.OPEN_PAREN) {
            i++;
        }
        int close = closing(i);
        for (int[] segment : segments(i + 1, close)) {
            checkSegment(target.table, segment[0], segment[1]);
        }
        for (int k = close + 1; k < tokens.size(); k++) {
            if ("AS".equals(word(k))) {
                throw Refusals.createTableAs(target.table.identity());
            }
        }
    }

    // ------------------------------------------------------------------ ALTER TABLE

    private void alterTable(int from) throws SQLException {
        int at = from;
        if ("IF".equals(word(at)) && "EXISTS".equals(word(at + 1))) {
            at += 2;
        }
        if ("ONLY".equals(word(at))) {
            at++;
        }
        Target target = target(at);
        if (target == null || target.table == null) {
            return;
        }
        int start = target.next;
        if (start < tokens.size() && tokens.get(start).kind() == TokenKind.OPERATOR
                && names.lexed().text(tokens.get(start)).equals("*")) {
            start++;
        }
        for (int[] action : segments(start, tokens.size())) {
            alterAction(target.table, action[0], action[1]);
        }
    }

    private void alterAction(EncryptedTable table, int from, int to) throws SQLException {
        String verb = word(from);
        if ("RENAME".equals(verb)) {
            String next = word(from + 1);
            if ("TO".equals(next)) {
                throw Refusals.renameTable(table.identity(), "ALTER TABLE ... RENAME TO");
            }
            if ("CONSTRAINT".equals(next)) {
                return;
            }
            int column = "COLUMN".equals(next) ? from + 2 : from + 1;
            EncryptedColumn c = column < to ? table.column(nameOrEmpty(column)) : null;
            if (c != null) {
                throw Refusals.renameColumn(c);
            }
            return;
        }
        if ("SET".equals(verb) && "SCHEMA".equals(word(from + 1))) {
            throw Refusals.renameTable(table.identity(), "ALTER TABLE ... SET SCHEMA");
        }
        if ("ALTER".equals(verb)) {
            int column = "COLUMN".equals(word(from + 1)) ? from + 2 : from + 1;
            EncryptedColumn c = column < to ? table.column(nameOrEmpty(column)) : null;
            if (c != null) {
                for (int i = column + 1; i < to; i++) {
                    String w = word(i);
                    if ("RENAME".equals(w)) {
                        throw Refusals.renameColumn(c);
                    }
                    if ("TYPE".equals(w) && !storageType(i + 1, to)) {
                        throw Refusals.ddlValue(c, "changing the type");
                    }
                }
            }
        }
        checkSegment(table, from, to);
    }

    /**
     * Whether a {@code TYPE} clause from {@code from} only changes the column to another type that holds ciphertext
     * as it is (character types, which keep base64 text unchanged, or {@code bytea}) with no {@code USING}
     * expression: the database keeps every stored value byte for byte (or refuses the change), so no value can
     * enter the column. Widening a plaintext column to {@code text} before encrypting it in place is the usual case.
     */
    private boolean storageType(int from, int to) {
        String type = word(from);
        boolean keepsValues = "TEXT".equals(type) || "VARCHAR".equals(type) || "BYTEA".equals(type)
                || "CHARACTER".equals(type) && "VARYING".equals(word(from + 1));
        if (!keepsValues) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if ("USING".equals(word(i)) || "COLLATE".equals(word(i))) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ shared

    /** The identity of the first configured table an identifier names, for messages. */
    private String involvedTable(String fallback) {
        for (Token t : tokens) {
            String name = names.name(t);
            for (EncryptedTable table : schema.tables()) {
                if (table.name().equals(name)) {
                    return table.identity();
                }
            }
        }
        return fallback;
    }

    /** A column definition, constraint or action that names an encrypted column may carry no value. */
    private void checkSegment(EncryptedTable table, int from, int to) throws SQLException {
        EncryptedColumn c = mentioned(table, from, to);
        if (c == null) {
            return;
        }
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            String w = word(i);
            if (t.kind().isString()) {
                throw Refusals.ddlValue(c, "a string constant");
            }
            if ("DEFAULT".equals(w) && !"NULL".equals(word(i + 1)) && !"DROP".equals(word(i - 1))) {
                throw Refusals.ddlValue(c, "DEFAULT");
            }
            if ("CHECK".equals(w)) {
                throw Refusals.ddlValue(c, "CHECK");
            }
            if ("USING".equals(w)) {
                throw Refusals.ddlValue(c, "USING");
            }
            if ("AS".equals(w) && i + 1 < to && tokens.get(i + 1).kind() == TokenKind.OPEN_PAREN) {
                throw Refusals.ddlValue(c, "a generated column expression");
            }
            if ("ON".equals(w) && "UPDATE".equals(word(i + 1))) {
                throw Refusals.ddlValue(c, "ON UPDATE");
            }
        }
    }

    /** The first encrypted column of {@code table} named by an identifier in {@code [from, to)}, or null. */
    private EncryptedColumn mentioned(EncryptedTable table, int from, int to) {
        for (int i = from; i < to; i++) {
            String name = names.name(tokens.get(i));
            if (name != null && table.column(name) != null) {
                return table.column(name);
            }
        }
        return null;
    }

    private record Target(EncryptedTable table, int next) {
    }

    /** A possibly schema-qualified table name at {@code at}: the configured table it names (or null) and what follows. */
    private Target target(int at) {
        if (at >= tokens.size() || names.name(tokens.get(at)) == null) {
            return null;
        }
        String first = names.name(tokens.get(at));
        if (at + 2 < tokens.size() && tokens.get(at + 1).kind() == TokenKind.DOT) {
            String second = names.name(tokens.get(at + 2));
            return second == null ? null : new Target(schema.table(first, second), at + 3);
        }
        return new Target(schema.table(null, first), at + 1);
    }

    /** {@code [from, to)} split at the commas outside parentheses. */
    private List<int[]> segments(int from, int to) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            TokenKind k = tokens.get(i).kind();
            if (k == TokenKind.OPEN_PAREN) {
                depth++;
            } else if (k == TokenKind.CLOSE_PAREN) {
                depth--;
            } else if (k == TokenKind.COMMA && depth == 0) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < to) {
            out.add(new int[] {start, to});
        }
        return out;
    }

    /** The index of the parenthesis closing the one at {@code open}, or the end. */
    private int closing(int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            TokenKind k = tokens.get(i).kind();
            if (k == TokenKind.OPEN_PAREN) {
                depth++;
            } else if (k == TokenKind.CLOSE_PAREN && --depth == 0) {
                return i;
            }
        }
        return tokens.size();
    }

    private String nameOrEmpty(int i) {
        String name = i >= 0 && i < tokens.size() ? names.name(tokens.get(i)) : null;
        return name == null ? "" : name;
    }

    private String word(int i) {
        return i >= 0 && i < tokens.size() ? names.keyword(tokens.get(i)) : null;
    }

    private static boolean isAny(String word, String... options) {
        if (word == null) {
            return false;
        }
        for (String o : options) {
            if (o.equals(word)) {
                return true;
            }
        }
        return false;
    }
}
