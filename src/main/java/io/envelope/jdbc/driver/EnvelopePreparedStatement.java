package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.conversion.AssignmentCasts;
import io.envelope.jdbc.conversion.ParameterStreams;
import io.envelope.jdbc.conversion.PgJdbcCalendar;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.sql.ParameterTarget;
import io.envelope.jdbc.sql.StatementPlan;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * A {@link PreparedStatement} whose parameters bound to encrypted columns are recorded, not sent: at
 * {@code execute}/{@code addBatch} each recorded value is encrypted and bound to the target statement as bytes or
 * base64 text. Parameters of other columns go straight to the target statement. This keeps encryption out of the
 * setters, so {@code clearParameters}, re-execution and batches behave as JDBC says.
 */
public class EnvelopePreparedStatement extends DelegatingPreparedStatement {

    /** Marks a recorded SQL NULL. */
    private static final Object NULL = new Object();

    private final StatementPlan plan;
    /** Index 0 is parameter 1; only positions of encrypted parameters are used (null: never set). */
    private final Object[] recorded;

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
        this.recorded = new Object[plan.parameterCount()];
        this.preparer = preparer;
        this.replay = preparer != null && plan.mayRewrite() ? new PlaintextReplay(plan.parameterCount()) : null;
        useRendering(rendered);
        resultsOf(plan); // every execution, batches included, runs this plan (getGeneratedKeys after executeBatch)
    }

    private void useRendering(StatementPlan.Rendered rendering) {
        this.rendered = rendering == null || rendering.isIdentity() ? null : rendering;
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
        for (int i = 0; i < recorded.length; i++) {
            Object value = recorded[i];
            if (value != null) {
                int first = rendered == null ? i + 1 : rendered.first(i + 1);
                int width = rendered == null ? 1 : rendered.width(i + 1);
                if (!values.bind(preparedStatementDelegate, first, width, plan.parameter(i + 1),
                        value == NULL ? null : value)) {
                    return false;
                }
            }
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
        useRendering(wider);
        old.close();
    }

    private SQLException notWideEnough(String why) {
        return EnvelopeErrors.refused(io.envelope.jdbc.RefusalReason.KEY_VERSIONS,
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
        Arrays.fill(recorded, null);
        if (replay != null) {
            replay.clear();
        }
        preparedStatementDelegate.clearParameters();
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        ResultSetMetaData metaData = preparedStatementDelegate.getMetaData();
        return metaData == null ? null : new EnvelopeResultSetMetaData(metaData, plan.results());
    }

    @Override
    public java.sql.ParameterMetaData getParameterMetaData() throws SQLException {
        java.sql.ParameterMetaData metaData = preparedStatementDelegate.getParameterMetaData();
        return metaData == null || plan.isPassThrough() ? metaData
                : new EnvelopeParameterMetaData(metaData, plan, rendered);
    }

    // ---- recording --------------------------------------------------------------------------------------------

    /** The encrypted column parameter {@code index} binds to, or null when it goes to the target as it is. */
    private EncryptedColumn encrypted(int index) {
        ParameterTarget target = plan.parameter(index);
        return target == null ? null : target.column();
    }

    /** The target statement's index for a plaintext parameter (shifted when lookups before it were widened). */
    private int at(int index) {
        return rendered == null ? index : rendered.first(index);
    }

    private void record(int index, Object value) {
        recorded[index - 1] = value == null ? NULL : value;
    }

    private SQLException refusedType(int index, String what) {
        return EnvelopeErrors.refused(RefusalReason.VALUE_TYPE, what + " cannot be bound to encrypted column "
                + encrypted(index).qualifiedName() + "; bind its value with a setter for the column's type");
    }

    /**
     * A date/time set with a Calendar, converted as pgJDBC converts it: it sends the value's fields in the
     * Calendar's zone (a GregorianCalendar: Julian fields before 1582) with that zone's offset, as an untyped
     * string that the server reads according to the column's type.
     */
    private Object withCalendar(int index, java.util.Date value, Calendar calendar) {
        if (value == null || calendar == null) {
            return value;
        }
        PlaintextType type = encrypted(index).config().type();
        if (type == PlaintextType.TEXT || type == PlaintextType.BYTES) {
            // a text/bytea column stores pgJDBC's string as it is
            String text = AssignmentCasts.pgJdbcText(value, calendar.getTimeZone());
            return type == PlaintextType.TEXT ? text : text.getBytes(StandardCharsets.UTF_8);
        }
        PgJdbcCalendar.Sent sent = PgJdbcCalendar.sent(value, calendar.getTimeZone());
        if (value instanceof Time) {
            // a time of day is no timestamptz: it stays a LocalTime, which such a column refuses, as the server
            // refuses pgJDBC's "13:45:30+00"
            return sent.time();
        }
        if (type == PlaintextType.TIMESTAMPTZ) {
            return OffsetDateTime.of(sent.date(), value instanceof Date ? LocalTime.MIDNIGHT : sent.time(),
                    ZoneOffset.ofTotalSeconds(sent.offsetSeconds()));
        }
        return value instanceof Date ? sent.date() : sent.date().atTime(sent.time());
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        if (encrypted(index) != null) {
            record(index, null);
        } else {
            preparedStatementDelegate.setNull(at(index), sqlType);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setNull(at, sqlType));
            }
        }
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        if (encrypted(index) != null) {
            record(index, null);
        } else {
            preparedStatementDelegate.setNull(at(index), sqlType, typeName);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setNull(at, sqlType, typeName));
            }
        }
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setBoolean(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setBoolean(at, x));
            }
        }
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setByte(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setByte(at, x));
            }
        }
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setShort(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setShort(at, x));
            }
        }
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setInt(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setInt(at, x));
            }
        }
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setLong(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setLong(at, x));
            }
        }
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setFloat(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setFloat(at, x));
            }
        }
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setDouble(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setDouble(at, x));
            }
        }
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setBigDecimal(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setBigDecimal(at, x));
            }
        }
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setString(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setString(at, x));
            }
        }
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setNString(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setNString(at, x));
            }
        }
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x == null ? null : x.clone());
        } else {
            preparedStatementDelegate.setBytes(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setBytes(at, x == null ? null : x.clone()));
            }
        }
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setDate(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setDate(at, x));
            }
        }
    }

    @Override
    public void setDate(int index, Date x, Calendar calendar) throws SQLException {
        if (encrypted(index) != null) {
            record(index, withCalendar(index, x, calendar));
        } else {
            preparedStatementDelegate.setDate(at(index), x, calendar);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setDate(at, x, calendar));
            }
        }
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setTime(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setTime(at, x));
            }
        }
    }

    @Override
    public void setTime(int index, Time x, Calendar calendar) throws SQLException {
        if (encrypted(index) != null) {
            record(index, withCalendar(index, x, calendar));
        } else {
            preparedStatementDelegate.setTime(at(index), x, calendar);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setTime(at, x, calendar));
            }
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x);
        } else {
            preparedStatementDelegate.setTimestamp(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setTimestamp(at, x));
            }
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar calendar) throws SQLException {
        if (encrypted(index) != null) {
            record(index, withCalendar(index, x, calendar));
        } else {
            preparedStatementDelegate.setTimestamp(at(index), x, calendar);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setTimestamp(at, x, calendar));
            }
        }
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, objectValue(index, column, x));
        } else {
            preparedStatementDelegate.setObject(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setObject(at, x));
            }
        }
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, objectValue(index, column, x));
        } else {
            preparedStatementDelegate.setObject(at(index), x, targetSqlType);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setObject(at, x, targetSqlType));
            }
        }
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, scaled(objectValue(index, column, x), targetSqlType, scaleOrLength));
        } else {
            preparedStatementDelegate.setObject(at(index), x, targetSqlType, scaleOrLength);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setObject(at, x, targetSqlType, scaleOrLength));
            }
        }
    }

    @Override
    public void setObject(int index, Object x, SQLType targetSqlType) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, objectValue(index, column, x));
        } else {
            preparedStatementDelegate.setObject(at(index), x, targetSqlType);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setObject(at, x, targetSqlType));
            }
        }
    }

    @Override
    public void setObject(int index, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, scaled(objectValue(index, column, x),
                    targetSqlType == null || targetSqlType.getVendorTypeNumber() == null
                            ? Types.OTHER : targetSqlType.getVendorTypeNumber(), scaleOrLength));
        } else {
            preparedStatementDelegate.setObject(at(index), x, targetSqlType, scaleOrLength);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setObject(at, x, targetSqlType, scaleOrLength));
            }
        }
    }

    /**
     * setObject(BigDecimal, NUMERIC or DECIMAL, scale): the scale is applied half up, as pgJDBC does before it
     * sends the value (the application asked for that rounding; it is not the column's).
     */
    private static Object scaled(Object value, int targetSqlType, int scale) {
        if (value instanceof BigDecimal d && (targetSqlType == Types.NUMERIC || targetSqlType == Types.DECIMAL)
                && scale >= 0) {
            return d.setScale(scale, java.math.RoundingMode.HALF_UP);
        }
        return value;
    }

    /** setObject with a stream, reader or LOB reads it whole; other objects go to the column cipher as they are. */
    private Object objectValue(int index, EncryptedColumn column, Object x) throws SQLException {
        if (x instanceof InputStream in) {
            return ParameterStreams.readBytes(in, -1, column);
        }
        if (x instanceof Reader reader) {
            return ParameterStreams.readText(reader, -1, column);
        }
        if (x instanceof Blob blob) {
            return ParameterStreams.readBlob(blob, column);
        }
        if (x instanceof Clob clob) {
            return ParameterStreams.readClob(clob, column);
        }
        if (x instanceof Array || x instanceof Ref || x instanceof RowId || x instanceof SQLXML) {
            throw refusedType(index, x.getClass().getSimpleName());
        }
        return x;
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, -1, StandardCharsets.US_ASCII, column));
        } else {
            preparedStatementDelegate.setAsciiStream(at(index), x);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, length, StandardCharsets.US_ASCII, column));
        } else {
            preparedStatementDelegate.setAsciiStream(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, length, StandardCharsets.US_ASCII, column));
        } else {
            preparedStatementDelegate.setAsciiStream(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int index, InputStream x, int length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, length, StandardCharsets.UTF_16BE, column));
        } else {
            preparedStatementDelegate.setUnicodeStream(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readBytes(x, -1, column));
        } else {
            preparedStatementDelegate.setBinaryStream(at(index), x);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readBytes(x, length, column));
        } else {
            preparedStatementDelegate.setBinaryStream(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readBytes(x, length, column));
        } else {
            preparedStatementDelegate.setBinaryStream(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, -1, column));
        } else {
            preparedStatementDelegate.setCharacterStream(at(index), x);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x, int length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, length, column));
        } else {
            preparedStatementDelegate.setCharacterStream(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x, long length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, length, column));
        } else {
            preparedStatementDelegate.setCharacterStream(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setNCharacterStream(int index, Reader x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, -1, column));
        } else {
            preparedStatementDelegate.setNCharacterStream(at(index), x);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setNCharacterStream(int index, Reader x, long length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, length, column));
        } else {
            preparedStatementDelegate.setNCharacterStream(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readBlob(x, column));
        } else {
            preparedStatementDelegate.setBlob(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setBlob(at, x));
            }
        }
    }

    @Override
    public void setBlob(int index, InputStream x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readBytes(x, -1, column));
        } else {
            preparedStatementDelegate.setBlob(at(index), x);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setBlob(int index, InputStream x, long length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readBytes(x, length, column));
        } else {
            preparedStatementDelegate.setBlob(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readClob(x, column));
        } else {
            preparedStatementDelegate.setClob(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setClob(at, x));
            }
        }
    }

    @Override
    public void setClob(int index, Reader x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, -1, column));
        } else {
            preparedStatementDelegate.setClob(at(index), x);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setClob(int index, Reader x, long length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, length, column));
        } else {
            preparedStatementDelegate.setClob(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setNClob(int index, NClob x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readClob(x, column));
        } else {
            preparedStatementDelegate.setNClob(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setNClob(at, x));
            }
        }
    }

    @Override
    public void setNClob(int index, Reader x) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, -1, column));
        } else {
            preparedStatementDelegate.setNClob(at(index), x);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setNClob(int index, Reader x, long length) throws SQLException {
        EncryptedColumn column = encrypted(index);
        if (column != null) {
            record(index, ParameterStreams.readText(x, length, column));
        } else {
            preparedStatementDelegate.setNClob(at(index), x, length);
            if (replay != null) {
                replay.fromStream(index);
            }
        }
    }

    @Override
    public void setURL(int index, URL x) throws SQLException {
        if (encrypted(index) != null) {
            record(index, x == null ? null : x.toString());
        } else {
            preparedStatementDelegate.setURL(at(index), x);
            if (replay != null) {
                replay.remember(index, (target, at) -> target.setURL(at, x));
            }
        }
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        if (encrypted(index) != null) {
            throw refusedType(index, "an SQL ARRAY");
        }
        preparedStatementDelegate.setArray(at(index), x);
        if (replay != null) {
            replay.remember(index, (target, at) -> target.setArray(at, x));
        }
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        if (encrypted(index) != null) {
            throw refusedType(index, "a REF");
        }
        preparedStatementDelegate.setRef(at(index), x);
        if (replay != null) {
            replay.remember(index, (target, at) -> target.setRef(at, x));
        }
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        if (encrypted(index) != null) {
            throw refusedType(index, "a ROWID");
        }
        preparedStatementDelegate.setRowId(at(index), x);
        if (replay != null) {
            replay.remember(index, (target, at) -> target.setRowId(at, x));
        }
    }

    @Override
    public void setSQLXML(int index, SQLXML x) throws SQLException {
        if (encrypted(index) != null) {
            throw refusedType(index, "an SQLXML value");
        }
        preparedStatementDelegate.setSQLXML(at(index), x);
        if (replay != null) {
            replay.remember(index, (target, at) -> target.setSQLXML(at, x));
        }
    }
}
