package io.envelope.jdbc.conversion;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.schema.EncryptedColumn;

import java.io.ByteArrayInputStream;
import java.io.CharArrayReader;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.Locale;
import java.util.TimeZone;
import java.util.UUID;

/**
 * Answers every ResultSet getter for a decrypted value as pgJDBC answers it for a plaintext column of the same SQL
 * type (see docs/configuration.md): {@code getObject} on a date column gives a {@link java.sql.Date}, {@code getString} on a
 * boolean gives {@code t}, and so on. The input is the canonical value from the column cipher (or, inside an
 * accept-plaintext window, the stored String/byte[]). Conversion errors never quote the value.
 *
 * <p>Other drivers answer some getters differently: {@link #of} picks the answers of the connection's driver
 * ({@link MariaDbGetters} for MariaDB Connector/J).
 */
public class PlaintextGetters {

    protected final EncryptedColumn column;
    protected final PlaintextType type;
    /** The session's time zone, in which the server prints a timestamptz (pgJDBC's getString/getTime read that). */
    private final SessionZone sessionZone;

    public PlaintextGetters(EncryptedColumn column, SessionZone sessionZone) {
        this.column = column;
        this.type = column.config().type();
        this.sessionZone = sessionZone;
    }

    /**
     * The getters of {@code column} as the target driver answers them: pgJDBC's, or for a MySQL-family target
     * MariaDB Connector/J's or MySQL Connector/J's.
     */
    public static PlaintextGetters of(EncryptedColumn column, SessionZone sessionZone, boolean mySqlFamily,
                                      boolean mySqlConnectorJ) {
        if (!mySqlFamily) {
            return new PlaintextGetters(column, sessionZone);
        }
        return mySqlConnectorJ ? new MySqlConnectorJGetters(column, sessionZone)
                : new MariaDbGetters(column, sessionZone);
    }

    // ---- strings and bytes -------------------------------------------------------------------------------------

    public String getString(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        return switch (type) {
            case BYTES -> "\\x" + HexFormat.of().formatHex((byte[]) v);
            case BOOLEAN -> ((Boolean) v) ? "t" : "f";
            case DECIMAL -> ((BigDecimal) v).toPlainString();
            case DOUBLE -> AssignmentCasts.floatText((Double) v, false);
            case REAL -> AssignmentCasts.floatText((Float) v, true);
            case DATE -> AssignmentCasts.dateText((LocalDate) v);
            case TIME -> AssignmentCasts.timeText((LocalTime) v);
            case TIMESTAMP -> AssignmentCasts.timestampText((LocalDateTime) v);
            case TIMESTAMPTZ -> AssignmentCasts.timestamptzText(((OffsetDateTime) v).toInstant(), sessionZone.zone());
            default -> v.toString();
        };
    }

    public byte[] getBytes(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        return getString(v).getBytes(StandardCharsets.UTF_8);
    }

    public InputStream getBinaryStream(Object v) throws SQLException {
        byte[] b = getBytes(v);
        return b == null ? null : new ByteArrayInputStream(b);
    }

    public InputStream getAsciiStream(Object v) throws SQLException {
        String s = getString(v);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    public Reader getCharacterStream(Object v) throws SQLException {
        String s = getString(v);
        return s == null ? null : new CharArrayReader(s.toCharArray());
    }

    // ---- numbers -----------------------------------------------------------------------------------------------

    /** As pgJDBC: a boolean column's value, else the text form read as t/f/yes/no/on/off/y/n/1/0. */
    public boolean getBoolean(Object v) throws SQLException {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String t = getString(v).trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "1", "true", "t", "yes", "y", "on" -> {
                return true;
            }
            case "0", "false", "f", "no", "n", "off" -> {
                return false;
            }
            default -> throw EnvelopeErrors.conversion("the " + type.configName() + " value of "
                    + column.qualifiedName() + " cannot be converted to boolean", CANNOT_COERCE);
        }
    }

    public long getLong(Object v, long min, long max, String target) throws SQLException {
        if (v == null) {
            return 0;
        }
        BigDecimal d = numeric(v, target);
        BigDecimal truncated = d.setScale(0, RoundingMode.DOWN);
        if (truncated.compareTo(BigDecimal.valueOf(min)) < 0 || truncated.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw badNumber(target);
        }
        return truncated.longValueExact();
    }

