package io.envelope.jdbc.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Progress of the long commands, pass by pass. On a terminal each pass is one updating line with a bar, the rate
 * and the time left (me.tongfei:progressbar); when the output is not a terminal (CI, a log collector, a Kubernetes
 * pod) it is one plain line every ten seconds or so, and always one when the pass ends. Each pass carries its name,
 * and {@link #printSummary} gives every pass's rows, time and rate, so the rate of the slow pass is the one a reader
 * sizes a production run by, not the last one printed.
 */
final class Progress {

    /** One finished pass. */
    record PassSummary(String name, long rows, double seconds) {
        double rate() {
            return rows / Math.max(seconds, 1e-3);
        }
    }

    /** A pass under way: the caller reports the rows done so far. */
    interface Pass {
        void rowsDone(long rows);

        PassSummary finish();
    }

    /** How often a plain line is printed when the output is not a terminal. */
    static final long PLAIN_INTERVAL_MILLIS = Long.getLong("envelope.progress.interval-millis", 10_000L);

    private final PrintStream out;
    private final boolean terminal;
    private final List<PassSummary> passes = new ArrayList<>();

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress on standard output, with bars when a person is watching a terminal. */
    static Progress onStandardOutput() {
        return new Progress(System.out, isTerminal());
    }

    /**
     * Whether standard input and output are a terminal. {@code System.console()} is null when either is redirected;
     * from Java 22 on it may be a console that is no terminal, which {@code Console.isTerminal()} tells.
     */
    @SuppressWarnings("SystemConsoleNull") // checked for null (Java 17-21) and for isTerminal (22 on)
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException beforeJava22) {
            return true;
        }
    }

    /** Starts a named pass over about {@code total} rows (more may come: rows written meanwhile). */
    Pass start(String name, long total) {
        Pass pass = terminal ? new BarPass(name, total) : new PlainPass(name, total);
        return pass;
    }

    List<PassSummary> passes() {
        return List.copyOf(passes);
    }

    /** Every pass's rows, time and rate. */
    void printSummary() {
        if (passes.isEmpty()) {
            return;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"pass", "rows", "time", "rows/s"});
        for (PassSummary p : passes) {
            table.add(new String[] {p.name(), String.format("%,d", p.rows()), seconds(p.seconds()),
                    String.format("%,.0f", p.rate())});
        }
        out.println("Summary:");
        TextTable.print(out, table);
    }

    private PassSummary finished(String name, long rows, long startedNanos) {
        PassSummary summary = new PassSummary(name, rows, (System.nanoTime() - startedNanos) / 1e9);
        passes.add(summary);
        return summary;
    }

    static String seconds(double seconds) {
        if (seconds < 60) {
            return String.format("%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        return whole < 3600 ? String.format("%d min %02d s", whole / 60, whole % 60)
                : String.format("%d h %02d min", whole / 3600, whole % 3600 / 60);
    }

    /** On a terminal: the library's bar, redrawn in place, on standard error so the report on standard output stays clean. */
    private final class BarPass implements Pass {
        private final String name;
        private final long started = System.nanoTime();
        private final ProgressBar bar;
        private long rows;

        BarPass(String name, long total) {
            this.name = name;
            this.bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(total, 0))
                    .setUnit(" rows", 1).showSpeed(new DecimalFormat("#,##0")).setSpeedUnit(ChronoUnit.SECONDS)
                    .setUpdateIntervalMillis(250).build();
        }

        @Override
        public void rowsDone(long done) {
            rows = done;
            if (done > bar.getMax()) {
                bar.maxHint(done); // rows inserted since the count
            }
            bar.stepTo(done);
        }

        @Override
        public PassSummary finish() {
            bar.maxHint(rows);
            bar.stepTo(rows);
            bar.close();
            PassSummary summary = finished(name, rows, started);
            out.printf("%s: %,d rows in %s (%,.0f rows/s)%n", name, rows, seconds(summary.seconds()),
                    summary.rate());
            return summary;
        }
    }

    /** Not a terminal: a plain line now and then, then one at the end. */
    private final class PlainPass implements Pass {
        private final String name;
        private final long total;
        private final long started = System.nanoTime();
        private long lastLine = started;
        private long rows;

        PlainPass(String name, long total) {
            this.name = name;
            this.total = total;
            out.printf("%s: started, about %,d rows%n", name, total);
        }

        @Override
        public void rowsDone(long done) {
            rows = done;
            long now = System.nanoTime();
            if ((now - lastLine) / 1_000_000 >= PLAIN_INTERVAL_MILLIS) {
                lastLine = now;
                double seconds = Math.max((now - started) / 1e9, 1e-3);
                double rate = done / seconds;
                long left = Math.max(total - done, 0);
                out.printf("%s: %,d / %,d rows (%d%%), %,.0f rows/s, about %s left%n", name, done,
                        Math.max(total, done), total > 0 ? Math.min(100, done * 100 / total) : 100, rate,
                        rate > 0 ? seconds(left / rate) : "?");
            }
        }

        @Override
        public PassSummary finish() {
            PassSummary summary = finished(name, rows, started);
            out.printf("%s: %,d rows in %s (%,.0f rows/s)%n", name, rows, seconds(summary.seconds()),
                    summary.rate());
            return summary;
        }
    }
}
