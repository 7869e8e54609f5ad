package io.envelope.jdbc.it.adversarial;

import io.envelope.jdbc.EnvelopeDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The loop a differential fuzzer runs, whatever the database (issue 8): a subclass generates statements that aim
 * a unique canary plaintext at an encrypted column in its database's own lexical forms; this runs each through the
 * wrapper over a {@link RecordingTarget} and checks, after every statement, that either the wrapper refused it (an
 * {@code envelope-jdbc:} error without the canary) and handed the target driver nothing with a canary, or neither
 * what the target driver received (SQL text and bound values) nor any stored value holds a canary. It counts
 * refusals, statements run and server errors, and prints the seed so a run can be replayed.
 *
 * <p>{@code -Denvelope.fuzz.statements=N} sets the run length (default 1500); {@code -Denvelope.fuzz.seed=S}
 * replays a run.
 */
public abstract class DifferentialFuzzer {

    /** What every canary starts with: {@code zqcanary<statement number>x}. */
    protected static final String MARK = "zqcanary";
    private static final int PROGRESS_EVERY = 10_000;
    private static final int CLEAN_UP_EVERY = 250;

    /** The generator's source of choices, seeded by {@link #run}. */
    protected final Random random = new Random();
    private final String name = getClass().getSimpleName();

    /** The next statement, aiming {@code canary} at an encrypted column; bound values are added to {@code params}. */
    protected abstract String statement(String canary, List<String> params);

    /**
     * Before each statement: may change the session with a statement of its own through {@code wrapped}, so the
     * text that follows is read another way. Returns whether it did.
     */
    protected boolean changeSession(Connection wrapped) throws SQLException {
        return false;
    }

    /** The places where a stored value holds {@code mark}, read with a plain connection. */
    protected abstract List<String> storedCanaries(Connection plain, String mark) throws SQLException;

    /**
     * Seeds the generator from {@code envelope.fuzz.seed} (or at random) and runs {@code envelope.fuzz.statements}
     * statements through the wrapper configured by {@code configFile} over {@code target}.
     *
     * @param driverName    the target driver, as failures name it
     * @param cleanUpSql    run on {@code plain} every {@value #CLEAN_UP_EVERY} statements, so the tables stay small
     */
    protected final void run(RecordingTarget target, Path configFile, Connection plain, String driverName,
                             String cleanUpSql) throws SQLException {
        int count = Integer.getInteger("envelope.fuzz.statements", 1500);
        long seed = Long.getLong("envelope.fuzz.seed", new Random().nextLong());
        random.setSeed(seed);
        System.out.println(name + ": " + count + " statements, seed " + seed);
        int refused = 0;
        int executed = 0;
        int serverErrors = 0;
        int sessionChanges = 0;
        try (Connection wrapped = new EnvelopeDataSource(target.dataSource(), configFile.toString()).getConnection()) {
            for (int i = 0; i < count; i++) {
                if (changeSession(wrapped)) {
                    target.drain();
                    sessionChanges++;
                }
                String canary = MARK + i + "x";
                List<String> params = new ArrayList<>();
                String sql = statement(canary, params);
                SQLException error = Attempts.run(wrapped, sql, params);
                for (String text : target.drain()) {
                    if (text.contains(MARK)) {
                        fail("canary handed to " + driverName + " (seed " + seed + ", statement " + i + "): " + sql);
                    }
                }
                if (error != null && error.getMessage() != null && error.getMessage().startsWith("envelope-jdbc:")) {
                    assertThat(error.getMessage()).doesNotContain(MARK);
                    refused++;
                    continue;
                }
                if (error != null) {
                    serverErrors++;
                } else {
                    executed++;
                }
                List<String> found = storedCanaries(plain, MARK);
                if (!found.isEmpty()) {
                    fail("canary stored in " + found + " (seed " + seed + ", statement " + i + "): " + sql);
                }
                if (i % PROGRESS_EVERY == PROGRESS_EVERY - 1) {
                    System.out.println(name + ": " + (i + 1) + " statements so far, " + refused
                            + " refused, no canary found");
                }
                if (i % CLEAN_UP_EVERY == CLEAN_UP_EVERY - 1) {
                    try (Statement s = plain.createStatement()) {
                        s.execute(cleanUpSql);
                    }
                }
            }
        } finally {
            System.out.println(name + ": " + count + " statements tried: " + refused + " refused by the wrapper, "
                    + executed + " executed, " + serverErrors + " rejected by the server, " + sessionChanges
                    + " session changes; canaries found: 0 unless failed above");
        }
        assertThat(refused + executed + serverErrors).isEqualTo(count);
        assertThat(executed).as("the generator also produces statements that run").isPositive();
        assertThat(refused).as("and statements that must be refused").isPositive();
    }

    protected final String pick(String... options) {
        return options[random.nextInt(options.length)];
    }
}
