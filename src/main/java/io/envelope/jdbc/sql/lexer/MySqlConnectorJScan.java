package io.envelope.jdbc.sql.lexer;

import java.util.ArrayList;
import java.util.List;

/**
 * How MySQL Connector/J (9.x) finds the {@code ?} placeholders of a prepared statement before it binds them
 * (client-side, its default; its {@code QueryInfo} over a {@code StringInspector}). Its rules differ from the
 * server's in ways that matter here:
 * <ul>
 *   <li>{@code '…'}, {@code "…"} and {@code `…`} are all skipped to the next same quote, and a backslash escapes
 *       the next character in all three (backticks included, whatever ANSI_QUOTES says) unless the driver believes
 *       the session has NO_BACKSLASH_ESCAPES; a backslash outside quotes escapes too, so {@code \'} opens nothing;</li>
 *   <li>{@code --} starts a comment before any Java whitespace (Unicode spaces too, but not the control characters
 *       other than tab, newline, VT, FF, CR and 0x1C–0x1F), before {@code ;} (which the comment then swallows) or at
 *       the end; {@code #} and {@code --} comments end at a newline or a carriage return;</li>
 *   <li>{@code /* … *}{@code /} and hints {@code /*+ … *}{@code /} are skipped to the first {@code *}{@code /};
 *       {@code /*M! … *}{@code /} is an ordinary comment; {@code /*!} (and a five-digit version) is dropped and its
 *       content scanned as code;</li>
 *   <li>it first skips to the first letter or digit (a {@code ?} before it is no placeholder) and then reads the
 *       statement keyword as the run of characters up to the first space, comment or quote: a {@code ?} in that run
 *       ({@code SELECT(?)}) is no placeholder either.</li>
 * </ul>
 * Its keyword look-ups (VALUES, ON DUPLICATE KEY UPDATE, LIMIT, …) jump over letters and over the spaces and comments
 * between words, which the scan skips anyway, except that a jump over an executable comment's markers loses track of
 * where that comment ends: any text with one is reported (the server-accurate lexer already treats it as a hazard).
 *
 * <p>This class re-traces that scan and compares its placeholders with the server-accurate tokens of
 * {@link MySqlLexer}: if they differ, the driver would bind values where the analysis did not number them, so the
 * text is ambiguous and a statement that names a configured table is refused. Checked against the driver's own
 * scan by MySqlConnectorJScanTest.
 */
final class MySqlConnectorJScan {

    /** The length of the version number after {@code /*!} that the driver drops with the marker. */
    private static final int VERSION_DIGITS = 5;

    private final String sql;
    private final int n;
    private final boolean escapes;
    private int pos;
    /** The previous character was a backslash that escapes this one (the driver's own flag, outside quotes too). */
    private boolean escaped;
    /** Inside an executable comment, whose {@code *}{@code /} the driver then drops. */
    private boolean inExecutable;
    private boolean executableSeen;

    private MySqlConnectorJScan(String sql, boolean noBackslashEscapes) {
        this.sql = sql;
        this.n = sql.length();
        this.escapes = !noBackslashEscapes;
    }

    /**
     * Null when the driver would find exactly the placeholders of {@code lexed}; else why not (no SQL text).
     *
     * @param noBackslashEscapes whether the driver believes the session has NO_BACKSLASH_ESCAPES (it reads sql_mode
     *                           when it connects: the dialect refuses a session where that belief is stale)
     */
    static String disagreement(LexedSql lexed, boolean noBackslashEscapes) {
        MySqlConnectorJScan scan = new MySqlConnectorJScan(lexed.sql(), noBackslashEscapes);
        List<Integer> found = scan.placeholders();
        if (scan.executableSeen) {
            return "MySQL Connector/J would lose track of where its executable comment (/*! ... */) ends";
        }
        int[] lexer = lexed.placeholders();
        boolean same = lexer.length == found.size();
        for (int k = 0; same && k < lexer.length; k++) {
            same = lexer[k] == found.get(k);
        }
        return same ? null : "MySQL Connector/J would find its ? placeholders elsewhere than the server does "
                + "(a backslash in a backtick or double-quoted identifier or outside a string, a comment it opens or "
                + "closes differently, or a ? before or in the statement's first word)";
    }

