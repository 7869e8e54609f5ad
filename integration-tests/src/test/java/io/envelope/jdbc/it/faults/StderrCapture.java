package io.envelope.jdbc.it.faults;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Holds back what is written to {@code System.err} while a fault is injected (HikariCP's and the driver's warnings
 * about dropped connections and failed refreshes, which are expected there), so the build log stays quiet. If the
 * test does not reach {@link #passed()}, the held-back text is written out when this closes, for diagnosis.
 * slf4j-simple writes to the current {@code System.err} on every call, so its output is held back too.
 */
final class StderrCapture implements AutoCloseable {

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private boolean passed;

    private StderrCapture() {
        original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    static StderrCapture start() {
        return new StderrCapture();
    }

    /** What was written so far. */
    String text() {
        System.err.flush();
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** The test got through: nothing to show. */
    void passed() {
        passed = true;
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
        if (!passed) {
            original.print(text());
        }
    }
}
