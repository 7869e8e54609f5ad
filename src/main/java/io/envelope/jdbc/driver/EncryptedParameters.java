package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.conversion.AssignmentCasts;
import io.envelope.jdbc.conversion.ParameterStreams;
import io.envelope.jdbc.conversion.PgJdbcCalendar;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.sql.StatementPlan;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
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

/**
 * The parameters of a prepared statement that are bound to encrypted columns. A setter records the plaintext value
 * (streams, readers and LOBs read whole, dates set with a Calendar converted as pgJDBC converts them); nothing is
 * encrypted here. At each execution and {@code addBatch} the statement asks {@link #bind} to encrypt every recorded
 * value afresh and bind it to the target statement, so re-execution, batches and {@code clearParameters} behave as
 * JDBC says and a randomized value never gets the same ciphertext twice.
 *
 * <p>This class implements every setter of {@link ParameterSetters}: a setter added to JDBC does not compile until
 * someone decides what it records for an encrypted column.
 */
final class EncryptedParameters implements ParameterSetters {

    /** Marks a recorded SQL NULL. */
    private static final Object NULL = new Object();

    private final StatementPlan plan;
    /** Index 0 is parameter 1; only positions of encrypted parameters are used (null: never set). */
    private final Object[] recorded;

    EncryptedParameters(StatementPlan plan) {
        this.plan = plan;
        this.recorded = new Object[plan.parameterCount()];
    }

    /**
     * Encrypts every recorded value afresh and binds it to {@code target}, where {@code rendered} says the parameter
     * sits (null: as written).
     *
     * @return false, with part bound, when a lookup has more candidates than its placeholders
     */
    boolean bind(ColumnValues values, PreparedStatement target, StatementPlan.Rendered rendered) throws SQLException {
        for (int i = 0; i < recorded.length; i++) {
            Object value = recorded[i];
            if (value != null) {
                int first = rendered == null ? i + 1 : rendered.first(i + 1);
                int width = rendered == null ? 1 : rendered.width(i + 1);
                if (!values.bind(target, first, width, plan.parameter(i + 1), value == NULL ? null : value)) {
                    return false;
                }
            }
        }
        return true;
    }

    void clear() {
        Arrays.fill(recorded, null);
    }

    private EncryptedColumn column(int index) {
        return plan.parameter(index).column();
    }

    private void record(int index, Object value) {
        recorded[index - 1] = value == null ? NULL : value;
    }

