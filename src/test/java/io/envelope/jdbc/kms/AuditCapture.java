package io.envelope.jdbc.kms;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what envelope-jdbc logs (the audit logger included) while it is open. Test runs log WARN and above
 * only (logback-test.xml); a capture turns the driver's loggers up to INFO and routes them to a buffer for its
 * duration, through the same SLF4J calls the driver makes in production, then restores them.
 */
public final class AuditCapture implements AutoCloseable {

    public static final String AUDIT_LOGGER = "io.envelope.jdbc.audit";
    private static final String DRIVER_LOGGERS = "io.envelope.jdbc";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousAdditivity;
    private final OutputStreamAppender<ILoggingEvent> appender;

    private AuditCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logger = context.getLogger(DRIVER_LOGGERS);
        previousLevel = logger.getLevel();
        previousAdditivity = logger.isAdditive();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("[%thread] %level %logger - %msg%n");
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(captured);
        appender.setImmediateFlush(true);
        appender.start();

        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    public static AuditCapture start() {
        return new AuditCapture();
    }

    /** Everything the driver logged since {@link #start()}. */
    public String text() {
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
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditivity);
        appender.stop();
    }
}
