package io.envelope.jdbc.conversion;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.PlaintextType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.TimeZone;
import java.util.UUID;

/**
 * The assignment cast PostgreSQL would apply on the server, done by the driver for an encrypted column (whose
 * server-side type is only {@code bytea}/{@code text} of ciphertext). One job: given the column's plaintext type
 * (and decimal scale) and the Java value a setter recorded, return the value PostgreSQL would store in a
 * plaintext column of that type, so that it can be canonicalised and encrypted; leave the value as it is where
 * the column cipher already accepts it ({@code crypto/Canonical}: e.g. a {@code Long} for {@code int}, a
 * {@code String} anywhere, a {@code BigDecimal} for {@code decimal}); refuse where PostgreSQL refuses a value
 * it cannot represent (range errors, SQLState 22003). A value of a class with no assignment cast to the column
 * type is left for the cipher to refuse (22000).
 *
 * <p>Rules, with the Java value as pgJDBC sends it (checked against a live PostgreSQL 16 and pgJDBC 42.7):
 * <ul>
 *   <li>to {@code text}: the server's text output of the source type: {@code true}/{@code false}; integers in
 *       decimal; {@code BigDecimal} plain (numeric never prints an exponent); float8/float4 in shortest
 *       round-trip form with PostgreSQL's exponent rule ({@code 1.5e+300}, {@code 1e-05}, {@code -0},
 *       {@code NaN}, {@code Infinity}); {@code byte[]} as {@code \x} hex; {@code LocalDate} ISO (BC as
 *       {@code 0001-01-01 BC}); {@code LocalTime} {@code HH:mm:ss[.ffffff]}; {@code LocalDateTime}
 *       {@code yyyy-MM-dd HH:mm:ss[.ffffff]}; {@code OffsetDateTime}/{@code ZonedDateTime}/{@code Instant} as
 *       timestamptz in the session time zone, which pgJDBC sets to the JVM default ({@code ...+00},
 *       {@code +05:30}); {@code UUID} lower-case. {@code java.sql.Date/Time/Timestamp} are different: pgJDBC sends
 *       them as untyped strings with the zone offset appended, which a text column stores verbatim
 *       ({@code 2024-02-29 +00}); {@link #pgJdbcText} reproduces that string.</li>
 *   <li>to {@code bytes}: {@code java.sql.Date/Time/Timestamp} become the UTF-8 bytes of pgJDBC's string (the
 *       server's {@code byteain} of an untyped literal without backslashes).</li>
 *   <li>to {@code smallint}/{@code int}/{@code bigint}: float8/float4 round half to even ({@code rint}), NaN and
 *       values out of range refused; {@code BigDecimal} rounds half away from zero, out of range refused;
 *       integer types out of range refused (22003).</li>
 *   <li>to {@code decimal}: a float4/float8 becomes the numeric PostgreSQL's cast makes of it (6 or 15
 *       significant digits, {@link #floatToNumeric}); the rest is left to the cipher. Contract §3 overrides
 *       PostgreSQL for the column's scale: a value that would need rounding to the declared scale is refused,
 *       where {@code numeric(p,s)} would round half away from zero (1.25 into scale 2 is stored, 1.005 is refused
 *       where PostgreSQL would store 1.01), since silent rounding is exactly the surprise the decimal rules
 *       out.</li>
 *   <li>to {@code real}: a nonzero float8 that underflows to 0 as float4 is refused (PostgreSQL:
 *       "value out of range: underflow"); overflow is refused by the cipher.</li>
 *   <li>to {@code date}: timestamp truncates to its date; timestamptz gives its date in the session zone.</li>
 *   <li>to {@code time}: timestamp gives its time of day; timestamptz its time of day in the session zone.</li>
 *   <li>to {@code timestamp}: date at midnight; timestamptz as local date-time in the session zone.</li>
 *   <li>to {@code timestamptz}: date at midnight and timestamp, both in the session zone.</li>
 * </ul>
 * A cast never quotes the value in an error message.
 */
public final class AssignmentCasts {

    private static final HexFormat HEX = HexFormat.of();