    /**
     * Where the driver finds placeholders in {@code sql} (for the tests that hold this trace against the driver);
     * null when the text holds an executable comment, whose end the trace does not follow as the driver does.
     */
    static int[] placeholders(String sql, boolean noBackslashEscapes) {
        MySqlConnectorJScan scan = new MySqlConnectorJScan(sql, noBackslashEscapes);
        List<Integer> found = scan.placeholders();
        return scan.executableSeen ? null : found.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The placeholders the driver finds, in text order. */
    private List<Integer> placeholders() {
        List<Integer> found = new ArrayList<>();
        // Up to the first letter or digit: anything else, a ? included, is passed over.
        while (nextSignificant() && !Character.isLetterOrDigit(sql.charAt(pos))) {
            advance();
        }
        if (pos >= n) {
            return found;
        }
        // The statement keyword: every significant character that directly follows the previous one.
        int next;
        do {
            next = pos + 1;
            advance();
        } while (nextSignificant() && pos == next);
        while (nextSignificant()) {
            if (sql.charAt(pos) == '?') {
                found.add(pos);
            }
            advance();
        }
        return found;
    }

    /** Steps past the character at {@code pos}, as the driver does: a backslash escapes the next one. */
    private void advance() {
        escaped = escapes && sql.charAt(pos) == '\\' && !escaped;
        pos++;
    }

    private char at(int i) {
        return i < n ? sql.charAt(i) : 0;
    }

    /**
     * Moves {@code pos} to the next character the driver looks at (past spaces, quoted text and comments); false
     * at the end of the text.
     */
    private boolean nextSignificant() {
        while (pos < n) {
            char c0 = sql.charAt(pos);
            char c1 = at(pos + 1);
            char c2 = at(pos + 2);
            boolean skips = !escaped;
            if (skips && (c0 == '\'' || c0 == '"' || c0 == '`')) {
                int j = pos + 1;
                while (j < n && sql.charAt(j) != c0) {
                    j += escapes && sql.charAt(j) == '\\' ? 2 : 1;
                }
                pos = j + 1; // past the closing quote, or past the end when there is none
            } else if (skips && c0 == '/' && c1 == '*' && c2 != '!') {
                // A comment or a hint (/*+): to the first */ after the opener.
                int close = sql.indexOf("*/", pos + (c2 == '+' ? 3 : 2));
                pos = close < 0 ? n : close + 2;
            } else if (skips && ((c0 == '-' && c1 == '-' && (Character.isWhitespace(c2) || c2 == ';' || c2 == 0))
                    || c0 == '#')) {
                if (c0 == '-' && c2 == ';') {
                    pos += 3; // the driver's comment swallows the semicolon right after the dashes
                } else {
                    int j = pos + 1;
                    while (j < n && sql.charAt(j) != '\n' && sql.charAt(j) != '\r') {
                        j++;
                    }
                    pos = j < n && sql.charAt(j) == '\r' && at(j + 1) == '\n' ? j + 2 : j + 1;
                }
            } else if (skips && c0 == '/' && c1 == '*') {
                // c2 == '!': the marker (and a version of exactly five digits) is dropped, the content is code.
                int digits = 0;
                while (digits < VERSION_DIGITS && pos + 3 + digits < n
                        && Character.isDigit(sql.charAt(pos + 3 + digits))) {
                    digits++;
                }
                pos += 3 + (digits == VERSION_DIGITS ? VERSION_DIGITS : 0);
                inExecutable = true;
                executableSeen = true;
            } else if (inExecutable && skips && c0 == '*' && c1 == '/') {
                pos += 2;
                inExecutable = false;
            } else if (!Character.isWhitespace(c0)) {
                return true;
            } else {
                pos++;
            }
            escaped = false;
        }
        return false;
    }
}
