package io.envelope.jdbc.sql.lexer;

/**
 * Turns SQL text into tokens exactly as one database (and its JDBC driver) will: where strings, comments and
 * identifiers begin and end, which {@code ?} is a placeholder, where one statement stops and the next begins.
 * It is the authority the rest of the analysis is checked against (see {@code ParserAgreement}); the SQL parser's
 * own idea of the same text is trusted only where the two agree.
 *
 * <p>One implementation per database dialect ({@link PostgresLexer}, {@link H2Lexer}, and {@link MySqlLexer} with one
 * instance per combination of the session modes that change lexing). Implementations are stateless and
 * thread-safe.
 */
public interface SqlLexer {

    /** Lexes the whole text. Never throws: text the server could not lex becomes an {@link TokenKind#ERROR} token. */
    LexedSql lex(String sql);

    /**
     * The identifier a token names, decoded but not case-folded: the quotes of a quoted identifier removed and
     * its doubled quotes undone, the escapes of a {@code U&} identifier resolved. Null for a malformed one (the
     * caller refuses the statement).
     */
    String identifier(LexedSql lexed, Token token);

    /**
     * The value of a standard string token ({@link TokenKind#STRING}, {@link TokenKind#NATIONAL_STRING}):
     * quotes removed, doubled quotes undone. Null for any other kind: those are not rewritten in place.
     */
    default String standardStringValue(LexedSql lexed, Token token) {
        if (token.kind() != TokenKind.STRING && token.kind() != TokenKind.NATIONAL_STRING) {
            return null;
        }
        int open = lexed.sql().indexOf('\'', token.start());
        if (open < 0 || open >= token.end() - 1 || lexed.sql().charAt(token.end() - 1) != '\'') {
            return null;
        }
        String inner = lexed.sql().substring(open + 1, token.end() - 1);
        // A continued string ('a' <newline> 'b') is one token: its inner text holds quote-whitespace-quote.
        if (inner.replace("''", "").indexOf('\'') >= 0) {
            return null;
        }
        return inner.replace("''", "'");
    }
}