    private AssignmentCasts() {
    }

    /**
     * The value PostgreSQL would store for {@code value} in a plaintext column of {@code cfg}'s type; null stays
     * null. {@code place} names the column in errors.
     */
    public static Object cast(Object value, ColumnConfig cfg, String place) throws SQLException {
        return cast(value, cfg, place, ZoneId.systemDefault());
    }

    /**
     * As {@link #cast(Object, ColumnConfig, String)} in a session whose time zone is {@code session} (where the
     * server converts between timestamp and timestamptz, see {@link SessionZone}).
     */
    public static Object cast(Object value, ColumnConfig cfg, String place, ZoneId session) throws SQLException {
        if (value == null || value instanceof String) {
            return value; // an untyped string: the cipher parses it the way the type's input function would
        }
        PlaintextType type = cfg.type();
        switch (type) {
            case TEXT:
                String text = toText(value, session);
                return text == null ? value : text;
            case BYTES:
                if (value instanceof java.sql.Date || value instanceof java.sql.Time
                        || value instanceof java.sql.Timestamp) {
                    return pgJdbcText((java.util.Date) value, TimeZone.getDefault()).getBytes(StandardCharsets.UTF_8);
                }
                return value;
            case SMALLINT:
            case INT:
            case BIGINT:
                return toInteger(value, type, place);
            case DECIMAL:
                return floatToNumeric(value);
            case REAL:
                if (value instanceof Double d && d != 0.0 && Double.isFinite(d) && (float) (double) d == 0.0f) {
                    throw outOfRange(value, type, place);
                }
                return value;
            case DATE:
                if (value instanceof java.sql.Timestamp ts) {
                    return ts.toLocalDateTime().toLocalDate();
                }
                if (value instanceof LocalDateTime ldt) {
                    return ldt.toLocalDate();
                }
                return instantOf(value) != null ? inSessionZone(instantOf(value), session).toLocalDate() : value;
            case TIME:
                if (value instanceof java.sql.Timestamp ts) {
                    return ts.toLocalDateTime().toLocalTime();
                }
                if (value instanceof LocalDateTime ldt) {
                    return ldt.toLocalTime();
                }
                return instantOf(value) != null ? inSessionZone(instantOf(value), session).toLocalTime() : value;
            case TIMESTAMP:
                if (value instanceof java.sql.Date d) {
                    return d.toLocalDate().atStartOfDay();
                }
                if (value instanceof LocalDate d) {
                    return d.atStartOfDay();
                }
                return instantOf(value) != null ? inSessionZone(instantOf(value), session) : value;
            case TIMESTAMPTZ:
                if (value instanceof java.sql.Date d) {
                    // pgJDBC sends the date with the JVM zone's offset ("2024-02-29 +01"): midnight at that offset
                    PgJdbcCalendar.Sent sent = PgJdbcCalendar.sent(d, null);
                    return OffsetDateTime.of(sent.date(), LocalTime.MIDNIGHT,
                            ZoneOffset.ofTotalSeconds(sent.offsetSeconds()));
                }
                if (value instanceof java.sql.Timestamp ts) {
                    return PgJdbcCalendar.timestamptzOf(ts, null);
                }
                if (value instanceof LocalDate d) {
                    return SessionZone.atZone(d.atStartOfDay(), session);
                }
                if (value instanceof LocalDateTime ldt) {
                    return SessionZone.atZone(ldt, session);
                }
                return value;
            default:
                return value; // decimal, double, boolean, uuid: the cipher's own rules (see the class comment)
        }
    }

    // ------------------------------------------------------------------ integers

