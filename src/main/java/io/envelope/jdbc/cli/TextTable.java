package io.envelope.jdbc.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints rows as an aligned text table; the first row is the header. */
final class TextTable {

    private TextTable() {
    }

    static void print(PrintStream out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < widths.length; i++) {
                line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", rows.get(r)[i]));
                line.append(i + 1 < widths.length ? " | " : "");
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                StringBuilder rule = new StringBuilder("  ");
                for (int i = 0; i < widths.length; i++) {
                    rule.append("-".repeat(widths[i])).append(i + 1 < widths.length ? "-+-" : "");
                }
                out.println(rule);
            }
        }
    }
}
