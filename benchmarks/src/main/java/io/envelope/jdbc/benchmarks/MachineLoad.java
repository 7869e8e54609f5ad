package io.envelope.jdbc.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average, printed beside every figure: a benchmark on a busy machine says so. */
final class MachineLoad {

    private MachineLoad() {
    }

    /** "1.50 2.20 3.14 (1, 5, 15 min; 2 cores)", or "unknown" where /proc/loadavg cannot be read. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2] + " (1, 5, 15 min; "
                    + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