    /** pgJDBC reads an empty (or blank) text value as byte 0. */
    public byte getByte(Object v) throws SQLException {
        if (v instanceof String s && s.isBlank()) {
            return 0;
        }
        return (byte) getLong(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
    }

    public double getDouble(Object v) throws SQLException {
        if (v == null) {
            return 0;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            // pgJDBC parses the server's text of a real ("0.1"), so 0.1f reads as 0.1, not 0.10000000149011612
            return Double.parseDouble(AssignmentCasts.floatText(f, true));
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw badNumber("double");
            }
        }
        return numeric(v, "double").doubleValue();
    }

    /**
     * As pgJDBC: the text form parsed as a float (rounded once from the decimal; narrowing the double would round
     * twice and can differ in the last bit).
     */
    public float getFloat(Object v) throws SQLException {
        if (v == null) {
            return 0;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Double d) {
            return Float.parseFloat(AssignmentCasts.floatText(d, false));
        }
        if (v instanceof String s) {
            try {
                return Float.parseFloat(s.trim());
            } catch (NumberFormatException e) {
                throw badNumber("float");
            }
        }
        return numeric(v, "float").floatValue();
    }

    public BigDecimal getBigDecimal(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d && (d.isNaN() || d.isInfinite()) || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            throw badNumber("BigDecimal");
        }
        return numeric(v, "BigDecimal");
    }

    /** The value as a number for the number getters; a refusal (22003) when it is none. */
    protected BigDecimal numeric(Object v, String target) throws SQLException {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Double || v instanceof Float) {
            // as pgJDBC, from the server's text form: 1.0 is "1"
            try {
                return new BigDecimal(getString(v));
            } catch (NumberFormatException nanOrInfinite) {
                throw badNumber(target);
            }
        }
        if (v instanceof Number n) {
            return toBigDecimal(n);
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                throw badNumber(target);
            }
        }
        throw badNumber(target);
    }

    private static BigDecimal toBigDecimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        return BigDecimal.valueOf(n.longValue());
    }

    // ---- dates and times ---------------------------------------------------------------------------------------

    /** The zone pgJDBC converts in: the Calendar's, else (null) the JVM's. */
    private static TimeZone zoneOf(Calendar calendar) {
        return calendar == null ? null : calendar.getTimeZone();
    }

    /** pgJDBC's getTimestamp milliseconds of a timestamptz value (see {@link PgJdbcCalendar#timestamptzMillis}). */
    private long timestamptzMillis(OffsetDateTime value) throws SQLException {
        return PgJdbcCalendar.timestamptzMillis(value.toInstant(), sessionZone);
    }

    public Date getDate(Object v, Calendar calendar) throws SQLException {
        if (v == null) {
            return null;
        }
        LocalDate date;
        if (v instanceof LocalDate d) {
            date = d;
        } else if (v instanceof LocalDateTime dt) {
            return PgJdbcCalendar.dateOfTimestamp(dt, zoneOf(calendar));
        } else if (v instanceof OffsetDateTime odt) {
            return PgJdbcCalendar.dateOfInstant(timestamptzMillis(odt), zoneOf(calendar));
        } else if (v instanceof String s) {
            date = parse(() -> LocalDate.parse(s.trim()), "Date");
        } else {
            throw badConversion("Date");
        }
        return PgJdbcCalendar.date(date, zoneOf(calendar));
    }

    public Time getTime(Object v, Calendar calendar) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof LocalTime t) {
            return PgJdbcCalendar.time(t, zoneOf(calendar));
        }
        if (v instanceof LocalDateTime dt) {
            return PgJdbcCalendar.timeOfTimestamp(dt, zoneOf(calendar));
        }
        if (v instanceof OffsetDateTime odt) {
            // pgJDBC reads the server's text: the time of day in the session zone, at that zone's offset
            ZonedDateTime local = odt.toInstant().atZone(sessionZone.zone());
            return PgJdbcCalendar.timeOfText(local.toLocalTime(), local.getOffset().getTotalSeconds());
        }
        if (v instanceof String s) {
            return PgJdbcCalendar.time(parse(() -> LocalTime.parse(s.trim()), "Time"), zoneOf(calendar));
        }
        throw badConversion("Time");
    }

    public Timestamp getTimestamp(Object v, Calendar calendar) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof OffsetDateTime odt) {
            Timestamp ts = new Timestamp(timestamptzMillis(odt));
            ts.setNanos(odt.getNano());
            return ts;
        }
        LocalDateTime dateTime;
        if (v instanceof LocalDateTime dt) {
            dateTime = dt;
        } else if (v instanceof LocalDate d) {
            dateTime = d.atStartOfDay();
        } else if (v instanceof LocalTime t) {
            dateTime = t.atDate(LocalDate.of(1970, 1, 1));
        } else if (v instanceof String s) {
            dateTime = parse(() -> LocalDateTime.parse(s.trim().replace(' ', 'T')), "Timestamp");
        } else {
            throw badConversion("Timestamp");
        }
        return PgJdbcCalendar.timestamp(dateTime, zoneOf(calendar));
    }

    // ---- getObject ---------------------------------------------------------------------------------------------

    /** {@code getObject(i)}: the class pgJDBC returns for a plaintext column of this type. */
    public Object getObject(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case TEXT -> getString(v);
            case BYTES -> getBytes(v);
            case SMALLINT, INT -> (int) getLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
            case BIGINT -> getLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "long");
            case DECIMAL -> getBigDecimal(v);
            case DOUBLE -> getDouble(v);
            case REAL -> getFloat(v);
            case BOOLEAN -> getBoolean(v);
            case DATE -> getDate(v, null);
            case TIME -> getTime(v, null);
            case TIMESTAMP, TIMESTAMPTZ -> getTimestamp(v, null);
            case UUID -> v instanceof UUID u ? u : uuid(v);
        };
    }

    /**
     * {@code getObject(i, Class)}: the conversions pgJDBC supports for a plaintext column of this type, checked
     * before the value is looked at (pgJDBC refuses a class that does not fit the column even for NULL).
     */
    public <T> T getObject(Object v, Class<T> target) throws SQLException {
        if (target == null) {
            throw EnvelopeErrors.data("getObject on " + column.qualifiedName() + ": the target class is null");
        }
        if (target == Object.class) {
            return target.cast(getObject(v));
        }
        // as pgJDBC: UUID and java.time targets look at the value first, the others at the column's type first
        boolean valueFirst = target == UUID.class || target.getPackageName().equals("java.time");
        if (v == null && valueFirst) {
            return null;
        }
        if (!GetObjectTargets.converts(type, target)) {
            // pgJDBC: 42821 (DATA_TYPE_MISMATCH) for a java.time target, a data exception otherwise
            String message = "getObject on " + column.qualifiedName() + ": conversion of a "
                    + type.configName() + " value to " + target.getName() + " is not supported";
            throw target.getPackageName().equals("java.time")
                    ? EnvelopeErrors.conversion(message, DATA_TYPE_MISMATCH) : EnvelopeErrors.data(message);
        }
        if (v == null) {
            return null;
        }
        Object result = scalar(v, target);
        if (result != null) {
            return target.cast(result);
        }
        if (target == UUID.class) {
            result = v instanceof UUID u ? u : uuid(v);
        } else if (target == Date.class) {
            result = getDate(v, null);
        } else if (target == Time.class) {
            result = getTime(v, null);
        } else if (target == Timestamp.class) {
            result = getTimestamp(v, null);
        } else if (target == LocalDate.class) {
            // pgJDBC reads the text's fields as they are (proleptic Gregorian, BC as a negative year)
            result = v instanceof LocalDate d ? d : v instanceof LocalDateTime dt ? dt.toLocalDate()
                    : javaTime(() -> getDate(v, null).toLocalDate(), target);
        } else if (target == LocalTime.class) {
            result = v instanceof LocalTime t ? t : javaTime(() -> localTime(v), target);
        } else if (target == LocalDateTime.class) {
            result = v instanceof LocalDateTime dt ? dt
                    : javaTime(() -> getTimestamp(v, null).toLocalDateTime(), target);
        } else if (target == OffsetDateTime.class) {
            result = javaTime(() -> offsetDateTime(v), target);
        } else {
            Calendar calendar = Calendar.getInstance();
            calendar.setTimeInMillis(getTimestamp(v, null).getTime());
            result = calendar;
        }
        return target.cast(result);
    }

    /**
     * A non-null value as a text, number, boolean or byte[] target of getObject, through this class's own getter
     * for that type (with its range checks); null for any other target.
     */
    protected final Object scalar(Object v, Class<?> target) throws SQLException {
        if (target == String.class) {
            return getString(v);
        } else if (target == Integer.class) {
            return (int) getLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
        } else if (target == Long.class) {
            return getLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "long");
        } else if (target == Short.class) {
            return (short) getLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "short");
        } else if (target == BigDecimal.class) {
            return getBigDecimal(v);
        } else if (target == BigInteger.class) {
            return BigInteger.valueOf(getLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "long"));
        } else if (target == Double.class) {
            return getDouble(v);
        } else if (target == Float.class) {
            return getFloat(v);
        } else if (target == Boolean.class) {
            return getBoolean(v);
        } else if (target == byte[].class) {
            return getBytes(v);
        }
        return null;
    }

    private LocalTime localTime(Object v) throws SQLException {
        if (v instanceof LocalDateTime dt) {
            return dt.toLocalTime();
        }
        if (v instanceof String s) {
            return parse(() -> LocalTime.parse(s.trim()), "LocalTime");
        }
        throw badConversion("LocalTime");
    }

    private OffsetDateTime offsetDateTime(Object v) throws SQLException {
        if (v instanceof OffsetDateTime odt) {
            return odt;
        }
        if (v instanceof LocalDateTime dt) {
            // as pgJDBC: a timestamp without time zone is taken in UTC
            return dt.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof String s) {
            return parse(() -> OffsetDateTime.parse(s.trim().replace(' ', 'T')), "OffsetDateTime");
        }
        throw badConversion("OffsetDateTime");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private interface Parser<T> {
        T parse();
    }

    private UUID uuid(Object v) throws SQLException {
        String text = getString(v);
        return parse(() -> UUID.fromString(text.trim()), "UUID");
    }

    private <T> T parse(Parser<T> parser, String target) throws SQLException {
        try {
            return parser.parse();
        } catch (RuntimeException e) {
            throw badConversion(target);
        }
    }

    /** pgJDBC's SQLState for "Cannot cast to boolean" (PSQLState.CANNOT_COERCE). */
    private static final String CANNOT_COERCE = "42846";
    /** pgJDBC's SQLState for "conversion to {class} from {type} not supported" (PSQLState.DATA_TYPE_MISMATCH). */
    private static final String DATA_TYPE_MISMATCH = "42821";

    /** A conversion that may refuse: throws no SQLException of its own kind. */
    private interface Conversion<T> {
        T convert() throws SQLException;
    }

    /**
     * A java.time target of getObject: pgJDBC decides by the column's type, not the value, and refuses an
     * unconvertible one with 42821 (DATA_TYPE_MISMATCH); so does the wrapper.
     */
    private <T> T javaTime(Conversion<T> conversion, Class<?> target) throws SQLException {
        try {
            return conversion.convert();
        } catch (SQLException e) {
            throw EnvelopeErrors.conversion("getObject on " + column.qualifiedName() + ": the "
                    + type.configName() + " value cannot be converted to " + target.getName(), DATA_TYPE_MISMATCH);
        }
    }

    /**
     * A number getter's refusal (out of range, NaN, not a number): pgJDBC reports every one as
     * numeric_value_out_of_range (22003).
     */
    protected SQLException badNumber(String target) {
        return EnvelopeErrors.outOfRange("the " + type.configName() + " value of " + column.qualifiedName()
                + " cannot be converted to " + target);
    }

    protected SQLException badConversion(String target) {
        return EnvelopeErrors.data("the " + type.configName() + " value of " + column.qualifiedName()
                + " cannot be converted to " + target);
    }
}
