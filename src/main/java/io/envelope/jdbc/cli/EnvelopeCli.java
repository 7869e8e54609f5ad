package io.envelope.jdbc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The command-line tool: {@code java -jar envelope-jdbc-<version>-cli.jar <command>}.
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

    /**
     * The version the build filled into {@code io/envelope/jdbc/version.properties}: the same in the driver jar and
     * the shaded command-line jar, whatever manifest the shading leaves.
     */
    static final class Version implements CommandLine.IVersionProvider {
        static final String RESOURCE = "/io/envelope/jdbc/version.properties";

        @Override
        public String[] getVersion() {
            return new String[] {"envelope-jdbc " + version()};
        }

        static String version() {
            try (InputStream in = EnvelopeCli.class.getResourceAsStream(RESOURCE)) {
                if (in != null) {
                    Properties properties = new Properties();
                    properties.load(in);
                    String version = properties.getProperty("version");
                    // an unfiltered copy (an IDE that skipped the build's filtering) still says ${...}
                    if (version != null && !version.isBlank() && !version.startsWith("${")) {
                        return version.trim();
                    }
                }
            } catch (IOException unreadable) {
                // fall through: reported as unknown rather than failing -V
            }
            return "(version unknown: built without the build's resource filtering)";
        }
    }
}
