package io.envelope.jdbc.sql.lexer;

import java.util.ArrayList;
import java.util.List;

/**
 * How pgJDBC itself scans SQL text before sending it: it skips what it takes for strings, quoted identifiers,
 * comments and dollar quotes, turns every other {@code ?} into a server parameter ({@code ??} into the {@code ?}
 * operator) and splits statements at the other {@code ;}. Its rules are simpler than the server's in a few places
 * (which character before {@code E'} or {@code $} ends a word, {@code /*}{@code /} inside a comment, non-ASCII
 * characters), so a text can hide a {@code ?} or a {@code ;} from one and not the other.
 *
 * <p>This class only re-traces that scan (after pgJDBC's {@code Parser}, with standard conforming strings) and
 * compares its placeholders and statement splits with the server-accurate tokens: if they differ, the text is
 * ambiguous, and a statement that names a configured table is refused rather than numbered one way and bound
 * another.
 */
final class PgJdbcScan {

    private PgJdbcScan() {
    }

    /** Null when pgJDBC would find exactly the placeholders and separators of {@code lexed}; else why not. */
    static String disagreement(LexedSql lexed) {
        String sql = lexed.sql();
        List<Integer> placeholders = new ArrayList<>();
        List<Integer> separators = new ArrayList<>();
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'' -> i = singleQuotes(sql, i);
                case '"' -> i = skipTo(sql, i + 1, '"');
                case '-' -> i = lineComment(sql, i);
                case '/' -> i = blockComment(sql, i);
                case '$' -> i = dollarQuotes(sql, i);
                case '?' -> {
                    if (i + 1 < n && sql.charAt(i + 1) == '?') {
                        i++;
                    } else {
                        placeholders.add(i);
                    }
                }
                case ';' -> separators.add(i);
                default -> {
                }
            }
        }
        List<Integer> lexedPlaceholders = new ArrayList<>();
        List<Integer> lexedSeparators = new ArrayList<>();
        for (Token t : lexed.tokens()) {
            if (t.kind() == TokenKind.PLACEHOLDER) {
                lexedPlaceholders.add(t.start());
            } else if (t.kind() == TokenKind.SEMICOLON) {
                lexedSeparators.add(t.start());
            }
        }
        if (!placeholders.equals(lexedPlaceholders)) {
            return "pgJDBC and the server would find different ? placeholders in this text";
        }
        if (!separators.equals(lexedSeparators)) {
            return "pgJDBC and the server would split this text into statements differently";
        }
        return null;
    }

    /** pgJDBC: {@code E'} only after a space, a double quote or an operator character; then backslashes escape. */
    private static int singleQuotes(String sql, int offset) {
        boolean escapes = offset >= 2
                && (sql.charAt(offset - 1) == 'e' || sql.charAt(offset - 1) == 'E')
                && terminatesIdentifier(sql.charAt(offset - 2));
        int i = offset;
        while (++i < sql.length()) {
            char c = sql.charAt(i);
            if (escapes && c == '\\') {
                i++;
            } else if (c == '\'') {
                return i;
            }
        }
        return sql.length();
    }

    private static boolean terminatesIdentifier(char c) {
        return c == '"' || PostgresLexer.isSpace(c) || ",()[].;:+-*/%^<>=~!@#&|`?".indexOf(c) >= 0;
    }

    private static int skipTo(String sql, int from, char quote) {
        int i = sql.indexOf(quote, from);
        return i < 0 ? sql.length() : i;
    }

    private static int lineComment(String sql, int offset) {
        if (offset + 1 < sql.length() && sql.charAt(offset + 1) == '-') {
            while (offset + 1 < sql.length()) {
                offset++;
                if (sql.charAt(offset) == '\r' || sql.charAt(offset) == '\n') {
                    break;
                }
            }
        }
        return offset;
    }

    /** pgJDBC's nesting: it reads the text in overlapping pairs, so {@code /*}{@code /} closes at once. */
    private static int blockComment(String sql, int offset) {
        if (offset + 1 < sql.length() && sql.charAt(offset + 1) == '*') {
            int level = 1;
            for (offset += 2; offset < sql.length(); offset++) {
                char previous = sql.charAt(offset - 1);
                char c = sql.charAt(offset);
                if (previous == '*' && c == '/') {
                    level--;
                    offset++;
                } else if (previous == '/' && c == '*') {
                    level++;
                    offset++;
                }
                if (level == 0) {
                    offset--;
                    break;
                }
            }
        }
        return offset;
    }

    /** pgJDBC: a dollar quote when the character before is no Java identifier part; tags of Java identifier parts. */
    private static int dollarQuotes(String sql, int offset) {
        int n = sql.length();
        if (offset + 1 >= n || (offset > 0 && Character.isJavaIdentifierPart(sql.charAt(offset - 1)))) {
            return offset;
        }
        int endIdx = -1;
        if (sql.charAt(offset + 1) == '$') {
            endIdx = offset + 1;
        } else if (sql.charAt(offset + 1) != '$' && Character.isJavaIdentifierStart(sql.charAt(offset + 1))) {
            for (int d = offset + 2; d < n; d++) {
                char c = sql.charAt(d);
                if (c == '$') {
                    endIdx = d;
                    break;
                } else if (!Character.isJavaIdentifierPart(c)) {
                    break;
                }
            }
        }
        if (endIdx < 0) {
            return offset;
        }
        String tag = sql.substring(offset, endIdx + 1);
        int close = sql.indexOf(tag, endIdx + 1);
        return close < 0 ? n : close + tag.length() - 1;
    }
}
