package io.envelope.jdbc.crypto;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.PlaintextType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Canonical plaintext encodings, format version 1 (docs/format.md, "Canonical encodings"). Values that SQL
 * calls equal encode to identical bytes. Error messages name the place, the Java class and the declared type,
 * never the value; parse exceptions (whose messages quote their input) are never chained.
 */
final class Canonical {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final long CANONICAL_NAN = 0x7ff8000000000000L;
    static final long MICROS_PER_DAY = 86_400_000_000L;

    private Canonical() {
    }

    // ------------------------------------------------------------------ encode

    static byte[] encode(Object value, ColumnConfig cfg, String place) throws SQLException {
        PlaintextType type = cfg.type();
        switch (type) {
            case TEXT:
                if (value instanceof String) {
                    return utf8((String) value, place);
                }
                if (value instanceof Character) {
                    return utf8(value.toString(), place);
                }
                throw wrongClass(value, cfg, place);
            case BYTES:
                if (value instanceof byte[]) {
                    return ((byte[]) value).clone();
                }
                throw wrongClass(value, cfg, place);
            case SMALLINT:
            case INT:
            case BIGINT:
                return longBytes(integer(value, cfg, place));
            case DECIMAL:
                return decimal(value, cfg, place);
            case DOUBLE:
            case REAL:
                return longBytes(floatBits(value, cfg, place));
            case BOOLEAN:
                return new byte[] {(byte) (bool(value, cfg, place) ? 1 : 0)};
            case DATE:
                return longBytes(CanonicalTimes.date(value, cfg, place).toEpochDay());
            case TIME:
                return longBytes(CanonicalTimes.timeMicros(value, cfg, place));
            case TIMESTAMP:
                return longBytes(CanonicalTimes.micros(
                        CanonicalTimes.timestamp(value, cfg, place).toInstant(ZoneOffset.UTC), value instanceof String,
                        cfg, place));
            case TIMESTAMPTZ:
                return longBytes(CanonicalTimes.micros(CanonicalTimes.instant(value, cfg, place),
                        value instanceof String, cfg, place));
            case UUID:
                UUID u = uuid(value, cfg, place);
                return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                        .putLong(u.getLeastSignificantBits()).array();
            default:
                throw EnvelopeErrors.data("cannot encrypt " + place + ": unsupported declared type " + type);
        }
    }

    private static byte[] utf8(String s, String place) throws SQLException {
        // String.getBytes would silently turn an unpaired surrogate into '?': refuse those instead
        for (int i = 0, n = s.length(); i < n; i++) {
            char ch = s.charAt(i);
            if (Character.isSurrogate(ch)) {
                if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw EnvelopeErrors.data("cannot encrypt a value for " + place
                            + ": the string is not valid Unicode (unpaired surrogate)");
                }
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Strict UTF-8: a malformed sequence is an error, never a silent U+FFFD. */
    private static String fromUtf8(byte[] p) throws CharacterCodingException {
        String s = new String(p, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            // rare: either a genuine U+FFFD or malformed input; only the strict decoder can tell
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(p)).toString();
        }
        return s;
    }

    private static long integer(Object value, ColumnConfig cfg, String place) throws SQLException {
        BigInteger v;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return rangeChecked(((Number) value).longValue(), cfg, place);
        } else if (value instanceof BigInteger) {
            v = (BigInteger) value;
        } else if (value instanceof BigDecimal) {
            try {
                v = ((BigDecimal) value).toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw EnvelopeErrors.data("cannot encrypt a java.math.BigDecimal for " + place
                        + " (declared type " + cfg.type().configName() + "): it has a fractional part");
            }
        } else if (value instanceof String) {
            try {
                v = new BigInteger(((String) value).trim());
            } catch (NumberFormatException e) {
                throw EnvelopeErrors.data("cannot encrypt a java.lang.String for " + place
                        + " (declared type " + cfg.type().configName() + "): it is not an integer");
            }
        } else {
            throw wrongClass(value, cfg, place);
        }
        if (v.bitLength() > 63) {
            throw outOfRange(value, cfg, place);
        }
        return rangeChecked(v.longValue(), cfg, place);
    }

    private static long rangeChecked(long v, ColumnConfig cfg, String place) throws SQLException {
        boolean ok;
        switch (cfg.type()) {
            case SMALLINT: ok = v >= Short.MIN_VALUE && v <= Short.MAX_VALUE; break;
            case INT: ok = v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE; break;
            default: ok = true;
        }
        if (!ok) {
            throw EnvelopeErrors.data("cannot encrypt a value for " + place + ": out of range for declared type "
                    + cfg.type().configName());
        }
        return v;
    }

    private static SQLException outOfRange(Object value, ColumnConfig cfg, String place) {
        return EnvelopeErrors.data("cannot encrypt a " + value.getClass().getName() + " for " + place
                + ": out of range for declared type " + cfg.type().configName());
    }

