package io.envelope.jdbc.sql.lexer;

import java.util.ArrayList;
import java.util.List;

/**
 * How MariaDB Connector/J (3.x) finds the {@code ?} placeholders of a prepared statement before it binds them
 * (client-side, its default): a one-pass scan that knows {@code '…'} and {@code "…"} strings (a backslash escapes
 * in both unless the server reports NO_BACKSLASH_ESCAPES, whatever ANSI_QUOTES says), backtick identifiers,
 * {@code #} comments, {@code --} comments when a space or control character other than DEL follows the dashes, and {@code /* … *}{@code /} comments, in
 * which {@code /*}{@code /} already counts as closed. Its executable comments are comments too.
 *
 * <p>This class re-traces that scan on the text and compares its placeholders with the server-accurate tokens of
 * {@link MySqlLexer}: if they differ, the driver would bind values where the analysis did not number them, so the
 * text is ambiguous and a statement that names a configured table is refused.
 */
final class MariaDbClientScan {

    private enum State { NORMAL, STRING, ESCAPE, BLOCK_COMMENT, LINE_COMMENT, BACKTICK }

    private MariaDbClientScan() {
    }

    /** Null when the driver would find exactly the placeholders of {@code lexed}; else why not (no SQL text). */
    static String disagreement(LexedSql lexed, boolean noBackslashEscapes) {
        String sql = lexed.sql();
        List<Integer> found = new ArrayList<>();
        State state = State.NORMAL;
        boolean singleQuotes = false;
        char last = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (state == State.ESCAPE && !((c == '\'' && singleQuotes) || (c == '"' && !singleQuotes))) {
                state = State.STRING;
                last = c;
                continue;
            }
            switch (c) {
                case '*' -> {
                    if (state == State.NORMAL && last == '/') {
                        state = State.BLOCK_COMMENT;
                    }
                }
                case '/' -> {
                    if (state == State.BLOCK_COMMENT && last == '*') {
                        state = State.NORMAL;
                    }
                }
                case '#' -> {
                    if (state == State.NORMAL) {
                        state = State.LINE_COMMENT;
                    }
                }
                case '-' -> {
                    // Since 3.x only a whitespace or control character (or the end) after the dashes makes a
                    // comment, as on the server; unlike the server, DEL (0x7f) does not.
                    if (state == State.NORMAL && last == '-'
                            && (i + 1 >= sql.length() || sql.charAt(i + 1) <= 31 || sql.charAt(i + 1) == ' ')) {
                        state = State.LINE_COMMENT;
                    }
                }
                case '\n' -> {
                    if (state == State.LINE_COMMENT) {
                        state = State.NORMAL;
                    }
                }
                case '"', '\'' -> {
                    boolean single = c == '\'';
                    if (state == State.NORMAL) {
                        state = State.STRING;
                        singleQuotes = single;
                    } else if (state == State.STRING && singleQuotes == single) {
                        state = State.NORMAL;
                    } else if (state == State.ESCAPE) {
                        state = State.STRING;
                    }
                }
                case '\\' -> {
                    if (state == State.STRING && !noBackslashEscapes) {
                        state = State.ESCAPE;
                    }
                }
                case '?' -> {
                    if (state == State.NORMAL) {
                        found.add(i);
                    }
                }
                case '`' -> {
                    if (state == State.BACKTICK) {
                        state = State.NORMAL;
                    } else if (state == State.NORMAL) {
                        state = State.BACKTICK;
                    }
                }
                default -> {
                    // any other character changes nothing
                }
            }
            last = c;
        }
        int[] lexer = lexed.placeholders();
        boolean same = lexer.length == found.size();
        for (int k = 0; same && k < lexer.length; k++) {
            same = lexer[k] == found.get(k);
        }
        return same ? null : "MariaDB Connector/J would find its ? placeholders elsewhere than the server does "
                + "(a backslash in a double-quoted identifier, a comment it closes or opens differently, or an "
                + "executable comment)";
    }
}