    private static Object toInteger(Object value, PlaintextType type, String place) throws SQLException {
        BigInteger v;
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw outOfRange(value, type, place);
            }
            v = new BigDecimal(Math.rint(d)).toBigInteger();
        } else if (value instanceof BigDecimal bd) {
            v = bd.setScale(0, RoundingMode.HALF_UP).toBigInteger();
        } else if (value instanceof BigInteger bi) {
            v = bi;
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            v = BigInteger.valueOf(((Number) value).longValue());
        } else {
            return value; // no assignment cast (boolean, dates, ...): the cipher refuses or applies its own rule
        }
        long min = type == PlaintextType.SMALLINT ? Short.MIN_VALUE
                : type == PlaintextType.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = type == PlaintextType.SMALLINT ? Short.MAX_VALUE
                : type == PlaintextType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (v.bitLength() > 63 || v.longValue() < min || v.longValue() > max) {
            throw outOfRange(value, type, place);
        }
        return v.longValue();
    }

    private static SQLException outOfRange(Object value, PlaintextType type, String place) {
        return EnvelopeErrors.outOfRange("cannot store a " + value.getClass().getName() + " in " + place
                + ": out of range for declared type " + type.configName());
    }

    // ------------------------------------------------------------------ text

    /**
     * The server's text output for a non-string value, or null when there is no cast to text; a timestamptz is
     * printed in the session's zone {@code session}.
     */
    public static String toText(Object value, ZoneId session) {
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (value instanceof Double d) {
            return floatText(d, false);
        }
        if (value instanceof Float f) {
            return floatText(f, true);
        }
        if (value instanceof byte[] b) {
            return "\\x" + HEX.formatHex(b);
        }
        if (value instanceof java.sql.Date || value instanceof java.sql.Time || value instanceof java.sql.Timestamp) {
            return pgJdbcText((java.util.Date) value, TimeZone.getDefault());
        }
        if (value instanceof LocalDate d) {
            return dateText(d);
        }
        if (value instanceof LocalTime t) {
            return timeText(roundToMicros(t.atDate(LocalDate.EPOCH)).toLocalTime());
        }
        if (value instanceof LocalDateTime ldt) {
            return timestampText(roundToMicros(ldt));
        }
        Instant instant = instantOf(value);
        if (instant != null) {
            return timestamptzText(instant, session);
        }
        if (value instanceof UUID u) {
            return u.toString();
        }
        return null;
    }

    /**
     * The untyped string pgJDBC sends for a {@code java.sql.Date}, {@code Time} or {@code Timestamp} in
     * {@code zone} (its TimestampUtils: the local date and/or time, microseconds without trailing zeros, and the
     * zone's offset, {@code +00} or {@code +05:30}); a text column stores it as it is.
     */
    public static String pgJdbcText(java.util.Date value, TimeZone zone) {
        PgJdbcCalendar.Sent sent = PgJdbcCalendar.sent(value, zone);
        boolean bc = sent.date().getYear() <= 0;
        if (value instanceof java.sql.Time) {
            return timeText(sent.time()) + offsetText(sent.offsetSeconds());
        }
        if (value instanceof java.sql.Timestamp) {
            return dateText(sent.date()).replace(" BC", "") + " " + timeText(sent.time())
                    + offsetText(sent.offsetSeconds()) + (bc ? " BC" : "");
        }
        return dateText(sent.date()).replace(" BC", "") + " " + offsetText(sent.offsetSeconds()) + (bc ? " BC" : "");
    }

    /**
     * PostgreSQL's text of a timestamptz in the session's zone: {@code 2024-02-29 13:45:30.123456+01}, offsets with
     * seconds where the zone has them ({@code +00:19:32}), {@code BC} last; microseconds rounded half up first.
     */
    public static String timestamptzText(Instant instant, ZoneId session) {
        int rest = instant.getNano() % 1000;
        Instant rounded = instant.minusNanos(rest).plusNanos(rest >= 500 ? 1000 : 0);
        ZonedDateTime z = rounded.atZone(session);
        LocalDateTime local = z.toLocalDateTime();
        return dateText(local.toLocalDate()).replace(" BC", "") + " " + timeText(local.toLocalTime())
                + offsetText(z.getOffset().getTotalSeconds()) + (local.getYear() <= 0 ? " BC" : "");
    }

    /** PostgreSQL's date output (ISO): at least four year digits; years before 1 as {@code yyyy-MM-dd BC}. */
    public static String dateText(LocalDate d) {
        int year = d.getYear();
        boolean bc = year <= 0;
        int shown = bc ? 1 - year : year;
        StringBuilder sb = new StringBuilder();
        String y = Integer.toString(shown);
        sb.append("0".repeat(Math.max(0, 4 - y.length()))).append(y).append('-');
        two(sb, d.getMonthValue()).append('-');
        two(sb, d.getDayOfMonth());
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    /** PostgreSQL's time output: {@code HH:mm:ss} and, when nonzero, microseconds without trailing zeros. */
    public static String timeText(LocalTime t) {
        return timeTextNanos(t, t.getNano());
    }

    private static String timeTextNanos(LocalTime t, int nanos) {
        StringBuilder sb = new StringBuilder();
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        int micros = nanos / 1000;
        if (micros != 0) {
            String f = String.format("%06d", micros);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        return sb.toString();
    }

    public static String timestampText(LocalDateTime t) {
        String date = dateText(t.toLocalDate());
        boolean bc = date.endsWith(" BC");
        return (bc ? date.substring(0, date.length() - 3) : date) + " " + timeText(t.toLocalTime())
                + (bc ? " BC" : "");
    }

    private static String offsetText(int totalSeconds) {
        int abs = Math.abs(totalSeconds);
        StringBuilder sb = new StringBuilder(totalSeconds < 0 ? "-" : "+");
        two(sb, abs / 3600);
        int minutes = abs / 60 % 60;
        int seconds = abs % 60;
        if (minutes != 0 || seconds != 0) {
            two(sb.append(':'), minutes);
            if (seconds != 0) {
                two(sb.append(':'), seconds);
            }
        }
        return sb.toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append(v < 10 ? "0" : "").append(v);
    }

    /** pgJDBC sends java.time values rounded half up to microseconds. */
    private static LocalDateTime roundToMicros(LocalDateTime t) {
        int nanos = t.getNano();
        int rest = nanos % 1000;
        LocalDateTime truncated = t.with(ChronoField.NANO_OF_SECOND, nanos - rest);
        return rest >= 500 ? truncated.plusNanos(1000) : truncated;
    }

    /**
     * PostgreSQL's float8out/float4out (extra_float_digits 1, the default since 12): the shortest decimal
     * strictly inside the value's rounding interval, as its Ryū finds it ({@link ShortestDigits}); in exponent form {@code d.ddde+XX} when the decimal exponent is
     * below -4 or at least 15 (float8) / 6 (float4).
     */
    public static String floatText(double d, boolean real) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0.0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
        }
        BigDecimal shortest = real ? ShortestDigits.ofFloat((float) d) : ShortestDigits.ofDouble(d);
        if (d < 0) {
            shortest = shortest.negate();
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale(); // decimal exponent of the first digit
        String sign = shortest.signum() < 0 ? "-" : "";
        if (exponent < -4 || exponent >= (real ? 6 : 15)) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int abs = Math.abs(exponent);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
        }
        return sign + shortest.abs().toPlainString();
    }

    /**
     * PostgreSQL's float4/float8 to numeric cast, which a float parameter (pgJDBC sends setFloat as float4 and
     * setDouble as float8) goes through before the column's scale applies: the value printed with
     * {@code %.6g} (float4, FLT_DIG) or {@code %.15g} (float8, DBL_DIG), i.e. its exact binary value rounded half
     * to even to 6 or 15 significant digits. So 16777216f is 16777200 and 0.1 + 0.2 is 0.3. Other values are
     * left to the cipher; NaN and infinities too (it refuses them).
     */
    public static Object floatToNumeric(Object value) {
        if (value instanceof Float f && Float.isFinite(f)) {
            return new BigDecimal((double) f).round(new MathContext(6, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return new BigDecimal(d).round(new MathContext(15, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        }
        return value;
    }

    // ------------------------------------------------------------------ time zones

    /** The instant of a timestamptz-like value, or null. */
    private static Instant instantOf(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        return null;
    }

    /** timestamptz to local date-time in the session time zone, as the server casts it. */
    private static LocalDateTime inSessionZone(Instant instant, ZoneId session) {
        return LocalDateTime.ofInstant(instant, session);
    }
}
