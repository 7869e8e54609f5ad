package io.envelope.jdbc.sql;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cheap gate in front of the parser: does this SQL text possibly name a configured table?
 *
 * <p>Deliberately a superset of "names the table as a token": a case-insensitive substring match of each
 * configured bare table name (and, for a name with a double quote in it, of its part before the quote) catches unquoted, quoted, case-folded, schema-qualified and comment-split
 * references alike ({@code public/ * x * /.customers} still contains {@code customers}). A {@code U&"...")}
 * escape can spell any name without containing it, so its mere presence sends the statement to analysis.
 * False positives only cost a parse; a false negative would send plaintext, so nothing cleverer is tried.
 *
 * <p>Immutable: one per {@link io.envelope.jdbc.schema.EncryptionSchema}, built once.
 */
final class TableNameScanner {

    private final String[] lowerNames;

    TableNameScanner(Set<String> bareTableNames) {
        // A name containing a double quote is written with the quote doubled inside a quoted identifier; on MySQL
        // one containing a backtick is written with the backtick doubled inside backticks.
        this.lowerNames = bareTableNames.stream()
                .flatMap(n -> n.indexOf('"') < 0 ? Stream.of(n)
                        : Stream.of(n, n.replace("\"", "\"\""), n.substring(0, n.indexOf('"'))))
                .flatMap(n -> n.indexOf('`') < 0 ? Stream.of(n)
                        : Stream.of(n, n.replace("`", "``"), n.substring(0, n.indexOf('`'))))
                .map(n -> n.toLowerCase(Locale.ROOT))
                .filter(n -> !n.isEmpty())
                .distinct()
                .toArray(String[]::new);
    }

    /** True when the SQL may name a configured table and must be analysed. */
    boolean mayNameConfiguredTable(String sql) {
        if (lowerNames.length == 0) {
            return false;
        }
        // One lower-cased copy per miss (the plan cache answers repeats); then a plain indexOf per table.
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains("u&\"")) {
            return true;
        }
        for (String name : lowerNames) {
            if (lower.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
