package io.envelope.jdbc.it.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A separate JVM on this test's class path, for faults that need a process of their own (killed with SIGKILL,
 * racing another process). Its output goes to files, not to the build log, so the test stays quiet; a failing
 * assertion quotes them.
 */
final class JvmProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private JvmProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code mainClass} with {@code args}; output to files in {@code dir}, named after {@code name}. */
    static JvmProcess start(Path dir, String name, Class<?> mainClass, String... args) throws IOException {
        return start(dir, name, mainClass.getName(), args);
    }

    static JvmProcess start(Path dir, String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Quick start-up matters more than peak speed for these short-lived processes.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx256m");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        // the command line's progress: a line after every batch, not every ten seconds, so a test can follow it
        command.add("-Denvelope.progress.interval-millis=0");
        for (String property : new String[] {"aws.accessKeyId", "aws.secretAccessKey"}) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new JvmProcess(process, out, err);
    }

    /** What it printed so far on standard output. */
    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Lines of standard output so far that start with {@code prefix}. */
    long linesStartingWith(String prefix) {
        return out().lines().filter(l -> l.startsWith(prefix)).count();
    }

    /** How many lines of standard output match {@code pattern} in full. */
    long linesMatching(Pattern pattern) {
        return out().lines().filter(l -> pattern.matcher(l).matches()).count();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL on Linux: no shutdown hooks, no finally blocks, open transactions left to the server to abort. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Its exit code, waiting at most {@code seconds}; fails when it has not ended by then (and kills it). */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("process did not end within " + seconds + " s; output: " + out() + err());
        }
        return process.exitValue();
    }

    /** Standard output and error, for assertion messages. */
    String describe() {
        return "exit " + (process.isAlive() ? "(running)" : process.exitValue()) + "\n--- out ---\n" + out()
                + "\n--- err ---\n" + err();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
