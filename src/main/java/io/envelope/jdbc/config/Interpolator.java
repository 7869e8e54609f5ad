package io.envelope.jdbc.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in one scalar value from the environment (see docs/configuration.md).
 * As in the shell, the default is used when the variable is unset or empty. Substituted values are not scanned
 * again. Error messages name the variable, never its value.
 */
final class Interpolator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Interpolator() {
    }

    /** A reference to a variable that is unset and has no default. */
    static final class UnsetVariableException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String variable;

        UnsetVariableException(String variable) {
            super("environment variable " + variable + " is not set", null, false, false);
            this.variable = variable;
        }

        String variable() {
            return variable;
        }
    }

    /** A <code>${</code> that does not form a {@code ${VAR}} or {@code ${VAR:-default}} reference. */
    static final class MalformedReferenceException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedReferenceException(String problem) {
            super(problem, null, false, false);
        }
    }

    /** Whether the text contains a reference at all. */
    static boolean hasReference(String text) {
        return text != null && text.contains("${");
    }

    /**
     * @param text        the scalar as written in the file
     * @param environment variable name to value, null when unset
     * @return the text with every reference replaced
     */
    static String interpolate(String text, Function<String, String> environment)
            throws UnsetVariableException, MalformedReferenceException {
        Objects.requireNonNull(environment, "environment");
        if (!hasReference(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            int end = text.indexOf('}', start + 2);
            if (end < 0) {
                throw new MalformedReferenceException("has a '${' without its closing '}'");
            }
            String body = text.substring(start + 2, end);
            int colon = body.indexOf(":-");
            String name = colon < 0 ? body : body.substring(0, colon);
            if (!NAME.matcher(name).matches()) {
                throw new MalformedReferenceException("'${" + body + "}' is not a ${VAR} or ${VAR:-default} reference");
            }
            String value = environment.apply(name);
            if (colon >= 0) {
                if (value == null || value.isEmpty()) {
                    value = body.substring(colon + 2);
                }
            } else if (value == null) {
                throw new UnsetVariableException(name);
            }
            out.append(value);
            i = end + 1;
        }
        return out.toString();
    }
}