    private static byte[] decimal(Object value, ColumnConfig cfg, String place) throws SQLException {
        BigDecimal v;
        if (value instanceof BigDecimal) {
            v = (BigDecimal) value;
        } else if (value instanceof BigInteger) {
            v = new BigDecimal((BigInteger) value);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            v = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw EnvelopeErrors.data("cannot encrypt a " + value.getClass().getName() + " for " + place
                        + " (declared type decimal): NaN and infinities are not decimals");
            }
            v = value instanceof Float ? new BigDecimal(Float.toString((Float) value)) : BigDecimal.valueOf(d);
        } else if (value instanceof String) {
            try {
                v = new BigDecimal(((String) value).trim());
            } catch (NumberFormatException e) {
                throw EnvelopeErrors.data("cannot encrypt a java.lang.String for " + place
                        + " (declared type decimal): it is not a number");
            }
        } else {
            throw wrongClass(value, cfg, place);
        }
        BigDecimal scaled = atDeclaredScale(v, cfg, place, "cannot encrypt a value for ");
        Integer precision = cfg.precision();
        if (precision != null && scaled.unscaledValue().abs().compareTo(BigInteger.TEN.pow(precision)) >= 0) {
            throw EnvelopeErrors.data("cannot encrypt a value for " + place + ": it has more digits than the "
                    + "declared precision " + precision + " (scale " + cfg.scale() + ") allows");
        }
        // One encoding per numeric value: trailing zeros stripped, so 1.0 and 1.00 (and a later wider scale) agree.
        BigDecimal canonical = scaled.signum() == 0 ? BigDecimal.ZERO : scaled.stripTrailingZeros();
        byte[] unscaled = canonical.unscaledValue().toByteArray();
        return ByteBuffer.allocate(4 + unscaled.length).putInt(canonical.scale()).put(unscaled).array();
    }

    private static BigDecimal atDeclaredScale(BigDecimal v, ColumnConfig cfg, String place, String what)
            throws SQLException {
        Integer scale = cfg.scale();
        if (scale == null) {
            throw EnvelopeErrors.data(what + place + ": a decimal column needs a declared scale");
        }
        try {
            return v.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw EnvelopeErrors.data(what + place + ": it has more digits after the decimal point than the "
                    + "declared scale " + scale + " and would need rounding");
        }
    }

    private static long floatBits(Object value, ColumnConfig cfg, String place) throws SQLException {
        boolean real = cfg.type() == PlaintextType.REAL;
        double d;
        if (value instanceof Number) {
            Number n = (Number) value;
            d = real ? (double) n.floatValue() : n.doubleValue();
            boolean finiteSource = !(n instanceof Double || n instanceof Float)
                    || Double.isFinite(n.doubleValue());
            if (finiteSource && Double.isInfinite(d)) {
                throw EnvelopeErrors.data("cannot encrypt a " + value.getClass().getName() + " for " + place
                        + ": out of range for declared type " + cfg.type().configName());
            }
        } else if (value instanceof String) {
            String s = ((String) value).trim();
            String lower = s.toLowerCase(Locale.ROOT);
            try {
                switch (lower) {
                    case "nan": d = Double.NaN; break;
                    case "infinity": case "+infinity": case "inf": case "+inf": d = Double.POSITIVE_INFINITY; break;
                    case "-infinity": case "-inf": d = Double.NEGATIVE_INFINITY; break;
                    default:
                        if (s.isEmpty() || !Character.isDigit(s.charAt(s.length() - 1)) && s.charAt(s.length() - 1) != '.') {
                            throw new NumberFormatException();
                        }
                        d = real ? (double) Float.parseFloat(s) : Double.parseDouble(s);
                        if (Double.isInfinite(d)) {
                            throw EnvelopeErrors.data("cannot encrypt a java.lang.String for " + place
                                    + ": out of range for declared type " + cfg.type().configName());
                        }
                }
            } catch (NumberFormatException e) {
                throw EnvelopeErrors.data("cannot encrypt a java.lang.String for " + place + " (declared type "
                        + cfg.type().configName() + "): it is not a number");
            }
        } else {
            throw wrongClass(value, cfg, place);
        }
        if (Double.isNaN(d)) {
            return CANONICAL_NAN;
        }
        if (d == 0.0) {
            return 0L; // -0.0 and 0.0 are one value
        }
        return Double.doubleToRawLongBits(d);
    }

    private static boolean bool(Object value, ColumnConfig cfg, String place) throws SQLException {
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof Number) {
            BigDecimal n = numberAsDecimal((Number) value);
            if (n != null && n.compareTo(BigDecimal.ZERO) == 0) {
                return false;
            }
            if (n != null && n.compareTo(BigDecimal.ONE) == 0) {
                return true;
            }
            throw EnvelopeErrors.data("cannot encrypt a " + value.getClass().getName() + " for " + place
                    + " (declared type boolean): only 0 and 1 are booleans");
        }
        if (value instanceof String) {
            switch (((String) value).trim().toLowerCase(Locale.ROOT)) {
                case "true": case "t": case "1": case "yes": return true;
                case "false": case "f": case "0": case "no": return false;
                default:
                    throw EnvelopeErrors.data("cannot encrypt a java.lang.String for " + place
                            + " (declared type boolean): not one of true/false/t/f/1/0/yes/no");
            }
        }
        throw wrongClass(value, cfg, place);
    }

    private static BigDecimal numberAsDecimal(Number n) {
        if (n instanceof BigDecimal) {
            return (BigDecimal) n;
        }
        if (n instanceof BigInteger) {
            return new BigDecimal((BigInteger) n);
        }
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return BigDecimal.valueOf(n.longValue());
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }


    private static UUID uuid(Object value, ColumnConfig cfg, String place) throws SQLException {
        if (value instanceof UUID) {
            return (UUID) value;
        }
        if (value instanceof String) {
            String s = ((String) value).trim();
            if (!UUID_TEXT.matcher(s).matches()) {
                throw unparsable(cfg, place);
            }
            return UUID.fromString(s);
        }
        throw wrongClass(value, cfg, place);
    }

    static SQLException unparsable(ColumnConfig cfg, String place) {
        return EnvelopeErrors.data("cannot encrypt a java.lang.String for " + place + " (declared type "
                + cfg.type().configName() + "): it is not in ISO-8601 / the type's text form");
    }

    static SQLException wrongClass(Object value, ColumnConfig cfg, String place) {
        return EnvelopeErrors.data("cannot encrypt a value of Java class " + value.getClass().getName()
                + " for " + place + ": the declared type is " + cfg.type().configName());
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    // ------------------------------------------------------------------ decode

    /** Decodes an authenticated canonical plaintext to the Java value of the column's declared type. */
    static Object decode(byte[] p, ColumnConfig cfg, String place) throws SQLException {
        PlaintextType type = cfg.type();
        try {
            switch (type) {
                case TEXT:
                    return fromUtf8(p);
                case BYTES:
                    return p;
                case SMALLINT: {
                    long v = fixedLong(p);
                    if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                        throw doesNotFit(place, type);
                    }
                    return (short) v;
                }
                case INT: {
                    long v = fixedLong(p);
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw doesNotFit(place, type);
                    }
                    return (int) v;
                }
                case BIGINT:
                    return fixedLong(p);
                case DECIMAL: {
                    if (p.length < 5) {
                        throw malformed(place, type);
                    }
                    ByteBuffer b = ByteBuffer.wrap(p);
                    int scale = b.getInt();
                    BigDecimal v = new BigDecimal(new BigInteger(p, 4, p.length - 4), scale);
                    return atDeclaredScale(v, cfg, place, "cannot decrypt ");
                }
                case DOUBLE:
                    return Double.longBitsToDouble(fixedLong(p));
                case REAL: {
                    double d = Double.longBitsToDouble(fixedLong(p));
                    float f = (float) d;
                    if (!Double.isNaN(d) && (double) f != d) {
                        throw doesNotFit(place, type);
                    }
                    return f;
                }
                case BOOLEAN:
                    if (p.length != 1 || (p[0] != 0 && p[0] != 1)) {
                        throw malformed(place, type);
                    }
                    return p[0] == 1;
                case DATE:
                    return LocalDate.ofEpochDay(fixedLong(p));
                case TIME: {
                    long micros = fixedLong(p);
                    if (micros < 0 || micros >= MICROS_PER_DAY) {
                        throw malformed(place, type);
                    }
                    return LocalTime.ofNanoOfDay(micros * 1000);
                }
                case TIMESTAMP:
                    return LocalDateTime.ofInstant(CanonicalTimes.fromMicros(fixedLong(p)), ZoneOffset.UTC);
                case TIMESTAMPTZ:
                    return OffsetDateTime.ofInstant(CanonicalTimes.fromMicros(fixedLong(p)), ZoneOffset.UTC);
                case UUID: {
                    if (p.length != 16) {
                        throw malformed(place, type);
                    }
                    ByteBuffer b = ByteBuffer.wrap(p);
                    return new UUID(b.getLong(), b.getLong());
                }
                default:
                    throw EnvelopeErrors.data("cannot decrypt " + place + ": unsupported declared type " + type);
            }
        } catch (CharacterCodingException | DateTimeException | ArithmeticException | NumberFormatException
                 | IllegalStateException e) {
            throw malformed(place, type);
        } catch (MalformedPlaintext e) {
            throw malformed(place, type);
        }
    }


    private static long fixedLong(byte[] p) throws MalformedPlaintext {
        if (p.length != 8) {
            throw new MalformedPlaintext();
        }
        long v = 0;
        for (byte b : p) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    private static SQLException doesNotFit(String place, PlaintextType type) {
        return EnvelopeErrors.data("cannot decrypt " + place + ": the stored value does not fit the declared type "
                + type.configName());
    }

    private static SQLException malformed(String place, PlaintextType type) {
        return EnvelopeErrors.data("cannot decrypt " + place + ": the authenticated plaintext is not a valid "
                + type.configName() + " encoding");
    }

    /** Internal signal; never escapes this class. */
    private static final class MalformedPlaintext extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedPlaintext() {
            super(null, null, false, false);
        }
    }
}
