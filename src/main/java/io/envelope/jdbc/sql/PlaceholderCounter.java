package io.envelope.jdbc.sql;

/**
 * Counts the JDBC {@code ?} placeholders of SQL text the way pgJDBC does: not inside '...' / E'...' strings,
 * "..." identifiers, $tag$...$tag$ strings or comments, and {@code ??} is an escaped {@code ?} operator.
 *
 * <p>Why a second count: parameter targets come from JSqlParser's numbering. If the parser ever saw a
 * different number of {@code ?} than the driver binds (a {@code ??} operator, a dialect quirk), every target
 * after the difference would point at the wrong parameter and a plaintext value could be sent unencrypted.
 * The analysis refuses the statement when the two counts disagree.
 */
final class PlaceholderCounter {

    private PlaceholderCounter() {
    }

    static int count(String sql) {
        return positions(sql).length;
    }

    /** The character offset of each placeholder, in text order (the n-th is JDBC parameter n). */
    static int[] positions(String sql) {
        int count = 0;
        int[] found = new int[8];
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                boolean backslashEscapes = i > 0 && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')
                        && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_');
                i = skipQuoted(sql, i, '\'', backslashEscapes);
            } else if (c == '"') {
                i = skipQuoted(sql, i, '"', false);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '$' && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
                i = skipDollarQuoted(sql, i);
            } else if (c == '?') {
                if (i + 1 < n && sql.charAt(i + 1) == '?') {
                    i += 2; // ?? is the escaped ? operator, not a placeholder
                } else {
                    if (count == found.length) {
                        found = java.util.Arrays.copyOf(found, count * 2);
                    }
                    found[count++] = i;
                    i++;
                }
            } else {
                i++;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static int skipBlockComment(String sql, int start) {
        int depth = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** $tag$ ... $tag$ (tag empty or an identifier); a $ that opens no such string is skipped alone. */
    private static int skipDollarQuoted(String sql, int start) {
        int i = start + 1;
        while (i < sql.length() && sql.charAt(i) != '$') {
            char c = sql.charAt(i);
            boolean ok = i == start + 1 ? Character.isLetter(c) || c == '_' : isIdentifierPart(c);
            if (!ok) {
                return start + 1; // $1, a lone $: not a dollar quote
            }
            i++;
        }
        if (i >= sql.length()) {
            return start + 1;
        }
        String tag = sql.substring(start, i + 1);
        int end = sql.indexOf(tag, i + 1);
        return end < 0 ? sql.length() : end + tag.length();
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
