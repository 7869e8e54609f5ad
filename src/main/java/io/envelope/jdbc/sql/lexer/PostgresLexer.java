package io.envelope.jdbc.sql.lexer;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's lexical rules (the server's {@code scan.l} as of PostgreSQL 15, with {@code standard_conforming_strings
 * = on}), plus pgJDBC's rule for placeholders: every {@code ?} outside strings, quoted identifiers and comments is
 * a JDBC parameter, and {@code ??} is the {@code ?} operator written for JDBC.
 *
 * <p>What it models, because text hidden from one reader and live to another is how plaintext gets past an
 * analyser: standard strings ({@code ''} inside, backslash an ordinary character), {@code E'…'} with backslash
 * escapes, {@code U&'…'} and {@code U&"…"} with an optional {@code UESCAPE 'c'}, {@code B'…'}, {@code X'…'},
 * {@code N'…'}, string continuation across a newline ({@code 'a'} newline {@code 'b'} is one string),
 * {@code $tag$…$tag$} dollar quoting, nested {@code /* /* *}{@code / *}{@code /} comments, {@code --} comments,
 * identifiers of letters, digits, {@code _}, {@code $} and any non-ASCII character, {@code $1} server parameters,
 * numbers (PostgreSQL 15 refuses junk after a number, as {@code 1abc}; later versions' {@code 0x1F} and
 * {@code 1_000} are lexed as that junk, which only makes the analysis refuse them).
 *
 * <p>pgJDBC decides placeholders and statement splits with its own, simpler scan of the text. Where that scan
 * and the server's lexer disagree (which {@code ?} is a placeholder, which {@code ;} splits), the result carries
 * an {@linkplain LexedSql#ambiguity() ambiguity}: see {@link PgJdbcScan}.
 */
public final class PostgresLexer implements SqlLexer {

    public static final PostgresLexer INSTANCE = new PostgresLexer();

    private PostgresLexer() {
    }

    @Override
    public LexedSql lex(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (isSpace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (c == '-' && at(sql, i + 1) == '-') {
                i = lineCommentEnd(sql, i);
                out.add(new Token(TokenKind.LINE_COMMENT, start, i));
            } else if (c == '/' && at(sql, i + 1) == '*') {
                int end = blockCommentEnd(sql, i);
                out.add(new Token(end < 0 ? TokenKind.ERROR : TokenKind.BLOCK_COMMENT, start, end < 0 ? n : end));
                i = end < 0 ? n : end;
            } else if (c == '\'') {
                i = string(sql, i, i + 1, TokenKind.STRING, out);
            } else if (c == '"') {
                int end = quotedIdentifierEnd(sql, i + 1);
                boolean ok = end > 0 && end - start > 2;
                out.add(new Token(ok ? TokenKind.QUOTED_IDENTIFIER : TokenKind.ERROR, start, end < 0 ? n : end));
                i = end < 0 ? n : end;
            } else if (isIdentStart(c)) {
                i = word(sql, i, out);
            } else if (isDigit(c) || (c == '.' && isDigit(at(sql, i + 1)))) {
                i = number(sql, i, out);
            } else if (c == '$') {
                i = dollar(sql, i, out);
            } else if (c == '?') {
                if (at(sql, i + 1) == '?') {
                    i = operator(sql, i, out);
                } else {
                    out.add(new Token(TokenKind.PLACEHOLDER, i, i + 1));
                    i++;
                }
            } else if (c == ':' && at(sql, i + 1) == ':') {
                out.add(new Token(TokenKind.OPERATOR, i, i + 2));
                i += 2;
            } else if (isOpChar(c)) {
                i = operator(sql, i, out);
            } else {
                out.add(new Token(single(c), i, i + 1));
                i++;
            }
        }
        LexedSql lexed = new LexedSql(sql, out, null);
        String ambiguity = PgJdbcScan.disagreement(lexed);
        return ambiguity == null ? lexed : new LexedSql(sql, out, ambiguity);
    }

    static int lineCommentEnd(String sql, int i) {
        int j = i + 2;
        while (j < sql.length() && sql.charAt(j) != '\n' && sql.charAt(j) != '\r') {
            j++;
        }
        return j;
    }

    /**
     * The end of the block comment opened at {@code start}, or -1 when it is unterminated. Inside a comment,
     * {@code /*} opens a nested one and a run of stars followed by {@code /} closes one.
     */
    static int blockCommentEnd(String sql, int start) {
        int depth = 0;
        int j = start + 2;
        int n = sql.length();
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '/' && at(sql, j + 1) == '*') {
                depth++;
                j += 2;
            } else if (c == '*') {
                while (j < n && sql.charAt(j) == '*') {
                    j++;
                }
                if (j < n && sql.charAt(j) == '/') {
                    j++;
                    if (depth == 0) {
                        return j;
                    }
                    depth--;
                }
            } else {
                j++;
            }
        }
        return -1;
    }

    /** {@code "…"} from after the opening quote: the end, or -1 when unterminated. */
    private static int quotedIdentifierEnd(String sql, int from) {
        int j = from;
        while (j < sql.length()) {
            if (sql.charAt(j) == '"') {
                if (at(sql, j + 1) == '"') {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return -1;
    }

    /** A word: an identifier or keyword, or the prefix of a string ({@code E'}, {@code B'}, ...) or {@code U&}. */
    private static int word(String sql, int i, List<Token> out) {
        char lower = Character.toLowerCase(sql.charAt(i));
        char next = at(sql, i + 1);
        if (next == '\'') {
            switch (lower) {
                case 'e':
                    return string(sql, i, i + 2, TokenKind.ESCAPE_STRING, out);
                case 'b':
                    return string(sql, i, i + 2, TokenKind.BIT_STRING, out);
                case 'x':
                    return string(sql, i, i + 2, TokenKind.HEX_STRING, out);
                case 'n':
                    return string(sql, i, i + 2, TokenKind.NATIONAL_STRING, out);
                default:
                    break;
            }
        }
        if (lower == 'u' && next == '&') {
            char third = at(sql, i + 2);
            if (third == '\'') {
                int end = string(sql, i, i + 3, TokenKind.UNICODE_STRING, out);
                return withUescape(sql, out, end);
            }
            if (third == '"') {
                int end = quotedIdentifierEnd(sql, i + 3);
                boolean ok = end > 0 && end - i > 4;
                out.add(new Token(ok ? TokenKind.UNICODE_IDENTIFIER : TokenKind.ERROR, i, end < 0 ? sql.length() : end));
                return end < 0 ? sql.length() : withUescape(sql, out, end);
            }
            out.add(new Token(TokenKind.IDENTIFIER, i, i + 1)); // U& with no quote: U, then the & operator
            return i + 1;
        }
        int j = i + 1;
        while (j < sql.length() && isIdentCont(sql.charAt(j))) {
            j++;
        }
        out.add(new Token(TokenKind.IDENTIFIER, i, j));
        return j;
    }

    /**
     * A quoted string from its opening quote's successor {@code contentStart}: doubled quotes, backslash escapes
     * in an E string, and continuation across a newline make it one token.
     */
    private static int string(String sql, int start, int contentStart, TokenKind kind, List<Token> out) {
        boolean backslash = kind == TokenKind.ESCAPE_STRING;
        boolean doubling = kind != TokenKind.BIT_STRING && kind != TokenKind.HEX_STRING;
        int n = sql.length();
        int j = contentStart;
        while (j < n) {
            char c = sql.charAt(j);
            if (backslash && c == '\\') {
                j += 2;
            } else if (c == '\'') {
                if (doubling && at(sql, j + 1) == '\'') {
                    j += 2;
                    continue;
                }
                int resumed = continuation(sql, j + 1);
                if (resumed < 0) {
                    out.add(new Token(kind, start, j + 1));
                    return j + 1;
                }
                j = resumed;
            } else {
                j++;
            }
        }
        out.add(new Token(TokenKind.ERROR, start, n));
        return n;
    }

    /**
     * SQL's string continuation: after a closing quote, whitespace containing a newline (and {@code --} comments)
     * followed by a quote continues the same string. Returns where the content resumes, or -1.
     */
    private static int continuation(String sql, int from) {
        int n = sql.length();
        int j = from;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == ' ' || c == '\t' || c == '\f') {
                j++;
            } else if (c == '-' && at(sql, j + 1) == '-') {
                j = lineCommentEnd(sql, j);
            } else {
                break;
            }
        }
        if (j >= n || (sql.charAt(j) != '\n' && sql.charAt(j) != '\r')) {
            return -1;
        }
        j++;
        while (j < n) {
            char c = sql.charAt(j);
            if (isSpace(c)) {
                j++;
            } else if (c == '-' && at(sql, j + 1) == '-') {
                int end = lineCommentEnd(sql, j);
                if (end >= n) {
                    return -1;
                }
                j = end + 1;
            } else {
                break;
            }
        }
        return j < n && sql.charAt(j) == '\'' ? j + 1 : -1;
    }

    /**
     * {@code UESCAPE 'c'} after a {@code U&} token belongs to it: the token is extended over the clause and
     * carries the escape character. A malformed clause makes the token an error.
     */
    private static int withUescape(String sql, List<Token> out, int end) {
        Token unicode = out.remove(out.size() - 1);
        if (unicode.kind() == TokenKind.ERROR) {
            out.add(unicode);
            return end;
        }
        int j = skipSpaceAndComments(sql, end);
        if (!sql.regionMatches(true, j, "uescape", 0, 7) || isIdentCont(at(sql, j + 7))) {
            out.add(new Token(unicode.kind(), unicode.start(), unicode.end(), '\\'));
            return end;
        }
        int q = skipSpaceAndComments(sql, j + 7);
        char escape = at(sql, q + 1);
        boolean quoted = at(sql, q) == '\'' && at(sql, q + 2) == '\'' && escape != '\'';
        boolean valid = quoted && !isHexDigit(escape) && escape != '+' && escape != '"' && !isSpace(escape);
        if (!valid) {
            out.add(new Token(TokenKind.ERROR, unicode.start(), Math.max(q, j + 7)));
            return Math.max(q, j + 7);
        }
        out.add(new Token(unicode.kind(), unicode.start(), q + 3, escape));
        return q + 3;
    }

    private static int skipSpaceAndComments(String sql, int from) {
        int j = from;
        while (j < sql.length()) {
            char c = sql.charAt(j);
            if (isSpace(c)) {
                j++;
            } else if (c == '-' && at(sql, j + 1) == '-') {
                j = lineCommentEnd(sql, j);
            } else if (c == '/' && at(sql, j + 1) == '*') {
                int end = blockCommentEnd(sql, j);
                if (end < 0) {
                    return sql.length();
                }
                j = end;
            } else {
                break;
            }
        }
        return j;
    }

    /** Integer, decimal or real; an identifier character straight after one is junk the server refuses. */
    private static int number(String sql, int i, List<Token> out) {
        int n = sql.length();
        int j = i;
        while (j < n && isDigit(sql.charAt(j))) {
            j++;
        }
        if (j < n && sql.charAt(j) == '.' && at(sql, j + 1) != '.') {
            j++;
            while (j < n && isDigit(sql.charAt(j))) {
                j++;
            }
        }
        if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
            int k = j + 1;
            if (at(sql, k) == '+' || at(sql, k) == '-') {
                k++;
            }
            if (isDigit(at(sql, k))) {
                j = k;
                while (j < n && isDigit(sql.charAt(j))) {
                    j++;
                }
            }
        }
        boolean junk = j < n && isIdentStart(sql.charAt(j));
        out.add(new Token(junk ? TokenKind.ERROR : TokenKind.NUMBER, i, j));
        return j;
    }

    /** {@code $1}, a dollar-quoted string, or a lone {@code $}. */
    private static int dollar(String sql, int i, List<Token> out) {
        int n = sql.length();
        if (isDigit(at(sql, i + 1))) {
            int j = i + 1;
            while (j < n && isDigit(sql.charAt(j))) {
                j++;
            }
            boolean junk = j < n && isIdentStart(sql.charAt(j));
            out.add(new Token(junk ? TokenKind.ERROR : TokenKind.SERVER_PARAMETER, i, j));
            return j;
        }
        int j = i + 1;
        if (j < n && isDollarTagStart(sql.charAt(j))) {
            j++;
            while (j < n && isDollarTagCont(sql.charAt(j))) {
                j++;
            }
        }
        if (at(sql, j) != '$') {
            out.add(new Token(TokenKind.OTHER, i, i + 1)); // not a delimiter: a lone $, the tag lexed on its own
            return i + 1;
        }
        String delimiter = sql.substring(i, j + 1);
        int close = sql.indexOf(delimiter, j + 1);
        if (close < 0) {
            out.add(new Token(TokenKind.ERROR, i, n));
            return n;
        }
        int end = close + delimiter.length();
        out.add(new Token(TokenKind.DOLLAR_STRING, i, end));
        return end;
    }

    /**
     * A run of operator characters: it stops where a comment starts and at a lone {@code ?} (a placeholder);
     * {@code ??} stays in it (pgJDBC sends it as the {@code ?} operator character).
     */
    private static int operator(String sql, int i, List<Token> out) {
        int j = i;
        while (j < sql.length() && isOpChar(sql.charAt(j))) {
            char c = sql.charAt(j);
            if (j > i && ((c == '-' && at(sql, j + 1) == '-') || (c == '/' && at(sql, j + 1) == '*'))) {
                break;
            }
            if (c == '?') {
                if (at(sql, j + 1) != '?') {
                    break;
                }
                j += 2;
                continue;
            }
            j++;
        }
        // PostgreSQL: a multi-character operator cannot end in + or - unless it holds a character SQL's own
        // operators never use ("=-1" is "=" and "-1"); the stripped characters are lexed again.
        int end = j;
        while (end - i > 1 && (sql.charAt(end - 1) == '+' || sql.charAt(end - 1) == '-')
                && !containsAny(sql, i, end - 1, "~!@#^&|`?%")) {
            end--;
        }
        out.add(new Token(TokenKind.OPERATOR, i, end));
        return end;
    }

    private static boolean containsAny(String sql, int from, int to, String chars) {
        for (int k = from; k < to; k++) {
            if (chars.indexOf(sql.charAt(k)) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String identifier(LexedSql lexed, Token token) {
        String text = lexed.text(token);
        switch (token.kind()) {
            case IDENTIFIER:
                return text;
            case QUOTED_IDENTIFIER:
                return text.substring(1, text.length() - 1).replace("\"\"", "\"");
            case UNICODE_IDENTIFIER: {
                int close = closingQuote(text);
                return close < 0 ? null : UnicodeEscapes.decode(
                        text.substring(3, close).replace("\"\"", "\""), token.escape());
            }
            default:
                return null;
        }
    }

    /** The closing double quote of {@code U&"…"} (a UESCAPE clause may follow it). */
    private static int closingQuote(String text) {
        int j = 3;
        while (j < text.length()) {
            if (text.charAt(j) == '"') {
                if (j + 1 < text.length() && text.charAt(j + 1) == '"') {
                    j += 2;
                    continue;
                }
                return j;
            }
            j++;
        }
        return -1;
    }

    private static TokenKind single(char c) {
        return switch (c) {
            case ';' -> TokenKind.SEMICOLON;
            case '(' -> TokenKind.OPEN_PAREN;
            case ')' -> TokenKind.CLOSE_PAREN;
            case ',' -> TokenKind.COMMA;
            case '.' -> TokenKind.DOT;
            default -> TokenKind.OTHER;
        };
    }

    static char at(String sql, int i) {
        return i >= 0 && i < sql.length() ? sql.charAt(i) : '\0';
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** {@code [A-Za-z\200-\377_]}: every byte of a non-ASCII UTF-8 character counts. */
    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isDollarTagCont(char c) {
        return isDollarTagStart(c) || isDigit(c);
    }

    static boolean isOpChar(char c) {
        return "~!@#^&|`?+-*/%<>=".indexOf(c) >= 0;
    }
}
