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
    /**
     * MySQL and MariaDB: column names are compared without regard to case, quoted ({@code `Email`}) or not, and so
     * are table names when {@code lower_case_table_names} is 1 or 2. Names are never cut: the server refuses one
     * longer than {@link #MYSQL_MAX_CHARACTERS} instead.
     */
    public static final IdentifierCase MYSQL = new IdentifierCase(Fold.LOWER, 0, true);

    /** The longest identifier (in characters) MySQL and MariaDB accept for a database, table or column. */
    public static final int MYSQL_MAX_CHARACTERS = 64;

    private final Fold fold;
    private final int maxBytes;
    /** Quoting keeps no case: a quoted name folds like an unquoted one (MySQL's backticks). */
    private final boolean quotedFolds;

    private IdentifierCase(Fold fold, int maxBytes) {
        this(fold, maxBytes, false);
    }

    private IdentifierCase(Fold fold, int maxBytes, boolean quotedFolds) {
        this.fold = fold;
        this.maxBytes = maxBytes;
        this.quotedFolds = quotedFolds;
    }

    /**
     * MySQL's and MariaDB's rule for a server with this {@code lower_case_table_names}. With 1 and 2 the server
     * compares table names in lower case; with 0 it compares them as written while still comparing column names
     * without case. One rule serves both kinds of name here, so with 0 names that differ only in case are taken
     * for the same table: a statement on {@code Customers} is then analysed (and encrypted) as one on a configured
     * {@code customers}, never the other way round, which would let a configured column's plaintext through
     * under a differently-cased name.
     *
     * @throws IllegalArgumentException for a value the server does not have
     */
    public static IdentifierCase mysql(int lowerCaseTableNames) {
        if (lowerCaseTableNames < 0 || lowerCaseTableNames > 2) {
            throw new IllegalArgumentException("lower_case_table_names is 0, 1 or 2, not " + lowerCaseTableNames);
        }
        return MYSQL;
    }

    /** Reads the rule from driver metadata (no round trip in pgJDBC or H2). */
    public static IdentifierCase of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            return POSTGRESQL;
        }
        if ("MySQL".equalsIgnoreCase(product) || "MariaDB".equalsIgnoreCase(product)) {
            return MYSQL; // the same rule whatever lower_case_table_names says: see mysql(int)
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
        return quotedFolds ? fold(name) : truncate(name);
    }

    /**
     * Normalises one identifier as written in SQL or in the config file: a double-quoted identifier keeps its
     * exact spelling (with {@code ""} unescaped), an unquoted one is folded; both are cut to the database's limit.
     */
    public String normalize(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return exact(identifier.substring(1, identifier.length() - 1).replace("\"\"", "\""));
        }
        if (quotedFolds && identifier.length() >= 2 && identifier.startsWith("`") && identifier.endsWith("`")) {
            return exact(identifier.substring(1, identifier.length() - 1).replace("``", "`"));
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
        return "IdentifierCase[" + fold + (quotedFolds ? ", quoted too" : "")
                + (maxBytes > 0 ? ", " + maxBytes + " bytes" : "") + "]";
    }
}
