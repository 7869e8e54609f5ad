package io.envelope.jdbc.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What every user meets first: help on every command, the real version, and a demo that leaves nothing behind. */
class CommandLineHygieneTest {

    /** What one in-process run printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void everySubcommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new EnvelopeCli()), new ArrayList<>(), paths);
        // the tree as it is today; a new command joins it without changing this test
        assertThat(paths).contains(List.of("keys", "destroy"), List.of("reencrypt"), List.of("demo"));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run run = run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
            String usage = "Usage: envelope-jdbc" + (path.isEmpty() ? "" : " " + String.join(" ", path));
            assertThat(run.out()).as(String.join(" ", args)).contains(usage);
        }
    }

    @Test
    void keysDestroyKeepsVersionForTheKeyVersion() {
        Run help = run("keys", "destroy", "-h");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--version=<version>").contains("The key version to destroy")
                .doesNotContain("-V,");
        // without --help the required options are still required
        Run missing = run("keys", "destroy", "--url", "jdbc:h2:mem:x");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("Missing required options").contains("--version");
    }

    @Test
    void versionComesFromTheBuild() {
        Run run = run("-V");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().trim()).matches("envelope-jdbc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?")
                .doesNotContain("development");
    }

    @Test
    void rewrapAdviceFitsTheProvider() {
        assertThat(KeysCommand.advice("local", "local:00ff")).contains("no kms.key-id")
                .doesNotContain("set kms.key-id");
        assertThat(KeysCommand.advice("aws-kms", "arn:aws:kms:eu-west-1:111122223333:key/k"))
                .contains("set kms.key-id to arn:aws:kms:eu-west-1:111122223333:key/k");
    }

    @Test
    void demoLeavesNoMasterKeyAndNoSchemaBehind() throws IOException {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = demoDirs(temp);
        Run run = run("demo");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("The application read plaintext").contains("Removed the demo's schema");
        assertThat(demoDirs(temp)).isEqualTo(before);
    }

    private static List<Path> demoDirs(Path temp) throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("envelope-demo")).sorted().toList();
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        // getSubcommands maps aliases too: each command once
        for (CommandLine sub : new java.util.LinkedHashSet<>(command.getSubcommands().values())) {
            collect(sub, append(path, sub.getCommandName()), paths);
        }
    }

    private static List<String> append(List<String> path, String name) {
        List<String> longer = new ArrayList<>(path);
        longer.add(name);
        return longer;
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = EnvelopeCli.run(args);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
