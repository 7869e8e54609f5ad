package io.envelope.jdbc.sql;

import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MySQL 8's row alias: {@code INSERT … VALUES (…) AS new [(a, b, …)] ON DUPLICATE KEY UPDATE c = new.c} (also after
 * {@code INSERT … SET …}), where {@code new.c} is the value the statement was inserting into {@code c}. JSqlParser
 * 5.3 has no rule for it. The statement is then parsed with the alias blanked out — the same text with the alias's
 * characters replaced by spaces, so every other token keeps its place — and the analysis puts the alias into the
 * scope of the ON DUPLICATE KEY UPDATE assignments as the inserted row ({@link InsertAnalysis}).
 *
 * @param start   where {@code AS} begins
 * @param end     one past the alias, or past the closing parenthesis of its column list
 * @param name    the alias as written (quoted or not)
 * @param columns its column names as written, or empty when it has no column list
 */
record RowAlias(int start, int end, String name, List<String> columns) {

    /**
     * Whether the text looks like an INSERT with a row alias: outside parentheses, an {@code AS} after VALUES or SET
     * and before ON DUPLICATE. Used to say why a statement is refused when {@link #find} cannot model it.
     */
    static boolean present(LexedSql lexed) {
        int depth = 0;
        boolean first = true;
        boolean rows = false;
        boolean alias = false;
        String previous = null;
        for (Token t : lexed.significant()) {
            String word = word(lexed, t);
            if (first) {
                if (!"insert".equals(word)) {
                    return false;
                }
                first = false;
            }
            depth += t.kind() == TokenKind.OPEN_PAREN ? 1 : t.kind() == TokenKind.CLOSE_PAREN ? -1 : 0;
            if (depth == 0 && word != null) {
                rows |= word.equals("values") || word.equals("value") || word.equals("set");
                alias |= rows && word.equals("as");
                if (alias && "on".equals(previous) && word.equals("duplicate")) {
                    return true;
                }
            }
            previous = depth == 0 ? word : null;
        }
        return false;
    }

    /**
     * The row alias of an INSERT, written plainly: the first {@code AS} outside parentheses after VALUES or SET,
     * then a name, then an optional list of names, then ON DUPLICATE, with no comment inside. Null otherwise.
     */
    static RowAlias find(LexedSql lexed) {
        List<Token> tokens = lexed.tokens();
        List<Token> significant = lexed.significant();
        if (significant.isEmpty() || !"insert".equals(word(lexed, significant.get(0)))) {
            return null;
        }
        int depth = 0;
        boolean rows = false;
        int as = -1;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String word = word(lexed, t);
            depth += t.kind() == TokenKind.OPEN_PAREN ? 1 : t.kind() == TokenKind.CLOSE_PAREN ? -1 : 0;
            if (depth == 0 && word != null) {
                rows |= word.equals("values") || word.equals("value") || word.equals("set");
                if (rows && word.equals("as")) {
                    as = i;
                    break;
                }
            }
        }
        if (as < 0 || as + 1 >= tokens.size() || !isName(tokens.get(as + 1))) {
            return null;
        }
        String name = lexed.text(tokens.get(as + 1));
        List<String> columns = new ArrayList<>();
        int last = as + 1;
        if (last + 1 < tokens.size() && tokens.get(last + 1).kind() == TokenKind.OPEN_PAREN) {
            int i = last + 2;
            while (true) { // name (, name)* )
                if (i >= tokens.size() || !isName(tokens.get(i))) {
                    return null;
                }
                columns.add(lexed.text(tokens.get(i++)));
                if (i < tokens.size() && tokens.get(i).kind() == TokenKind.COMMA) {
                    i++;
                } else {
                    break;
                }
            }
            if (i >= tokens.size() || tokens.get(i).kind() != TokenKind.CLOSE_PAREN) {
                return null;
            }
            last = i;
        }
        List<Token> after = new ArrayList<>();
        for (int i = last + 1; i < tokens.size() && after.size() < 2; i++) {
            if (!tokens.get(i).kind().isComment()) {
                after.add(tokens.get(i));
            }
        }
        if (after.size() < 2 || !"on".equals(word(lexed, after.get(0)))
                || !"duplicate".equals(word(lexed, after.get(1)))) {
            return null;
        }
        return new RowAlias(tokens.get(as).start(), tokens.get(last).end(), name, List.copyOf(columns));
    }

    /** The text with the alias replaced by spaces (line breaks kept, so the parser's lines and columns hold). */
    String blank(String sql) {
        StringBuilder out = new StringBuilder(sql);
        for (int i = start; i < end; i++) {
            char c = sql.charAt(i);
            if (c != '\n' && c != '\r') {
                out.setCharAt(i, ' ');
            }
        }
        return out.toString();
    }

    /** The tokens of {@code lexed} outside the alias: what the blanked text must lex to. */
    List<Token> tokensOutside(LexedSql lexed) {
        List<Token> out = new ArrayList<>();
        for (Token t : lexed.tokens()) {
            if (t.end() <= start || t.start() >= end) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean isName(Token t) {
        return t.kind() == TokenKind.IDENTIFIER || t.kind() == TokenKind.QUOTED_IDENTIFIER;
    }

    private static String word(LexedSql lexed, Token t) {
        return t.kind() == TokenKind.IDENTIFIER ? lexed.text(t).toLowerCase(Locale.ROOT) : null;
    }

    @Override
    public String toString() {
        return "RowAlias[" + start + "," + end + ")"; // names only, but kept out of logs like the SQL
    }
}
