package io.envelope.jdbc.schema;

import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * How a database resolves identifiers, so that a name in SQL and a name in the configuration are compared as
 * the database compares them: unquoted names folded (PostgreSQL to lower case, H2 and Oracle to upper case),
 * quoted names kept as written, and over-long names cut where the database cuts them.
 *
 * <p>PostgreSQL folds only ASCII letters (in a UTF-8 database {@code ÉMAIL} is {@code Émail}) and silently cuts
 * every identifier, quoted or not, to 63 bytes (NAMEDATALEN - 1) on a character boundary, so
 * {@code customers_} followed by enough characters names the same table as its first 63 bytes.
 * Immutable; compare instances with {@code equals}.
 */
public final class IdentifierCase {

    private enum Fold { LOWER_ASCII, LOWER, UPPER, AS_WRITTEN }

    /** Lower-case folding (every letter), no length limit. */
    public static final IdentifierCase LOWER = new IdentifierCase(Fold.LOWER, 0);
    /** Upper-case folding (H2, Oracle), no length limit. */
    public static final IdentifierCase UPPER = new IdentifierCase(Fold.UPPER, 0);
    /** Stored as written (MySQL/MariaDB on case-sensitive file systems); compared as written. */
    public static final IdentifierCase AS_WRITTEN = new IdentifierCase(Fold.AS_WRITTEN, 0);
    /** PostgreSQL in a UTF-8 database: ASCII letters folded to lower case, names cut to 63 bytes. */
    public static final IdentifierCase POSTGRESQL = new IdentifierCase(Fold.LOWER_ASCII, 63);

    private final Fold fold;
    private final int maxBytes;

    private IdentifierCase(Fold fold, int maxBytes) {
        this.fold = fold;
        this.maxBytes = maxBytes;
    }

    /** Reads the rule from driver metadata (no round trip in pgJDBC or H2). */
    public static IdentifierCase of(DatabaseMetaData metaData) throws SQLException {
        if ("PostgreSQL".equalsIgnoreCase(metaData.getDatabaseProductName())) {
            return POSTGRESQL;
        }
        if (metaData.storesLowerCaseIdentifiers()) {
            return LOWER;
        }
        if (metaData.storesUpperCaseIdentifiers()) {
            return UPPER;
        }
        return AS_WRITTEN;
    }

    /** Folds (and cuts) an unquoted identifier the database's way. */
    public String fold(String unquoted) {
        String folded = switch (fold) {
            case LOWER_ASCII -> lowerAscii(unquoted);
            case LOWER -> unquoted.toLowerCase(Locale.ROOT);
            case UPPER -> unquoted.toUpperCase(Locale.ROOT);
            case AS_WRITTEN -> unquoted;
        };
        return truncate(folded);
    }

    /** A quoted identifier's exact name (quotes already removed), cut as the database cuts it. */
    public String exact(String name) {
        return truncate(name);
    }

    /**
     * Normalises one identifier as written in SQL or in the config file: a double-quoted identifier keeps its
     * exact spelling (with {@code ""} unescaped), an unquoted one is folded; both are cut to the database's limit.
     */
    public String normalize(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return exact(identifier.substring(1, identifier.length() - 1).replace("\"\"", "\""));
        }
        return fold(identifier);
    }

    /** The longest prefix of at most the limit's UTF-8 bytes that does not split a character. */
    private String truncate(String name) {
        if (maxBytes <= 0 || name.length() * 3 <= maxBytes
                || name.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return name;
        }
        int bytes = 0;
        int i = 0;
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return name.substring(0, i);
    }

    private static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] = (char) (chars[j] + ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return "IdentifierCase[" + fold + (maxBytes > 0 ? ", " + maxBytes + " bytes" : "") + "]";
    }
}
