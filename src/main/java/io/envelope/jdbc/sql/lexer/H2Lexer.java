package io.envelope.jdbc.sql.lexer;

import java.util.ArrayList;
import java.util.List;

/**
 * H2's lexical rules (2.x, default mode), for the demo and the tests that run on H2: {@code '…'} strings (a
 * backslash is an ordinary character) and {@code N'…'}, {@code X'…'}, {@code U&'…'} and {@code $$…$$} ones (no
 * {@code E'…'}, no tagged dollar quotes); strings separated only by whitespace or block comments are one string;
 * {@code "…"} and {@code `…`} identifiers and {@code U&"…"}; {@code --} and {@code //} line comments and nested
 * block comments; {@code ?} placeholders and {@code $1} parameters. H2's JDBC driver hands the text to the engine,
 * so client and server read it alike.
 */
public final class H2Lexer implements SqlLexer {

    public static final H2Lexer INSTANCE = new H2Lexer();

    private H2Lexer() {
    }

    @Override
    public LexedSql lex(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char next = PostgresLexer.at(sql, i + 1);
            int start = i;
            if (PostgresLexer.isSpace(c)) {
                i++;
            } else if ((c == '-' && next == '-') || (c == '/' && next == '/')) {
                i = PostgresLexer.lineCommentEnd(sql, i);
                out.add(new Token(TokenKind.LINE_COMMENT, start, i));
            } else if (c == '/' && next == '*') {
                int end = PostgresLexer.blockCommentEnd(sql, i);
                out.add(new Token(end < 0 ? TokenKind.ERROR : TokenKind.BLOCK_COMMENT, start, end < 0 ? n : end));
                i = end < 0 ? n : end;
            } else if (c == '\'') {
                i = string(sql, i, i, TokenKind.STRING, out);
            } else if ((c == 'n' || c == 'N') && next == '\'') {
                i = string(sql, i, i + 1, TokenKind.NATIONAL_STRING, out);
            } else if ((c == 'x' || c == 'X') && next == '\'') {
                i = string(sql, i, i + 1, TokenKind.HEX_STRING, out);
            } else if ((c == 'u' || c == 'U') && next == '&' && PostgresLexer.at(sql, i + 2) == '\'') {
                i = string(sql, i, i + 2, TokenKind.UNICODE_STRING, out);
            } else if ((c == 'u' || c == 'U') && next == '&' && PostgresLexer.at(sql, i + 2) == '"') {
                i = quoted(sql, i, i + 2, '"', TokenKind.UNICODE_IDENTIFIER, out);
            } else if (c == '"' || c == '`') {
                i = quoted(sql, i, i, c, TokenKind.QUOTED_IDENTIFIER, out);
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Token(TokenKind.IDENTIFIER, i, j));
                i = j;
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(next))) {
                int j = i;
                while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')
                        && (Character.isDigit(PostgresLexer.at(sql, j + 1))
                        || ("+-".indexOf(PostgresLexer.at(sql, j + 1)) >= 0
                        && Character.isDigit(PostgresLexer.at(sql, j + 2))))) {
                    j += 2;
                    while (j < n && Character.isDigit(sql.charAt(j))) {
                        j++;
                    }
                }
                out.add(new Token(TokenKind.NUMBER, i, j));
                i = j;
            } else if (c == '$' && next == '$') {
                int close = sql.indexOf("$$", i + 2);
                out.add(new Token(close < 0 ? TokenKind.ERROR : TokenKind.DOLLAR_STRING, i, close < 0 ? n : close + 2));
                i = close < 0 ? n : close + 2;
            } else if (c == '$' && Character.isDigit(next)) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                out.add(new Token(TokenKind.SERVER_PARAMETER, i, j));
                i = j;
            } else if (c == '?' && next != '?') {
                out.add(new Token(TokenKind.PLACEHOLDER, i, i + 1));
                i++;
            } else if (PostgresLexer.isOpChar(c) || c == ':') {
                int j = i + 1;
                while (j < n && (PostgresLexer.isOpChar(sql.charAt(j)) || sql.charAt(j) == ':')
                        && !commentStart(sql, j) && !(sql.charAt(j) == '?' && PostgresLexer.at(sql, j + 1) != '?')) {
                    j += sql.charAt(j) == '?' ? 2 : 1;
                }
                out.add(new Token(TokenKind.OPERATOR, i, Math.min(j, n)));
                i = Math.min(j, n);
            } else {
                out.add(new Token(switch (c) {
                    case ';' -> TokenKind.SEMICOLON;
                    case '(' -> TokenKind.OPEN_PAREN;
                    case ')' -> TokenKind.CLOSE_PAREN;
                    case ',' -> TokenKind.COMMA;
                    case '.' -> TokenKind.DOT;
                    default -> TokenKind.OTHER;
                }, i, i + 1));
                i++;
            }
        }
        return new LexedSql(sql, out, null);
    }

    private static boolean commentStart(String sql, int j) {
        char c = sql.charAt(j);
        char next = PostgresLexer.at(sql, j + 1);
        return (c == '-' && next == '-') || (c == '/' && (next == '/' || next == '*'));
    }

    /** A string from its prefix at {@code start}; strings separated only by whitespace or block comments merge. */
    private static int string(String sql, int start, int quote, TokenKind kind, List<Token> out) {
        int n = sql.length();
        int j = quote + 1;
        boolean doubling = kind != TokenKind.HEX_STRING;
        while (j < n) {
            if (sql.charAt(j) == '\'') {
                if (doubling && PostgresLexer.at(sql, j + 1) == '\'') {
                    j += 2;
                    continue;
                }
                int k = j + 1;
                while (k < n) {
                    if (PostgresLexer.isSpace(sql.charAt(k))) {
                        k++;
                    } else if (sql.charAt(k) == '/' && PostgresLexer.at(sql, k + 1) == '*') {
                        int end = PostgresLexer.blockCommentEnd(sql, k);
                        if (end < 0) {
                            break;
                        }
                        k = end;
                    } else {
                        break;
                    }
                }
                if (k < n && sql.charAt(k) == '\'' && k > j + 1 && kind != TokenKind.HEX_STRING) {
                    j = k + 1; // 'a' 'b' is 'ab' on H2
                    continue;
                }
                out.add(new Token(kind, start, j + 1, kind == TokenKind.UNICODE_STRING ? '\\' : (char) 0));
                return j + 1;
            }
            j++;
        }
        out.add(new Token(TokenKind.ERROR, start, n));
        return n;
    }

    private static int quoted(String sql, int start, int quote, char q, TokenKind kind, List<Token> out) {
        int j = quote + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == q) {
                if (PostgresLexer.at(sql, j + 1) == q) {
                    j += 2;
                    continue;
                }
                boolean empty = j == quote + 1;
                out.add(new Token(empty ? TokenKind.ERROR : kind, start, j + 1,
                        kind == TokenKind.UNICODE_IDENTIFIER ? '\\' : (char) 0));
                return j + 1;
            }
            j++;
        }
        out.add(new Token(TokenKind.ERROR, start, sql.length()));
        return sql.length();
    }

    @Override
    public String identifier(LexedSql lexed, Token token) {
        String text = lexed.text(token);
        return switch (token.kind()) {
            case IDENTIFIER -> text;
            case QUOTED_IDENTIFIER -> {
                String q = String.valueOf(text.charAt(0));
                yield text.substring(1, text.length() - 1).replace(q + q, q);
            }
            case UNICODE_IDENTIFIER -> UnicodeEscapes.decode(
                    text.substring(3, text.length() - 1).replace("\"\"", "\""), token.escape());
            default -> null;
        };
    }
}
