package io.envelope.jdbc.driver;

import io.envelope.jdbc.sql.StatementPlan;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The plaintext parameters of a prepared statement, as the setter calls that set them, so that they can be set again
 * on a target statement prepared with other SQL (a lookup widened for a key version added since the statement was
 * prepared). Only kept for statements with lookups; the target driver holds the values themselves.
 */
final class PlaintextReplay {

    /** A plaintext parameter's setter call, replayable on another target statement at another index. */
    @FunctionalInterface
    interface Setter {
        void set(PreparedStatement target, int index) throws SQLException;
    }

    /** A parameter set from a stream or reader, which the target may already have read. */
    private static final Setter FROM_STREAM = (target, index) -> {
        throw new IllegalStateException("a stream parameter is not replayable");
    };

    private final Setter[] setters; // index 0 is parameter 1

    PlaintextReplay(int parameterCount) {
        this.setters = new Setter[parameterCount];
    }

    /** Keeps how parameter {@code index} was set (a later call for the same index replaces it). */
    void remember(int index, Setter setter) {
        if (index >= 1 && index <= setters.length) {
            setters[index - 1] = setter;
        }
    }

    /** Parameter {@code index} was set from a stream or reader: the statement cannot be prepared again exactly. */
    void fromStream(int index) {
        remember(index, FROM_STREAM);
    }

    void clear() {
        Arrays.fill(setters, null);
    }

    /** Why the parameters cannot be set again, or null when they can. */
    String whyNotReplayable() {
        for (Setter setter : setters) {
            if (setter == FROM_STREAM) {
                return "a parameter was set from a stream or reader, which cannot be read again";
            }
        }
        return null;
    }

    /**
     * Sets the parameters again on {@code next}, where they sit as {@code rendering} says, with the statement
     * options of {@code old} that JDBC lets a caller read back.
     */
    void replayOnto(PreparedStatement old, PreparedStatement next, StatementPlan.Rendered rendering)
            throws SQLException {
        next.setFetchSize(old.getFetchSize());
        next.setMaxRows(old.getMaxRows());
        next.setQueryTimeout(old.getQueryTimeout());
        next.setMaxFieldSize(old.getMaxFieldSize());
        next.setPoolable(old.isPoolable());
        if (old.isCloseOnCompletion()) {
            next.closeOnCompletion();
        }
        for (int i = 0; i < setters.length; i++) {
            if (setters[i] != null) {
                setters[i].set(next, rendering.isIdentity() ? i + 1 : rendering.first(i + 1));
            }
        }
    }
}
