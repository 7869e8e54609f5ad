package io.envelope.jdbc.config;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean …?" for names a user typed: the configuration's keys, and configured columns that the database
 * does not have. One rule for both, so a typo is reported the same way wherever it is made.
 */
public final class Spelling {

    private Spelling() {
    }

    /**
     * The candidate closest to {@code typed}, or null when none is close enough to be a likely typo. Case is
     * ignored; a swap of two neighbouring letters counts as one edit ({@code emial} → {@code email}).
     */
    public static String closest(String typed, Collection<String> candidates) {
        String lower = typed.toLowerCase(Locale.ROOT);
        int allowed = lower.length() <= 4 ? 1 : lower.length() <= 12 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d > 0 && d <= allowed && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            } else if (d == 0 && !candidate.equals(typed)) {
                return candidate; // differs only in case
            }
        }
        return best;
    }

    /** " (did you mean x?)" or the empty string. */
    public static String suggestion(String typed, Collection<String> candidates) {
        String closest = closest(typed, candidates);
        return closest == null ? "" : " (did you mean " + closest + "?)";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
