package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.it.EncryptedDatabase;

/** The command line for tests outside this package: runs a command against a test database and checks it worked. */
public final class Cli {

    private Cli() {
    }

    /** Runs a command; fails the test with what it printed when it exits non-zero. Returns its standard output. */
    public static String run(EncryptedDatabase db, String... args) {
        CliRunner.Run run = CliRunner.run(db, args);
        if (run.exitCode() != 0) {
            throw new AssertionError("envelope-jdbc " + String.join(" ", args) + " failed: " + run.err());
        }
        return run.out();
    }

    /** Runs a command and returns its exit code, standard output and error line. */
    public static String[] attempt(EncryptedDatabase db, String... args) {
        CliRunner.Run run = CliRunner.run(db, args);
        return new String[] {Integer.toString(run.exitCode()), run.out(), run.errorLine()};
    }
}
