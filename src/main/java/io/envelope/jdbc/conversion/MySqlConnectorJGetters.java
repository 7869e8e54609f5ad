package io.envelope.jdbc.conversion;

import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.schema.EncryptedColumn;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;

/**
 * The getters as MySQL Connector/J (9.x) answers them for a plaintext column of the declared type, where it differs
 * from MariaDB Connector/J ({@link MariaDbGetters}): a double's or float's text is Java's ({@code 1.0E15},
 * {@code 3.0}); {@code getBytes} gives any column's text as the server sent it; a number is true when it is
 * positive or -1; an empty text or binary value reads as the number 0; {@code getObject} of a SMALLINT is an
 * Integer and of a DATETIME a LocalDateTime; a DATE reads as a time of midnight and a TIME as a date of 1970-01-01.
 * Measured against the driver by MySqlConnectorJGetterTwinIT, with the differences that remain listed there.
 */
final class MySqlConnectorJGetters extends MariaDbGetters {

    private static final LocalDate EPOCH_DAY = LocalDate.of(1970, 1, 1);

    MySqlConnectorJGetters(EncryptedColumn column, SessionZone sessionZone) {
        super(column, sessionZone);
    }

    @Override
    public String getString(Object v) throws SQLException {
        if (v instanceof Double d) {
            return Double.toString(d);
        }
        if (v instanceof Float f) {
            return Float.toString(f);
        }
        return super.getString(v);
    }

    /** Any column's text as the server sent it (a double's is the server's, not Java's). */
    @Override
    public byte[] getBytes(Object v) throws SQLException {
        if (v == null || v instanceof byte[] || v instanceof String || type == PlaintextType.UUID) {
            return super.getBytes(v);
        }
        return super.getString(v).getBytes(StandardCharsets.UTF_8);
    }

    /** A stream of bytes only from a binary or character column (unlike {@link #getBytes}). */
    @Override
    public InputStream getBinaryStream(Object v) throws SQLException {
        if (v == null || v instanceof byte[] || v instanceof String) {
            return super.getBinaryStream(v);
        }
        throw badConversion("a binary stream");
    }

    /** A number is true when it is positive or -1; a text is true, false, or such a number. */
    @Override
    public boolean getBoolean(Object v) throws SQLException {
        if (v == null || v instanceof Boolean) {
            return super.getBoolean(v);
        }
        if (v instanceof String || v instanceof byte[]) {
            String text = v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) v;
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        BigDecimal n = numeric(v, "boolean");
        return n.signum() > 0 || n.compareTo(BigDecimal.ONE.negate()) == 0;
    }

    /** An empty text or binary value is 0; a double's BigDecimal keeps Java's text of it ({@code 3.0}). */
    @Override
    protected BigDecimal numeric(Object v, String target) throws SQLException {
        if (v instanceof String s && s.isEmpty() || v instanceof byte[] b && b.length == 0) {
            return BigDecimal.ZERO;
        }
        if (v instanceof Double || v instanceof Float) {
            try {
                return new BigDecimal(getString(v));
            } catch (NumberFormatException nanOrInfinite) {
                throw badNumber(target);
            }
        }
        return super.numeric(v, target);
    }

    @Override
    public double getDouble(Object v) throws SQLException {
        return v instanceof String s && s.isEmpty() ? 0 : super.getDouble(v);
    }

    @Override
    public float getFloat(Object v) throws SQLException {
        return v instanceof String s && s.isEmpty() ? 0 : super.getFloat(v);
    }

    /** A one-character text is that character's code; a longer text or a binary value is refused. */
    @Override
    public byte getByte(Object v) throws SQLException {
        if (v instanceof String s && s.length() == 1) {
            return (byte) s.charAt(0);
        }
        if (v instanceof String s && !s.isEmpty() || v instanceof byte[] b && b.length > 0) {
            throw badNumber("byte");
        }
        return super.getByte(v);
    }

    @Override
    public Time getTime(Object v, Calendar calendar) throws SQLException {
        return v instanceof LocalDate ? super.getTime(LocalTime.MIDNIGHT, calendar) : super.getTime(v, calendar);
    }

    @Override
    public Date getDate(Object v, Calendar calendar) throws SQLException {
        return v instanceof LocalTime ? super.getDate(EPOCH_DAY, calendar) : super.getDate(v, calendar);
    }

    /** {@code getObject(i)}: a SMALLINT is an Integer, a DATETIME a LocalDateTime. */
    @Override
    public Object getObject(Object v) throws SQLException {
        if (v instanceof LocalDateTime dt && type == PlaintextType.TIMESTAMP) {
            return dt;
        }
        if (v != null && type == PlaintextType.SMALLINT) {
            return (int) getLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
        }
        return super.getObject(v);
    }

    @Override
    public <T> T getObject(Object v, Class<T> target) throws SQLException {
        Object result = null;
        if (v instanceof LocalDate d) {
            if (target == LocalTime.class) {
                result = LocalTime.MIDNIGHT;
            } else if (target == OffsetDateTime.class) {
                result = d.atStartOfDay().atOffset(ZoneOffset.UTC);
            }
        } else if (v instanceof LocalTime t) {
            if (target == LocalDate.class) {
                result = EPOCH_DAY;
            } else if (target == Date.class) {
                result = getDate(v, null);
            } else if (target == OffsetDateTime.class) {
                result = t.atDate(EPOCH_DAY).atOffset(ZoneOffset.UTC);
            }
        }
        return result != null ? target.cast(result) : super.getObject(v, target);
    }
}
