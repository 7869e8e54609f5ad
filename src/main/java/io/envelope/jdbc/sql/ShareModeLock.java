package io.envelope.jdbc.sql;

import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.SqlLexer;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;

import java.util.List;
import java.util.Locale;

/**
 * MySQL's and MariaDB's {@code SELECT … LOCK IN SHARE MODE}, the shared-lock read that Hibernate's MariaDB dialect
 * writes for {@code PESSIMISTIC_READ}. JSqlParser 5.3 has no rule for it. The clause names no column and carries no
 * value, so a SELECT that ends with it is parsed with those four words blanked out (replaced by spaces, so every
 * other token keeps its place, as {@link RowAlias} does) and the plan keeps the application's text.
 * Only the plain spelling is taken: the four words last in the statement (a semicolon may follow), outside any
 * parentheses, with no comment between them.
 */
final class ShareModeLock {

    private static final List<String> WORDS = List.of("lock", "in", "share", "mode");

    private ShareModeLock() {
    }

    /**
     * The SELECT with its trailing LOCK IN SHARE MODE blanked out, for the parser, and the tokens it lexes to over
     * the application's own text (what {@link ParserAgreement} checks the parser against). Null when the statement
     * is not a SELECT ending with the clause written plainly, or when blanking would change any other token.
     */
    static Blanked find(LexedSql lexed, SqlLexer lexer) {
        List<Token> tokens = lexed.tokens();
        int last = tokens.size() - 1;
        while (last >= 0 && tokens.get(last).kind() == TokenKind.SEMICOLON) {
            last--;
        }
        int first = last - WORDS.size() + 1;
        List<Token> significant = lexed.significant();
        if (first < 1 || significant.isEmpty() || !"select".equals(word(lexed, significant.get(0)))) {
            return null;
        }
        for (int i = 0; i < WORDS.size(); i++) {
            if (!WORDS.get(i).equals(word(lexed, tokens.get(first + i)))) {
                return null;
            }
        }
        int depth = 0;
        for (int i = 0; i < first; i++) {
            TokenKind kind = tokens.get(i).kind();
            depth += kind == TokenKind.OPEN_PAREN ? 1 : kind == TokenKind.CLOSE_PAREN ? -1 : 0;
        }
        if (depth != 0) {
            return null;
        }
        int start = tokens.get(first).start();
        int end = tokens.get(last).end();
        String sql = lexed.sql();
        StringBuilder text = new StringBuilder(sql);
        for (int i = start; i < end; i++) {
            if (sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                text.setCharAt(i, ' ');
            }
        }
        LexedSql blanked = lexer.lex(text.toString());
        List<Token> outside = new java.util.ArrayList<>(tokens.subList(0, first));
        outside.addAll(tokens.subList(last + 1, tokens.size()));
        if (!blanked.tokens().equals(outside)) {
            return null;
        }
        return new Blanked(blanked.sql(), new LexedSql(sql, blanked.tokens(), lexed.ambiguity(), lexed.hazard()));
    }

    /**
     * @param parseable the text with the clause blanked out, for the parser
     * @param lexed     the application's text with the tokens the parser sees
     */
    record Blanked(String parseable, LexedSql lexed) {
        @Override
        public String toString() {
            return "ShareModeLock.Blanked"; // the text may hold literals: kept out of logs like the SQL
        }
    }

    private static String word(LexedSql lexed, Token t) {
        return t.kind() == TokenKind.IDENTIFIER ? lexed.text(t).toLowerCase(Locale.ROOT) : null;
    }
}
