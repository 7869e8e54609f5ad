package io.envelope.jdbc.cli;

import java.io.PrintStream;

/**
 * What {@code doctor} prints: one line per check — {@code OK}, {@code NOTE} (worth knowing, not a fault) or
 * {@code PROBLEM} (with what to do) — then a summary. Every line is one line, whatever the messages it quotes hold.
 */
final class DoctorReport {

    enum Level { OK, NOTE, PROBLEM }

    private final PrintStream out;
    private int ok;
    private int notes;
    private int problems;

    DoctorReport(PrintStream out) {
        this.out = out;
    }

    void ok(String subject, String text) {
        line(Level.OK, subject, text);
    }

    void note(String subject, String text) {
        line(Level.NOTE, subject, text);
    }

    void problem(String subject, String text) {
        line(Level.PROBLEM, subject, text);
    }

    void line(Level level, String subject, String text) {
        switch (level) {
            case OK -> ok++;
            case NOTE -> notes++;
            case PROBLEM -> problems++;
        }
        out.println(String.format("%-8s %s: %s", level, subject, text).replace('\r', ' ').replace('\n', ' '));
    }

    int problems() {
        return problems;
    }

    /** Prints the summary; the exit status: 0 only when no check found a problem. */
    int finish() {
        int checks = ok + notes + problems;
        out.println("doctor: " + checks + " check(s): " + ok + " OK, " + notes + " note(s), " + problems
                + " problem(s): " + (problems == 0 ? "healthy" : "NOT healthy"));
        return problems == 0 ? 0 : 1;
    }
}
