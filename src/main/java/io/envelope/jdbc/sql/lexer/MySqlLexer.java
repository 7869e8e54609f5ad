package io.envelope.jdbc.sql.lexer;

import java.util.ArrayList;
import java.util.List;

/**
 * MySQL's and MariaDB's lexical rules, for one session's {@code sql_mode}:
 * <ul>
 *   <li>{@code '…'} strings, and {@code "…"} strings unless {@code ANSI_QUOTES} makes them identifiers; the
 *       quote is doubled inside, and a backslash escapes the next character unless {@code NO_BACKSLASH_ESCAPES}
 *       (so {@code 'a\'b'} is one string of three characters, and {@code 'a\'} is unterminated);</li>
 *   <li>{@code N'…'}, {@code X'…'}, {@code B'…'}, {@code 0x…} and {@code 0b…} constants;</li>
 *   <li>{@code `…`} identifiers ({@code ``} inside for a backtick, no escapes) and unquoted names of letters,
 *       digits, {@code _}, {@code $} and any non-ASCII character, which may begin with a digit
 *       ({@code 1e} and {@code 123abc} are names, {@code 1e5} is a number);</li>
 *   <li>{@code #} comments and {@code --} comments to the end of the line, the latter only when a space or a
 *       control character follows the dashes ({@code 5--1} is five minus minus one); {@code /* … *}{@code /}
 *       comments, which do not nest (the first {@code *}{@code /} ends them);</li>
 *   <li><b>executable comments</b> {@code /*! … *}{@code /}, {@code /*!50100 … *}{@code /} and
 *       {@code /*M! … *}{@code /}, which are not comments at all: the server runs their content (when its
 *       version is at least the one written). Their content is lexed as code here, and the text carries a
 *       {@linkplain LexedSql#hazard() hazard}: whether the server runs a versioned one, and where a skipped one
 *       ends (the first {@code *}{@code /}, even inside what would be a string), depends on the server, so the
 *       analysis refuses any such text that may name a configured table instead of guessing;</li>
 *   <li>{@code ?} placeholders; a NUL character, which ends a comment early on the server, is an error.</li>
 * </ul>
 * The target driver finds its placeholders with simpler rules than the server's: MariaDB Connector/J (a backslash
 * escapes in a {@code "…"} even when ANSI_QUOTES makes it an identifier, {@code /*}{@code /} closes a comment,
 * executable comments are comments, DEL after {@code --} does not make a comment; see {@link MariaDbClientScan}),
 * MySQL Connector/J (a backslash escapes in backticks and outside strings too, other comment boundaries, no
 * placeholder in the statement's first word; see {@link MySqlConnectorJScan}). Where the driver's placeholders
 * differ from these tokens, the text carries an {@linkplain LexedSql#ambiguity() ambiguity}. So a lexer is one
 * instance per combination of the two modes and the {@linkplain MySqlTargetDriver driver}.
 */
public final class MySqlLexer implements SqlLexer {

    private static final MySqlLexer[] INSTANCES = new MySqlLexer[4 * MySqlTargetDriver.values().length];

    static {
        for (MySqlTargetDriver driver : MySqlTargetDriver.values()) {
            for (int modes = 0; modes < 4; modes++) {
                INSTANCES[driver.ordinal() * 4 + modes] = new MySqlLexer((modes & 2) != 0, (modes & 1) != 0, driver);
            }
        }
    }

    /** The server's default modes ({@code "…"} is a string and backslashes escape), under MariaDB Connector/J. */
    public static final MySqlLexer DEFAULT = of(false, false);

    /** Longest first, so that {@code <=>} is not read as {@code <=} and {@code >}. */
    private static final String[] MULTI_CHAR_OPERATORS = {
        "<=>", "->>", "<=", ">=", "<>", "!=", ":=", "&&", "||", "<<", ">>", "->",
    };

    private final boolean ansiQuotes;
    private final boolean noBackslashEscapes;
    private final MySqlTargetDriver driver;

    private MySqlLexer(boolean ansiQuotes, boolean noBackslashEscapes, MySqlTargetDriver driver) {
        this.ansiQuotes = ansiQuotes;
        this.noBackslashEscapes = noBackslashEscapes;
        this.driver = driver;
    }

    /**
     * The lexer for a session with these two {@code sql_mode} flags (the only ones that change where tokens
     * begin and end), reached through MariaDB Connector/J.
     */
    public static MySqlLexer of(boolean ansiQuotes, boolean noBackslashEscapes) {
        return of(ansiQuotes, noBackslashEscapes, MySqlTargetDriver.MARIADB_CONNECTOR_J);
    }

