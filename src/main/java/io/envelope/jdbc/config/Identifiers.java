package io.envelope.jdbc.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The identifier syntax of table and column names in the config file: an unquoted SQL identifier (a letter or
 * {@code _}, then letters, digits, {@code _} or {@code $}) or a double-quoted one ({@code ""} inside for a quote);
 * table names may be qualified by one schema ({@code billing.customers}, {@code "Billing"."Customers"}).
 */
final class Identifiers {

    private Identifiers() {
    }

    /** One identifier, quoted or not. */
    static boolean isName(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        if (text.charAt(0) == '"') {
            if (text.length() < 3 || text.charAt(text.length() - 1) != '"') {
                return false;
            }
            String inner = text.substring(1, text.length() - 1);
            return inner.replace("\"\"", "").indexOf('"') < 0;
        }
        int first = text.codePointAt(0);
        if (!(Character.isLetter(first) || first == '_')) {
            return false;
        }
        for (int i = Character.charCount(first); i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$')) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** {@code name} or {@code schema.name}. */
    static boolean isQualifiedName(String text) {
        List<String> parts = split(text);
        if (parts == null || parts.isEmpty() || parts.size() > 2) {
            return false;
        }
        for (String part : parts) {
            if (!isName(part)) {
                return false;
            }
        }
        return true;
    }

    /** Splits on dots outside double quotes; null when a quote is left open. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) {
            return null;
        }
        parts.add(text.substring(start));
        return parts;
    }
}
