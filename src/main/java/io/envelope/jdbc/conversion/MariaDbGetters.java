package io.envelope.jdbc.conversion;

import io.envelope.jdbc.schema.EncryptedColumn;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.UUID;

/**
 * The getters as MariaDB Connector/J (3.x) answers them for a plaintext column of the declared type, where it
 * differs from pgJDBC ({@link PlaintextGetters}): a {@code boolean} is MariaDB's {@code BOOLEAN} (TINYINT(1)), so
 * its text is {@code 1}/{@code 0} and the number getters read it as 1/0; a number reads as a boolean by being
 * non-zero (a decimal by its integer part); {@code getBytes} works on binary and character columns only; a
 * binary column's text is its bytes as UTF-8; {@code getObject(i, Class)} converts between the numbers, to text and
 * between the date and time types as the driver does. Measured against the driver by MariaDbGetterTwinIT; the
 * differences that remain are listed, with their reasons, in that test's resources.
 */
class MariaDbGetters extends PlaintextGetters {

    MariaDbGetters(EncryptedColumn column, SessionZone sessionZone) {
        super(column, sessionZone);
    }

    @Override
    public String getString(Object v) throws SQLException {
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (v instanceof Double || v instanceof Float) {
            // the server's exponent has no plus sign and no leading zero: 1e15, 1e-7 (PostgreSQL: 1e+15, 1e-07)
            return super.getString(v).replace("e+", "e").replace("e-0", "e-");
        }
        return super.getString(v);
    }

    /**
     * Only a binary or character column has bytes to give; a uuid is what MySQL keeps it in, BINARY(16): its 16
     * bytes in order.
     */
    @Override
    public byte[] getBytes(Object v) throws SQLException {
        if (v == null || v instanceof byte[] || v instanceof String) {
            return super.getBytes(v);
        }
        if (v instanceof UUID u) {
            return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                    .array();
        }
        throw badConversion("byte[]");
    }

    @Override
    public boolean getBoolean(Object v) throws SQLException {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof BigDecimal d) {
            return d.setScale(0, RoundingMode.DOWN).signum() != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof Float f) {
            return f != 0;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        if (v instanceof String s) {
            return !s.equals("0");
        }
        if (v instanceof byte[]) {
            return true;
        }
        throw badConversion("boolean");
    }

    /** A boolean is 1 or 0; a binary value is read as its text. */
    @Override
    protected BigDecimal numeric(Object v, String target) throws SQLException {
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof byte[] b) {
            return super.numeric(new String(b, StandardCharsets.UTF_8), target);
        }
        return super.numeric(v, target);
    }

    /** A binary value's first byte. */
    @Override
    public byte getByte(Object v) throws SQLException {
        if (v instanceof byte[] b && b.length > 0) {
            return b[0];
        }
        return super.getByte(v);
    }

    @Override
    public double getDouble(Object v) throws SQLException {
        return v instanceof Boolean || v instanceof byte[] ? numeric(v, "double").doubleValue() : super.getDouble(v);
    }

    @Override
    public float getFloat(Object v) throws SQLException {
        return v instanceof Boolean || v instanceof byte[] ? numeric(v, "float").floatValue() : super.getFloat(v);
    }

    /** {@code getObject(i)}: a SMALLINT is a Short. */
    @Override
    public Object getObject(Object v) throws SQLException {
        if (v != null && type == io.envelope.jdbc.config.PlaintextType.SMALLINT) {
            return (short) getLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "short");
        }
        return super.getObject(v);
    }

    @Override
    public <T> T getObject(Object v, Class<T> target) throws SQLException {
        if (target == null || target == Object.class) {
            return super.getObject(v, target);
        }
        if (v == null) {
            return null; // whatever the class: the driver checks nothing for SQL NULL
        }
        Object result = scalar(v, target); // between the numbers, booleans and text, with no check of the type
        if (result != null) {
            return target.cast(result);
        }
        if (target == LocalDateTime.class && (v instanceof LocalDate || v instanceof LocalTime)) {
            result = getTimestamp(v, null).toLocalDateTime();
        } else if (target == Timestamp.class && (v instanceof LocalDate || v instanceof LocalTime)) {
            result = getTimestamp(v, null);
        } else if (target == Date.class && v instanceof LocalDateTime) {
            result = getDate(v, null);
        } else if (target == LocalTime.class && v instanceof LocalDateTime dt) {
            result = dt.toLocalTime();
        } else if (target == Time.class && v instanceof LocalDateTime) {
            result = getTime(v, null);
        } else {
            return super.getObject(v, target);
        }
        return target.cast(result);
    }
}
