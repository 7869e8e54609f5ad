package io.envelope.jdbc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tool (see README, Command line): {@code java -jar envelope-jdbc-<version>-cli.jar <command>}.
 * Errors are printed on one line and the exit code is non-zero.
 */
@Command(name = "envelope-jdbc",
        mixinStandardHelpOptions = true,
        versionProvider = EnvelopeCli.Version.class,
        description = "Transparent column encryption for JDBC with KMS envelope encryption.",
        subcommands = {DemoCommand.class, KeysCommand.class, MigrateCommand.class, ReencryptCommand.class,
                VerifyCommand.class, DoctorCommand.class})
public final class EnvelopeCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new EnvelopeCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + oneLine(e));
            return 1;
        });
        return commandLine.execute(args);
    }

    /** The message of an exception and its causes on one line. */
    static String oneLine(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (line.indexOf(message) < 0) {
                if (line.length() > 0) {
                    line.append(" <- ");
                }
                line.append(message.replace('\n', ' '));
            }
        }
        return line.toString();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EnvelopeCli.class.getPackage().getImplementationVersion();
            return new String[] {"envelope-jdbc " + (version == null ? "(development build)" : version)};
        }
    }
}
