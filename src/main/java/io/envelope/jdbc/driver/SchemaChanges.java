package io.envelope.jdbc.driver;

/**
 * Recognises SQL that may change table definitions, partitions or views — its first keyword is {@code CREATE},
 * {@code ALTER}, {@code DROP}, or {@code DO}/{@code CALL} (server-side code may run DDL) — so the runtime can
 * forget layouts and plans made from the old definitions. A few character comparisons per statement; the
 * result check of every query ({@link ResultCheck}) catches what this misses (DDL by other processes, DDL
 * inside functions).
 */
final class SchemaChanges {

    private static final String[] KEYWORDS = {"create", "alter", "drop", "do", "call"};

    private SchemaChanges() {
    }

    /** True when the statement's first keyword says it may change the schema. */
    static boolean mayChangeSchema(String sql) {
        int i = skipSpaceAndComments(sql, 0);
        for (String keyword : KEYWORDS) {
            int end = i + keyword.length();
            if (sql.regionMatches(true, i, keyword, 0, keyword.length())
                    && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_')) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first character after leading white space and comments (block comments nest). */
    private static int skipSpaceAndComments(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else {
                break;
            }
        }
        return i;
    }
}
