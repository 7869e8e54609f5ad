package io.envelope.jdbc.sql.lexer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * SQL text and its tokens (whitespace dropped, comments kept), as one {@link SqlLexer} saw it. Immutable.
 * Holds the SQL: never printed.
 */
public final class LexedSql {

    private final String sql;
    private final List<Token> tokens;
    private final String ambiguity;
    private final String hazard;
    private int[] placeholders;

    /**
     * @param ambiguity null, or why the database's client driver and server would read this text differently
     *                  (the analysis refuses such text when it names a configured table)
     */
    public LexedSql(String sql, List<Token> tokens, String ambiguity) {
        this(sql, tokens, ambiguity, null);
    }

    /**
     * @param hazard null, or why no single reading of this text can be trusted to show what the server executes
     *               (MySQL's executable comments): the analysis refuses such text whenever it may name a
     *               configured table at all, even inside what one reading takes for a string or a comment
     */
    public LexedSql(String sql, List<Token> tokens, String ambiguity, String hazard) {
        this.sql = sql;
        this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
        this.ambiguity = ambiguity;
        this.hazard = hazard;
    }

    public String sql() {
        return sql;
    }

    /** Every token in text order, comments included, whitespace left out. */
    public List<Token> tokens() {
        return tokens;
    }

    /** Null, or a short description (no SQL text) of a construct client and server would lex differently. */
    public String ambiguity() {
        return ambiguity;
    }

    /** Null, or a short description (no SQL text) of a construct that no single reading of the text settles. */
    public String hazard() {
        return hazard;
    }

    public String text(Token token) {
        return sql.substring(token.start(), token.end());
    }

    /** The first token the server could not lex, or null. */
    public Token firstError() {
        for (Token t : tokens) {
            if (t.kind() == TokenKind.ERROR) {
                return t;
            }
        }
        return null;
    }

    /** The tokens the server executes: comments left out. */
    public List<Token> significant() {
        List<Token> out = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            if (!t.kind().isComment()) {
                out.add(t);
            }
        }
        return out;
    }

    /** How many statements the text holds: runs of significant tokens between semicolons (empty ones not counted). */
    public int statementCount() {
        int count = 0;
        boolean inStatement = false;
        for (Token t : tokens) {
            if (t.kind() == TokenKind.SEMICOLON) {
                inStatement = false;
            } else if (!t.kind().isComment() && !inStatement) {
                inStatement = true;
                count++;
            }
        }
        return count;
    }

    /** The character offset of each JDBC placeholder, in text order: the n-th is JDBC parameter n. */
    public int[] placeholders() {
        if (placeholders == null) {
            int[] found = new int[8];
            int n = 0;
            for (Token t : tokens) {
                if (t.kind() == TokenKind.PLACEHOLDER) {
                    if (n == found.length) {
                        found = Arrays.copyOf(found, n * 2);
                    }
                    found[n++] = t.start();
                }
            }
            placeholders = Arrays.copyOf(found, n);
        }
        return placeholders.clone();
    }

    /** The token that starts exactly at {@code offset}, or null. */
    public Token startingAt(int offset) {
        int i = indexStartingAt(offset);
        return i < 0 ? null : tokens.get(i);
    }

    /** The index in {@link #tokens()} of the token that starts exactly at {@code offset}, or -1. */
    public int indexStartingAt(int offset) {
        int lo = 0;
        int hi = tokens.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int start = tokens.get(mid).start();
            if (start < offset) {
                lo = mid + 1;
            } else if (start > offset) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "LexedSql[" + tokens.size() + " tokens]"; // never the SQL: it may carry a literal
    }
}