    /** The lexer for a session with these two {@code sql_mode} flags, reached through {@code driver}. */
    public static MySqlLexer of(boolean ansiQuotes, boolean noBackslashEscapes, MySqlTargetDriver driver) {
        return INSTANCES[driver.ordinal() * 4 + (ansiQuotes ? 2 : 0) + (noBackslashEscapes ? 1 : 0)];
    }

    /** The target driver whose placeholder scan this lexer checks the text against. */
    public MySqlTargetDriver driver() {
        return driver;
    }

    public boolean ansiQuotes() {
        return ansiQuotes;
    }

    public boolean noBackslashEscapes() {
        return noBackslashEscapes;
    }

    @Override
    public LexedSql lex(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        boolean inExecutable = false;
        boolean executableSeen = false;
        while (i < n) {
            char c = sql.charAt(i);
            char next = at(sql, i + 1);
            int start = i;
            if (c == 0) {
                // The server's comment scans stop at a NUL: what follows one is not where this lexer puts it.
                out.add(new Token(TokenKind.ERROR, i, n));
                i = n;
            } else if (isSpace(c)) {
                i++;
            } else if (inExecutable && c == '*' && next == '/') {
                out.add(new Token(TokenKind.BLOCK_COMMENT, i, i + 2)); // the end marker of an executable comment
                inExecutable = false;
                i += 2;
            } else if (c == '#' || (c == '-' && next == '-' && dashCommentFollows(sql, i + 2))) {
                i = lineEnd(sql, i);
                out.add(new Token(TokenKind.LINE_COMMENT, start, i));
            } else if (c == '/' && next == '*') {
                int opener = executableOpenerEnd(sql, i);
                if (opener > 0 && !inExecutable) {
                    // Not a comment: the marker (with its version) is left out like a comment, the content is code.
                    out.add(new Token(TokenKind.BLOCK_COMMENT, i, opener));
                    inExecutable = true;
                    executableSeen = true;
                    i = opener;
                } else {
                    int close = sql.indexOf("*/", i + 2);
                    int end = close < 0 ? n : close + 2;
                    if (opener > 0 || containsNul(sql, i, end)) {
                        // An executable comment inside an executable comment, or a NUL the server stops at.
                        out.add(new Token(TokenKind.ERROR, i, n));
                        i = n;
                    } else {
                        out.add(new Token(close < 0 ? TokenKind.ERROR : TokenKind.BLOCK_COMMENT, i, end));
                        i = end;
                    }
                }
            } else if (c == '\'') {
                i = string(sql, i, i, '\'', TokenKind.STRING, out);
            } else if (c == '"') {
                i = ansiQuotes ? quoted(sql, i, '"', out) : string(sql, i, i, '"', TokenKind.STRING, out);
            } else if (c == '`') {
                i = quoted(sql, i, '`', out);
            } else if ((c == 'n' || c == 'N') && next == '\'') {
                i = string(sql, i, i + 1, '\'', TokenKind.NATIONAL_STRING, out);
            } else if ((c == 'x' || c == 'X') && next == '\'') {
                i = plainConstant(sql, i, TokenKind.HEX_STRING, out);
            } else if ((c == 'b' || c == 'B') && next == '\'') {
                i = plainConstant(sql, i, TokenKind.BIT_STRING, out);
            } else if (isIdentChar(c)) {
                i = word(sql, i, out);
            } else if (c == '.' && isDigit(next) && !afterName(out)) {
                i = number(sql, i, i, out);
            } else if (c == '?') {
                out.add(new Token(TokenKind.PLACEHOLDER, i, i + 1));
                i++;
            } else {
                String op = operatorAt(sql, i);
                if (op != null) {
                    out.add(new Token(TokenKind.OPERATOR, i, i + op.length()));
                    i += op.length();
                } else {
                    out.add(new Token(single(c), i, i + 1));
                    i++;
                }
            }
        }
        if (inExecutable) {
            out.add(new Token(TokenKind.ERROR, n, n)); // an executable comment never closed
        }
        String hazard = executableSeen ? "it holds an executable comment (/*! ... */ or /*M! ... */), which the "
                + "server runs as SQL or skips depending on its version" : null;
        LexedSql lexed = new LexedSql(sql, out, null, hazard);
        String ambiguity = driver.disagreement(lexed, noBackslashEscapes);
        return ambiguity == null ? lexed : new LexedSql(sql, out, ambiguity, hazard);
    }

    /**
     * Where the opener of an executable comment at {@code i} ({@code /*!}, {@code /*M!}, each with an optional
     * version number) ends, or -1 when the text at {@code i} opens an ordinary comment.
     */
    static int executableOpenerEnd(String sql, int i) {
        int j = i + 2;
        if (at(sql, j) == 'M' && at(sql, j + 1) == '!') {
            j += 2;
        } else if (at(sql, j) == '!') {
            j++;
        } else {
            return -1;
        }
        while (isDigit(at(sql, j))) {
            j++;
        }
        return j;
    }

