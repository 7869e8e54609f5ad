package io.envelope.jdbc.kms;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what the test class path's SLF4J binding (slf4j-simple, which writes to the current
 * {@code System.err} on every call) logs while it is open: {@code System.err} is replaced by a tee that still
 * writes through to the original. No SLF4J-specific hook, so the production logging path is the one tested.
 */
public final class AuditCapture implements AutoCloseable {

    public static final String AUDIT_LOGGER = "io.envelope.jdbc.audit";

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private AuditCapture() {
        original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    public static AuditCapture start() {
        return new AuditCapture();
    }

    /** Everything written to System.err since {@link #start()}. */
    public String text() {
        System.err.flush();
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** The lines of the audit logger. */
    public List<String> auditLines() {
        return Arrays.stream(text().split("\\R")).filter(l -> l.contains(AUDIT_LOGGER + " - ")).toList();
    }

    /** The audit lines of KMS calls ({@code kms call: ...}). */
    public List<String> kmsCallLines() {
        return auditLines().stream().filter(l -> l.contains("kms call: ")).toList();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
