package io.envelope.jdbc.crypto;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.ColumnConfig;

import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * The date and time part of the canonical encodings (docs/format.md, "Canonical encodings"): what an application
 * may bind for a date, time, timestamp or timestamptz column, and the microseconds (rounded as PostgreSQL rounds) or
 * days each is stored as.
 */
final class CanonicalTimes {

    private CanonicalTimes() {
    }

    static LocalDate date(Object value, ColumnConfig cfg, String place) throws SQLException {
        if (value instanceof LocalDate) {
            return (LocalDate) value;
        }
        if (value instanceof Date) {
            return ((Date) value).toLocalDate();
        }
        if (value instanceof String) {
            try {
                return LocalDate.parse(((String) value).trim());
            } catch (DateTimeException e) {
                throw Canonical.unparsable(cfg, place);
            }
        }
        throw Canonical.wrongClass(value, cfg, place);
    }

    static LocalTime time(Object value, ColumnConfig cfg, String place) throws SQLException {
        if (value instanceof LocalTime) {
            return (LocalTime) value;
        }
        if (value instanceof Time) {
            Time t = (Time) value;
            // toLocalTime() drops the milliseconds a java.sql.Time may carry; keep them.
            return t.toLocalTime().plusNanos(Math.floorMod(t.getTime(), 1000L) * 1_000_000L);
        }
        if (value instanceof String) {
            try {
                return LocalTime.parse(((String) value).trim());
            } catch (DateTimeException e) {
                throw Canonical.unparsable(cfg, place);
            }
        }
        throw Canonical.wrongClass(value, cfg, place);
    }

    static LocalDateTime timestamp(Object value, ColumnConfig cfg, String place) throws SQLException {
        if (value instanceof LocalDateTime) {
            return (LocalDateTime) value;
        }
        if (value instanceof Timestamp) {
            return ((Timestamp) value).toLocalDateTime();
        }
        if (value instanceof String) {
            try {
                return LocalDateTime.parse(isoSeparator(((String) value).trim()));
            } catch (DateTimeException e) {
                throw Canonical.unparsable(cfg, place);
            }
        }
        throw Canonical.wrongClass(value, cfg, place);
    }

    static Instant instant(Object value, ColumnConfig cfg, String place) throws SQLException {
        if (value instanceof OffsetDateTime) {
            return ((OffsetDateTime) value).toInstant();
        }
        if (value instanceof ZonedDateTime) {
            return ((ZonedDateTime) value).toInstant();
        }
        if (value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof Timestamp) {
            return ((Timestamp) value).toInstant();
        }
        if (value instanceof String) {
            try {
                return OffsetDateTime.parse(isoSeparator(((String) value).trim())).toInstant();
            } catch (DateTimeException e) {
                throw Canonical.unparsable(cfg, place);
            }
        }
        throw Canonical.wrongClass(value, cfg, place);
    }

    /** Accepts SQL's "2024-01-02 10:00:00" beside ISO's "2024-01-02T10:00:00". */
    private static String isoSeparator(String s) {
        return s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
    }

    /**
     * The microseconds of a fraction of a second of {@code nanos} nanoseconds, rounded as the value would be
     * rounded on its way into a PostgreSQL column, so that values PostgreSQL stores alike encode alike (see
     * docs/format.md §4): text is PostgreSQL's own input, which computes {@code rint(fraction × 10^6)} in binary64
     * (half to even on the double product, so {@code .0000025} gives 2 µs and {@code .0009995} 1000 µs); a Java
     * date/time value is rounded half up at 500 ns by pgJDBC before it is sent. May return 1,000,000 (the next
     * second).
     */
    static long roundedMicros(int nanos, boolean fromText) {
        if (fromText) {
            return (long) Math.rint((nanos / 1e9) * 1e6);
        }
        return nanos / 1000L + (nanos % 1000 >= 500 ? 1 : 0);
    }

    static long timeMicros(Object value, ColumnConfig cfg, String place) throws SQLException {
        LocalTime t = time(value, cfg, place);
        long micros = t.toSecondOfDay() * 1_000_000L + roundedMicros(t.getNano(), value instanceof String);
        if (micros >= Canonical.MICROS_PER_DAY) {
            // PostgreSQL would store 24:00:00, which no LocalTime can hold
            throw EnvelopeErrors.data("cannot encrypt a value for " + place + ": it rounds to 24:00:00 at "
                    + "microsecond precision, which envelope-jdbc does not store for declared type time");
        }
        return micros;
    }

    static long micros(Instant i, boolean fromText, ColumnConfig cfg, String place) throws SQLException {
        try {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L),
                    roundedMicros(i.getNano(), fromText));
        } catch (ArithmeticException e) {
            throw EnvelopeErrors.data("cannot encrypt a value for " + place + ": out of range for declared type "
                    + cfg.type().configName());
        }
    }

    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
