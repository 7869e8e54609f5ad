package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.sql.ParameterTarget;
import io.envelope.jdbc.sql.StatementPlan;

import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * A {@link PreparedStatement} whose parameters bound to encrypted columns are recorded, not sent: each setter call
 * goes to {@link EncryptedParameters} or, for a parameter of any other column, to {@link PlaintextParameters}, which
 * sets it on the target statement at once. At {@code execute}/{@code addBatch} every recorded value (and every
 * literal of the SQL rendered as a parameter) is encrypted and bound to the target statement as bytes or base64
 * text. Keeping encryption out of the setters makes {@code clearParameters}, re-execution and batches behave as
 * JDBC says.
 */
public class EnvelopePreparedStatement extends DelegatingPreparedStatement {

    private final StatementPlan plan;
    /** The values of parameters bound to encrypted columns, encrypted at each execution. */
    private final EncryptedParameters encrypted;
    /** The other parameters, set on the target statement as they come. */
    private final PlaintextParameters plaintext;

    /** The SQL the target statement was prepared with, and where each parameter went in it (null: as written). */
    private StatementPlan.Rendered rendered;
    /** What each encrypted literal of the SQL (rendered as parameters) is bound as: stored or looked up. */
    private ParameterTarget[] literalTargets;

    /** Prepares the target statement again, with the options of the application's call; null: it cannot be. */
    private final Preparer preparer;
    /** The plaintext parameters' setter calls, for {@link #prepareWider}; null for statements without lookups. */
    private final PlaintextReplay replay;
    /** True while rows added with addBatch wait for executeBatch (a target with a batch is not replaced). */
    private boolean batched;

    /** Prepares a target statement for SQL, with the options (generated keys, result set type…) of the original. */
    @FunctionalInterface
    interface Preparer {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    /** A statement prepared with the application's SQL unchanged (CallableStatement). */
    EnvelopePreparedStatement(EnvelopeConnection connection, PreparedStatement delegate, StatementPlan plan) {
        this(connection, delegate, plan, null, null);
    }

    /**
     * @param rendered what {@link StatementPlan#renderForPrepare} gave for the SQL the delegate was prepared with
     *                 (literals as parameters, lookups widened to the candidates their tables had then), or null
     *                 for the application's SQL as it is
     * @param preparer prepares the target statement again for other SQL, or null when it cannot be
     */
    EnvelopePreparedStatement(EnvelopeConnection connection, PreparedStatement delegate, StatementPlan plan,
                              StatementPlan.Rendered rendered, Preparer preparer) {
        super(connection, delegate);
        this.plan = plan;
        this.encrypted = new EncryptedParameters(plan);
        this.preparer = preparer;
        this.replay = preparer != null && plan.mayRewrite() ? new PlaintextReplay(plan.parameterCount()) : null;
        this.plaintext = new PlaintextParameters(replay);
        useRendering(delegate, rendered);
        resultsOf(plan); // every execution, batches included, runs this plan (getGeneratedKeys after executeBatch)
    }

    /** The target statement from now on, and where the parameters sit in the SQL it was prepared with. */
    private void useRendering(PreparedStatement target, StatementPlan.Rendered rendering) {
        this.rendered = rendering == null || rendering.isIdentity() ? null : rendering;
        plaintext.target(target, this.rendered);
        var slots = this.rendered == null ? List.<StatementPlan.LiteralSlot>of() : this.rendered.literalSlots();
        this.literalTargets = new ParameterTarget[slots.size()];
        for (int i = 0; i < literalTargets.length; i++) {
            literalTargets[i] = new ParameterTarget(slots.get(i).literal().column(), slots.get(i).literal().use());
        }
    }

    // ---- execution ----------------------------------------------------------------------------------------------

