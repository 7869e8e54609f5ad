package io.envelope.jdbc.it.cli;

import io.envelope.jdbc.cli.EnvelopeCli;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs a command-line command against a test database and captures what it printed. */
public final class CliRunner {

    /** What one command printed and returned. */
    public record Run(int exitCode, String out, String err) {
        /** The command's error line (stderr also carries the audit log of slf4j-simple). */
        public String errorLine() {
            return err.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        }
    }

    private CliRunner() {
    }

    /** Runs {@code args} with the database's {@code --config} and {@code --url} appended. */
    static Run run(EncryptedDatabase db, String... args) {
        return run(db.configFile(), TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()), args);
    }

    /** Runs {@code args} with {@code --config configFile --url url} appended (any database, MariaDB's tests too). */
    public static Run run(Path configFile, String url, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = configFile.toString();
        all[args.length + 2] = "--url";
        all[args.length + 3] = url;
        return capture(all);
    }

    /** Runs the command line in this JVM with exactly {@code all} and captures its output. */
    public static Run capture(String... all) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = EnvelopeCli.run(all);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
