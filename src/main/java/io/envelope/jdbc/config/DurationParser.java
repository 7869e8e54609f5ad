package io.envelope.jdbc.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code key-cache.ttl}: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT10M}). */
final class DurationParser {

    static final String FORMS = "500ms, 30s, 10m, 2h, 1d or ISO-8601 such as PT10M";

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationParser() {
    }

    /**
     * @return the duration, never negative
     * @throws IllegalArgumentException with a message that does not repeat the text
     */
    static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher m = SHORT.matcher(trimmed);
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> throw new IllegalStateException();
                };
            }
            if (!trimmed.isEmpty() && (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p')) {
                Duration d = Duration.parse(trimmed);
                if (d.isNegative()) {
                    throw new IllegalArgumentException("is negative");
                }
                return d;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("is too long a duration");
        } catch (DateTimeParseException e) {
            // falls through to the general message
        }
        throw new IllegalArgumentException("is not a duration (use " + FORMS + ")");
    }

    /** The short form of a duration, for messages and examples. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