    /** {@code --} starts a comment only when a space or control character (or the end of the text) follows. */
    private static boolean dashCommentFollows(String sql, int i) {
        if (i >= sql.length()) {
            return true;
        }
        char c = sql.charAt(i);
        return c == ' ' || c < 0x20 || c == 0x7f;
    }

    /** A line comment runs to the newline (not part of it), or to a NUL, where the server stops it too. */
    private static int lineEnd(String sql, int i) {
        int nl = sql.indexOf('\n', i);
        int end = nl < 0 ? sql.length() : nl;
        for (int k = i; k < end; k++) {
            if (sql.charAt(k) == 0) {
                return k; // the NUL itself then lexes as an error
            }
        }
        return end;
    }

    private static boolean containsNul(String sql, int from, int to) {
        for (int k = from; k < to; k++) {
            if (sql.charAt(k) == 0) {
                return true;
            }
        }
        return false;
    }

    /** A string from its prefix at {@code start}, its opening quote at {@code quote}. */
    private int string(String sql, int start, int quote, char q, TokenKind kind, List<Token> out) {
        int n = sql.length();
        int j = quote + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '\\' && !noBackslashEscapes) {
                j += 2;
            } else if (c == q) {
                if (at(sql, j + 1) == q) {
                    j += 2;
                } else {
                    out.add(new Token(kind, start, j + 1));
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        out.add(new Token(TokenKind.ERROR, start, n));
        return n;
    }

    /** {@code X'…'} or {@code B'…'}: no escapes, no doubled quotes; only hex (or binary) digits inside. */
    private static int plainConstant(String sql, int start, TokenKind kind, List<Token> out) {
        int close = sql.indexOf('\'', start + 2);
        if (close < 0) {
            out.add(new Token(TokenKind.ERROR, start, sql.length()));
            return sql.length();
        }
        boolean valid = true;
        for (int k = start + 2; k < close; k++) {
            char c = sql.charAt(k);
            valid &= kind == TokenKind.HEX_STRING ? isHexDigit(c) : (c == '0' || c == '1');
        }
        if (kind == TokenKind.HEX_STRING && (close - start - 2) % 2 != 0) {
            valid = false; // the server refuses an odd number of hex digits in X'…'
        }
        out.add(new Token(valid ? kind : TokenKind.ERROR, start, close + 1));
        return close + 1;
    }

    /** A backtick (or, with ANSI_QUOTES, double-quoted) identifier: the quote doubled inside, no escapes. */
    private static int quoted(String sql, int start, char q, List<Token> out) {
        int j = start + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == q) {
                if (at(sql, j + 1) == q) {
                    j += 2;
                    continue;
                }
                out.add(new Token(j == start + 1 ? TokenKind.ERROR : TokenKind.QUOTED_IDENTIFIER, start, j + 1));
                return j + 1;
            }
            j++;
        }
        out.add(new Token(TokenKind.ERROR, start, sql.length()));
        return sql.length();
    }

    /**
     * A run of name characters: a number when it is one ({@code 12}, {@code 1.5}, {@code 1e5}, {@code 0x1F},
     * {@code 0b101}), else a name, which in MySQL may begin with digits.
     */
    private static int word(String sql, int i, List<Token> out) {
        int n = sql.length();
        int j = i;
        while (j < n && isIdentChar(sql.charAt(j))) {
            j++;
        }
        String w = sql.substring(i, j);
        if (w.length() > 2 && w.charAt(0) == '0' && w.charAt(1) == 'x' && allMatch(w, 2, true)) {
            out.add(new Token(TokenKind.HEX_STRING, i, j));
            return j;
        }
        if (w.length() > 2 && w.charAt(0) == '0' && w.charAt(1) == 'b' && allBits(w)) {
            out.add(new Token(TokenKind.BIT_STRING, i, j));
            return j;
        }
        if (isDigit(w.charAt(0)) && (allMatch(w, 0, false) || exponentNumber(w))) {
            return number(sql, i, i, out);
        }
        if (isDigit(w.charAt(0)) && afterName(out) && out.get(out.size() - 1).kind() == TokenKind.DOT) {
            out.add(new Token(TokenKind.IDENTIFIER, i, j)); // t.1col
            return j;
        }
        out.add(new Token(TokenKind.IDENTIFIER, i, j));
        return j;
    }

    /** Digits, an optional fraction and exponent; a name character right after it is an error. */
    private static int number(String sql, int start, int i, List<Token> out) {
        int n = sql.length();
        int j = i;
        while (j < n && isDigit(sql.charAt(j))) {
            j++;
        }
        if (at(sql, j) == '.') {
            j++;
            while (j < n && isDigit(sql.charAt(j))) {
                j++;
            }
        }
        char e = at(sql, j);
        if ((e == 'e' || e == 'E') && (isDigit(at(sql, j + 1))
                || ((at(sql, j + 1) == '+' || at(sql, j + 1) == '-') && isDigit(at(sql, j + 2))))) {
            j += 2;
            while (j < n && isDigit(sql.charAt(j))) {
                j++;
            }
        }
        if (j < n && isIdentChar(sql.charAt(j))) {
            // 1.5abc, 1e5x: where the server splits this is not worth modelling; refused if it matters.
            int k = j;
            while (k < n && isIdentChar(sql.charAt(k))) {
                k++;
            }
            out.add(new Token(TokenKind.ERROR, start, k));
            return k;
        }
        out.add(new Token(TokenKind.NUMBER, start, j));
        return j;
    }

    private static boolean allMatch(String w, int from, boolean hex) {
        for (int k = from; k < w.length(); k++) {
            if (hex ? !isHexDigit(w.charAt(k)) : !isDigit(w.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allBits(String w) {
        for (int k = 2; k < w.length(); k++) {
            if (w.charAt(k) != '0' && w.charAt(k) != '1') {
                return false;
            }
        }
        return true;
    }

    /** {@code 1e5}: digits, an {@code e}, digits (a sign would have ended the run of name characters). */
    private static boolean exponentNumber(String w) {
        int e = Math.max(w.indexOf('e'), w.indexOf('E'));
        return e > 0 && e < w.length() - 1 && allMatch(w.substring(0, e), 0, false) && allMatch(w, e + 1, false);
    }

    /** The previous token is a name or a dot after one, so a following {@code .5} or {@code 1x} is part of a name. */
    private static boolean afterName(List<Token> out) {
        if (out.isEmpty()) {
            return false;
        }
        TokenKind last = out.get(out.size() - 1).kind();
        if (last == TokenKind.DOT && out.size() > 1) {
            last = out.get(out.size() - 2).kind();
        }
        return last == TokenKind.IDENTIFIER || last == TokenKind.QUOTED_IDENTIFIER;
    }

    private static String operatorAt(String sql, int i) {
        for (String op : MULTI_CHAR_OPERATORS) {
            if (sql.startsWith(op, i)) {
                return op;
            }
        }
        return "=<>!|&^~+-*/%:@".indexOf(sql.charAt(i)) >= 0 ? String.valueOf(sql.charAt(i)) : null;
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

    @Override
    public String identifier(LexedSql lexed, Token token) {
        String text = lexed.text(token);
        return switch (token.kind()) {
            case IDENTIFIER -> text;
            case QUOTED_IDENTIFIER -> {
                String q = String.valueOf(text.charAt(0));
                yield text.substring(1, text.length() - 1).replace(q + q, q);
            }
            default -> null;
        };
    }

    /**
     * The value of a {@code '…'} (or, without ANSI_QUOTES, {@code "…"}) string or an {@code N'…'} one: doubled
     * quotes undone and, unless NO_BACKSLASH_ESCAPES, backslash escapes decoded as the server decodes them
     * ({@code \%} and {@code \_} keep their backslash).
     */
    @Override
    public String standardStringValue(LexedSql lexed, Token token) {
        if (token.kind() != TokenKind.STRING && token.kind() != TokenKind.NATIONAL_STRING) {
            return null;
        }
        String text = lexed.text(token);
        int open = token.kind() == TokenKind.NATIONAL_STRING ? 1 : 0;
        char q = text.charAt(open);
        if (text.length() < open + 2 || text.charAt(text.length() - 1) != q) {
            return null;
        }
        StringBuilder value = new StringBuilder(text.length());
        int end = text.length() - 1;
        for (int k = open + 1; k < end; k++) {
            char c = text.charAt(k);
            if (c == '\\' && !noBackslashEscapes) {
                char e = text.charAt(++k);
                switch (e) {
                    case '0' -> value.append('\0');
                    case 'b' -> value.append('\b');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'Z' -> value.append('\u001a');
                    case '%', '_' -> value.append('\\').append(e);
                    default -> value.append(e);
                }
            } else if (c == q) {
                value.append(q);
                k++; // the doubled quote's second half
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    @Override
    public String toString() {
        return "MySqlLexer[" + driver.driverName() + (ansiQuotes ? ", ANSI_QUOTES" : "")
                + (noBackslashEscapes ? ", NO_BACKSLASH_ESCAPES" : "") + "]";
    }

    static char at(String sql, int i) {
        return i < sql.length() ? sql.charAt(i) : 0;
    }

    /** The server's whitespace: space, tab, newline, vertical tab, form feed, carriage return. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Letters, digits, {@code _}, {@code $} and every non-ASCII character may make up an unquoted name. */
    static boolean isIdentChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }
}
