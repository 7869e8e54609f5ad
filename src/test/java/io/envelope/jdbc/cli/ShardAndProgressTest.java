package io.envelope.jdbc.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --shard i/n} as typed, and the progress a log (not a terminal) gets. */
class ShardAndProgressTest {

    private final Shard.Converter converter = new Shard.Converter();

    @Test
    void shardIsWorkerIOfNCountedFromZero() {
        assertThat(converter.convert("3/8")).isEqualTo(new Shard(3, 8));
        assertThat(converter.convert("0/1").isAll()).isTrue();
        assertThat(converter.convert(" 1 / 2 ")).isEqualTo(new Shard(1, 2));
    }

    @Test
    void aShardOutsideItsCountIsRefusedWithTheRule() {
        assertThatThrownBy(() -> converter.convert("8/8")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("from 0 to n-1");
        assertThatThrownBy(() -> converter.convert("-1/4")).hasMessageContaining("from 0 to n-1");
        assertThatThrownBy(() -> converter.convert("1/0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> converter.convert("3")).hasMessageContaining("i/n");
        assertThatThrownBy(() -> converter.convert("a/b")).hasMessageContaining("whole numbers");
    }

    @Test
    void plainProgressNamesEachPassAndSummarisesThemAll() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        Progress.Pass encrypting = progress.start("encrypting", 2_000);
        encrypting.rowsDone(1_000);
        encrypting.rowsDone(2_000);
        encrypting.finish();
        Progress.Pass catchingUp = progress.start("catching up with writes made meanwhile", 2_000);
        catchingUp.rowsDone(2_001); // a row inserted since the count
        catchingUp.finish();
        Progress.Pass verifying = progress.start("verifying", 2_001);
        verifying.rowsDone(2_001);
        verifying.finish();
        progress.printSummary();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("encrypting: started, about 2,000 rows").contains("encrypting: 2,000 rows in")
                .contains("catching up with writes made meanwhile: 2,001 rows in")
                .contains("verifying: 2,001 rows in").contains("Summary:");
        // no per-batch lines: within the interval only the start and the end of each pass are printed
        assertThat(out.lines().filter(l -> l.startsWith("encrypting:")).count()).isEqualTo(2);
        String summary = out.substring(out.indexOf("Summary:"));
        assertThat(summary.lines().filter(l -> l.contains("| 2,00")).count()).isEqualTo(3);
        assertThat(progress.passes()).extracting(Progress.PassSummary::name)
                .containsExactly("encrypting", "catching up with writes made meanwhile", "verifying");
        assertThat(progress.passes()).extracting(Progress.PassSummary::rows).containsExactly(2_000L, 2_001L, 2_001L);
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertThat(Progress.seconds(4.25)).isEqualTo("4.3 s");
        assertThat(Progress.seconds(125)).isEqualTo("2 min 05 s");
        assertThat(Progress.seconds(3 * 3600 + 61)).isEqualTo("3 h 01 min");
    }
}
