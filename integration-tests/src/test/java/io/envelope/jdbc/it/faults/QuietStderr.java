package io.envelope.jdbc.it.faults;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holds back {@code System.err} for each test of a fault test class ({@link StderrCapture}): the warnings a fault
 * provokes are expected and would only clutter the build log; a failing test's are printed. Also used by tests
 * outside this package whose configurations warn by design (e.g. {@code accept-plaintext} columns).
 */
public final class QuietStderr implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietStderr.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("capture", StderrCapture.start());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        StderrCapture capture = context.getStore(NAMESPACE).remove("capture", StderrCapture.class);
        if (capture != null) {
            if (context.getExecutionException().isEmpty()) {
                capture.passed();
            }
            capture.close();
        }
    }
}