    /**
     * Encrypts every recorded value and every literal of the SQL afresh and binds them to the target statement.
     * Done at each execution and each {@code addBatch}, never cached between them: a randomized value gets a new
     * ciphertext every time (the same plaintext is never stored twice alike), and a value is encrypted under the
     * write key and matched against the key versions current at that execution, not those of an earlier one.
     * When a lookup now has more candidates than the SQL was prepared for (a key version was added), the target
     * statement is prepared again with wider SQL and the plaintext parameters are set on it again.
     */
    private void bindEncryptedParameters() throws SQLException {
        if (plan.isPassThrough()) {
            return;
        }
        if (!bindAll()) {
            prepareWider();
            if (!bindAll()) {
                throw notWideEnough(null);
            }
        }
    }

    /** Binds everything encrypted; false (part bound) when a lookup has more candidates than its placeholders. */
    private boolean bindAll() throws SQLException {
        ColumnValues values = connection.values();
        if (!encrypted.bind(values, preparedStatementDelegate, rendered)) {
            return false;
        }
        for (int i = 0; i < literalTargets.length; i++) {
            StatementPlan.LiteralSlot slot = rendered.literalSlots().get(i);
            if (!values.bind(preparedStatementDelegate, slot.first(), slot.width(), literalTargets[i],
                    slot.literal().value())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Replaces the target statement by one prepared with the SQL rendered for the key versions of now, with the
     * same options and plaintext parameters. Refused where that cannot be done exactly.
     */
    private void prepareWider() throws SQLException {
        if (preparer == null || replay == null) {
            throw notWideEnough("it cannot be prepared again by the driver");
        }
        if (batched) {
            throw notWideEnough("rows were already added to its batch; execute the batch and add the row again");
        }
        String notReplayable = replay.whyNotReplayable();
        if (notReplayable != null) {
            throw notWideEnough(notReplayable);
        }
        StatementPlan.Rendered wider = connection.renderForPrepare(plan);
        PreparedStatement old = preparedStatementDelegate;
        PreparedStatement next = preparer.prepare(wider.sql());
        try {
            replay.replayOnto(old, next, wider);
        } catch (SQLException | RuntimeException e) {
            next.close();
            throw e;
        }
        delegate = next;
        preparedStatementDelegate = next;
        useRendering(next, wider);
        old.close();
    }

    private SQLException notWideEnough(String why) {
        return EnvelopeErrors.refused(RefusalReason.KEY_VERSIONS,
                "a lookup on an encrypted column now has more candidate ciphertexts (a key "
                + "version was added) than the statement was prepared for" + (why == null ? "" : ", and " + why)
                + "; it is refused rather than miss rows. Prepare the statement again.");
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        bindEncryptedParameters();
        executing(plan);
        return wrapResult(preparedStatementDelegate.executeQuery(), plan.results());
    }

    @Override
    public boolean execute() throws SQLException {
        bindEncryptedParameters();
        executing(plan);
        return preparedStatementDelegate.execute();
    }

    @Override
    public int executeUpdate() throws SQLException {
        bindEncryptedParameters();
        executing(plan);
        return preparedStatementDelegate.executeUpdate();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        bindEncryptedParameters();
        executing(plan);
        return preparedStatementDelegate.executeLargeUpdate();
    }

    @Override
    public void addBatch() throws SQLException {
        bindEncryptedParameters();
        preparedStatementDelegate.addBatch();
        batched = true;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        batched = false;
        return super.executeBatch();
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        batched = false;
        return super.executeLargeBatch();
    }

    @Override
    public void clearBatch() throws SQLException {
        batched = false;
        super.clearBatch();
    }

    @Override
    public void clearParameters() throws SQLException {
        encrypted.clear();
        if (replay != null) {
            replay.clear();
        }
        preparedStatementDelegate.clearParameters();
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        ResultSetMetaData metaData = preparedStatementDelegate.getMetaData();
        return metaData == null ? null : new EnvelopeResultSetMetaData(metaData, plan.results(),
                connection.values().descriptions());
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        ParameterMetaData metaData = preparedStatementDelegate.getParameterMetaData();
        return metaData == null || plan.isPassThrough() ? metaData
                : new EnvelopeParameterMetaData(metaData, plan, rendered, connection.values().descriptions());
    }

    // ---- parameters -------------------------------------------------------------------------------------------

    @Override
    protected ParameterSetters parameters(int index) {
        return plan.parameter(index) == null ? plaintext : encrypted;
    }
}
