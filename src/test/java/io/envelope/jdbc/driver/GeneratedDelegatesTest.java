package io.envelope.jdbc.driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed {@code Delegating*} classes are exactly what tools/GenerateDelegates.java writes from the running
 * JDK's {@code java.sql} interfaces: a hand edit, or a JDK whose JDBC interfaces changed, fails here with the file
 * that differs (re-run the generator, as its header says).
 */
class GeneratedDelegatesTest {

    private static final Path COMMITTED = Path.of("src/main/java/io/envelope/jdbc/driver");

    @Test
    void committedDelegatesAreTheGeneratorsOutput(@TempDir Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process generator = new ProcessBuilder(java, "tools/GenerateDelegates.java", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(generator.getInputStream().readAllBytes());
        assertThat(generator.waitFor(120, TimeUnit.SECONDS)).as("generator finished").isTrue();
        assertThat(generator.exitValue()).as(output).isZero();

        List<Path> generated = list(out);
        assertThat(generated).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(list(COMMITTED).stream()
                        .map(p -> p.getFileName().toString()).toList());
        for (Path file : generated) {
            assertThat(Files.readString(COMMITTED.resolve(file.getFileName())))
                    .as("%s differs from the generator's output: re-run java tools/GenerateDelegates.java %s",
                            file.getFileName(), COMMITTED)
                    .isEqualTo(Files.readString(file));
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("Delegating")).sorted().toList();
        }
    }
}