    private SQLException refusedType(int index, String what) {
        return EnvelopeErrors.refused(RefusalReason.VALUE_TYPE, what + " cannot be bound to encrypted column "
                + column(index).qualifiedName() + "; bind its value with a setter for the column's type");
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
        PlaintextType type = column(index).config().type();
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

    /**
     * setObject(BigDecimal, NUMERIC or DECIMAL, scale): the scale is applied half up, as pgJDBC does before it
     * sends the value (the application asked for that rounding; it is not the column's).
     */
    private static Object scaled(Object value, int targetSqlType, int scale) {
        if (value instanceof BigDecimal d && (targetSqlType == Types.NUMERIC || targetSqlType == Types.DECIMAL)
                && scale >= 0) {
            return d.setScale(scale, RoundingMode.HALF_UP);
        }
        return value;
    }

    /** setObject with a stream, reader or LOB reads it whole; other objects go to the column cipher as they are. */
    private Object objectValue(int index, Object x) throws SQLException {
        EncryptedColumn column = column(index);
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

    // ---- the setters ------------------------------------------------------------------------------------------

    @Override
    public void setNull(int index, int sqlType) {
        record(index, null);
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) {
        record(index, null);
    }

    @Override
    public void setBoolean(int index, boolean x) {
        record(index, x);
    }

    @Override
    public void setByte(int index, byte x) {
        record(index, x);
    }

    @Override
    public void setShort(int index, short x) {
        record(index, x);
    }

    @Override
    public void setInt(int index, int x) {
        record(index, x);
    }

    @Override
    public void setLong(int index, long x) {
        record(index, x);
    }

    @Override
    public void setFloat(int index, float x) {
        record(index, x);
    }

    @Override
    public void setDouble(int index, double x) {
        record(index, x);
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) {
        record(index, x);
    }

    @Override
    public void setString(int index, String x) {
        record(index, x);
    }

    @Override
    public void setNString(int index, String x) {
        record(index, x);
    }

    @Override
    public void setBytes(int index, byte[] x) {
        // a copy: the application may reuse its array before the statement runs
        record(index, x == null ? null : x.clone());
    }

    @Override
    public void setDate(int index, Date x) {
        record(index, x);
    }

    @Override
    public void setDate(int index, Date x, Calendar calendar) {
        record(index, withCalendar(index, x, calendar));
    }

    @Override
    public void setTime(int index, Time x) {
        record(index, x);
    }

    @Override
    public void setTime(int index, Time x, Calendar calendar) {
        record(index, withCalendar(index, x, calendar));
    }

    @Override
    public void setTimestamp(int index, Timestamp x) {
        record(index, x);
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar calendar) {
        record(index, withCalendar(index, x, calendar));
    }

    @Override
    public void setURL(int index, URL x) {
        record(index, x == null ? null : x.toString());
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        record(index, objectValue(index, x));
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        record(index, objectValue(index, x));
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        record(index, scaled(objectValue(index, x), targetSqlType, scaleOrLength));
    }

    @Override
    public void setObject(int index, Object x, SQLType targetSqlType) throws SQLException {
        record(index, objectValue(index, x));
    }

    @Override
    public void setObject(int index, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        int type = targetSqlType == null || targetSqlType.getVendorTypeNumber() == null
                ? Types.OTHER : targetSqlType.getVendorTypeNumber();
        record(index, scaled(objectValue(index, x), type, scaleOrLength));
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        record(index, ParameterStreams.readText(x, -1, StandardCharsets.US_ASCII, column(index)));
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int length) throws SQLException {
        record(index, ParameterStreams.readText(x, length, StandardCharsets.US_ASCII, column(index)));
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long length) throws SQLException {
        record(index, ParameterStreams.readText(x, length, StandardCharsets.US_ASCII, column(index)));
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int index, InputStream x, int length) throws SQLException {
        record(index, ParameterStreams.readText(x, length, StandardCharsets.UTF_16BE, column(index)));
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        record(index, ParameterStreams.readBytes(x, -1, column(index)));
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int length) throws SQLException {
        record(index, ParameterStreams.readBytes(x, length, column(index)));
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long length) throws SQLException {
        record(index, ParameterStreams.readBytes(x, length, column(index)));
    }

    @Override
    public void setCharacterStream(int index, Reader x) throws SQLException {
        record(index, ParameterStreams.readText(x, -1, column(index)));
    }

    @Override
    public void setCharacterStream(int index, Reader x, int length) throws SQLException {
        record(index, ParameterStreams.readText(x, length, column(index)));
    }

    @Override
    public void setCharacterStream(int index, Reader x, long length) throws SQLException {
        record(index, ParameterStreams.readText(x, length, column(index)));
    }

    @Override
    public void setNCharacterStream(int index, Reader x) throws SQLException {
        record(index, ParameterStreams.readText(x, -1, column(index)));
    }

    @Override
    public void setNCharacterStream(int index, Reader x, long length) throws SQLException {
        record(index, ParameterStreams.readText(x, length, column(index)));
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        record(index, ParameterStreams.readBlob(x, column(index)));
    }

    @Override
    public void setBlob(int index, InputStream x) throws SQLException {
        record(index, ParameterStreams.readBytes(x, -1, column(index)));
    }

    @Override
    public void setBlob(int index, InputStream x, long length) throws SQLException {
        record(index, ParameterStreams.readBytes(x, length, column(index)));
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        record(index, ParameterStreams.readClob(x, column(index)));
    }

    @Override
    public void setClob(int index, Reader x) throws SQLException {
        record(index, ParameterStreams.readText(x, -1, column(index)));
    }

    @Override
    public void setClob(int index, Reader x, long length) throws SQLException {
        record(index, ParameterStreams.readText(x, length, column(index)));
    }

    @Override
    public void setNClob(int index, NClob x) throws SQLException {
        record(index, ParameterStreams.readClob(x, column(index)));
    }

    @Override
    public void setNClob(int index, Reader x) throws SQLException {
        record(index, ParameterStreams.readText(x, -1, column(index)));
    }

    @Override
    public void setNClob(int index, Reader x, long length) throws SQLException {
        record(index, ParameterStreams.readText(x, length, column(index)));
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        throw refusedType(index, "an SQL ARRAY");
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        throw refusedType(index, "a REF");
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        throw refusedType(index, "a ROWID");
    }

    @Override
    public void setSQLXML(int index, SQLXML x) throws SQLException {
        throw refusedType(index, "an SQLXML value");
    }
}
