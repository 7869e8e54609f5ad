package io.envelope.jdbc.conversion;

import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.SimpleTimeZone;
import java.util.TimeZone;

/**
 * pgJDBC's conversions between {@code java.sql.Date/Time/Timestamp} and the date/time fields it sends or reads,
 * which it does with a {@link GregorianCalendar} in the JVM's zone or the zone of a Calendar the application
 * passes: so dates before the Gregorian reform of 1582 have Julian fields, a local time in a DST gap or overlap
 * is resolved as {@code GregorianCalendar} resolves it, and offsets are those of the JVM's (legacy) time zone
 * data. The server reads the fields as proleptic Gregorian. Reproducing the same steps gives the values pgJDBC
 * gives on a plaintext column.
 */
public final class PgJdbcCalendar {

    private PgJdbcCalendar() {
    }

    /**
     * What pgJDBC sends for a {@code java.sql} value: date fields, time fields (microseconds, rounded half up from
     * a Timestamp's nanoseconds), and the zone offset in seconds at that instant.
     */
    public record Sent(LocalDate date, LocalTime time, int offsetSeconds) {
    }

    private static GregorianCalendar calendar(TimeZone zone) {
        GregorianCalendar c = new GregorianCalendar(zone == null ? TimeZone.getDefault() : zone);
        c.setLenient(true);
        return c;
    }

    /** The fields pgJDBC sends for a Date, Time or Timestamp in {@code zone} (the JVM's zone when null). */
    public static Sent sent(java.util.Date value, TimeZone zone) {
        long millis = value.getTime();
        int nanos = -1;
        if (value instanceof Timestamp ts) {
            nanos = ts.getNanos();
            if (nanos >= 999_999_500) { // rounds to the next second, as pgJDBC does before taking the fields
                nanos = 0;
                millis = Math.floorDiv(millis, 1000L) * 1000L + 1000L;
            } else if (nanos % 1000 >= 500) {
                nanos += 1000 - nanos % 1000;
            }
        }
        GregorianCalendar c = calendar(zone);
        c.setTimeInMillis(millis);
        LocalDate date = fieldsDate(c);
        int nanoOfSecond = nanos >= 0 ? nanos - nanos % 1000 : c.get(Calendar.MILLISECOND) * 1_000_000;
        LocalTime time = LocalTime.of(c.get(Calendar.HOUR_OF_DAY), c.get(Calendar.MINUTE), c.get(Calendar.SECOND),
                nanoOfSecond);
        int offset = (c.get(Calendar.ZONE_OFFSET) + c.get(Calendar.DST_OFFSET)) / 1000;
        return new Sent(date, time, offset);
    }

    private static LocalDate fieldsDate(GregorianCalendar c) {
        int year = c.get(Calendar.YEAR);
        if (c.get(Calendar.ERA) == GregorianCalendar.BC) {
            year = 1 - year;
        }
        return LocalDate.of(year, c.get(Calendar.MONTH) + 1, c.get(Calendar.DAY_OF_MONTH));
    }

    /** The instant (milliseconds) of date/time fields read in {@code zone}, as pgJDBC computes it for a getter. */
    public static long millis(LocalDate date, LocalTime time, TimeZone zone) {
        GregorianCalendar c = calendar(zone);
        c.clear();
        int year = date.getYear();
        c.set(Calendar.ERA, year <= 0 ? GregorianCalendar.BC : GregorianCalendar.AD);
        c.set(Calendar.YEAR, year <= 0 ? 1 - year : year);
        c.set(Calendar.MONTH, date.getMonthValue() - 1);
        c.set(Calendar.DAY_OF_MONTH, date.getDayOfMonth());
        c.set(Calendar.HOUR_OF_DAY, time.getHour());
        c.set(Calendar.MINUTE, time.getMinute());
        c.set(Calendar.SECOND, time.getSecond());
        c.set(Calendar.MILLISECOND, 0);
        return c.getTimeInMillis();
    }

    /** getTimestamp of a timestamp value, in {@code zone} (the JVM's when null). */
    public static Timestamp timestamp(LocalDateTime local, TimeZone zone) {
        if (zone == null && local.getYear() > 0) {
            return Timestamp.valueOf(local); // the same fields in the JVM's zone and calendar, without a Calendar
        }
        Timestamp ts = new Timestamp(millis(local.toLocalDate(), local.toLocalTime(), zone));
        ts.setNanos(local.getNano());
        return ts;
    }

    /** getDate of a date (or timestamp) value, in {@code zone} (the JVM's when null): midnight of its date there. */
    public static Date date(LocalDate date, TimeZone zone) {
        if (zone == null && date.getYear() > 0) {
            return Date.valueOf(date);
        }
        return new Date(millis(date, LocalTime.MIDNIGHT, zone));
    }

    /**
     * getDate of a timestamp value, in {@code zone}: pgJDBC first takes the timestamp's instant there (a time in a
     * DST gap moves forward, possibly into the next day), then midnight of that instant's day.
     */
    public static Date dateOfTimestamp(LocalDateTime local, TimeZone zone) {
        long millis = millis(local.toLocalDate(), local.toLocalTime(), zone) + local.getNano() / 1_000_000;
        return dateOfInstant(millis, zone);
    }

    /** getDate of an instant (timestamptz), in {@code zone}: midnight of the day it falls on there. */
    public static Date dateOfInstant(long millis, TimeZone zone) {
        GregorianCalendar c = calendar(zone);
        c.setTimeInMillis(millis);
        c.set(Calendar.HOUR_OF_DAY, 0);
        c.set(Calendar.MINUTE, 0);
        c.set(Calendar.SECOND, 0);
        c.set(Calendar.MILLISECOND, 0);
        return new Date(c.getTimeInMillis());
    }

    /**
     * getTime of a timestamp value, in {@code zone}: the instant of its fields there, moved to 1970-01-01 with the
     * same time of day (a time in a DST gap is first resolved on its own date); a value in 1970 is left as it is.
     */
    public static Time timeOfTimestamp(LocalDateTime local, TimeZone zone) {
        long millis = millis(local.toLocalDate(), local.toLocalTime(), zone) + local.getNano() / 1_000_000;
        if (local.getYear() == 1970) {
            return new Time(millis); // pgJDBC leaves a value of 1970 as it is (even on another day of the year)
        }
        GregorianCalendar c = calendar(zone);
        c.setTimeInMillis(millis);
        c.set(Calendar.ERA, GregorianCalendar.AD);
        c.set(Calendar.YEAR, 1970);
        c.set(Calendar.MONTH, Calendar.JANUARY);
        c.set(Calendar.DAY_OF_MONTH, 1);
        return new Time(c.getTimeInMillis());
    }

    /** getTime of a time value, in {@code zone}: its time of day on 1970-01-01 there. */
    public static Time time(LocalTime time, TimeZone zone) {
        return new Time(millis(LocalDate.of(1970, 1, 1), time, zone) + time.getNano() / 1_000_000);
    }

    /** Milliseconds since the epoch of 1582-10-15 (the Gregorian reform), with two days to spare for offsets. */
    private static final long GREGORIAN_SAFE_MILLIS = -12_219_292_800_000L + 2 * 86_400_000L;

    /**
     * The milliseconds pgJDBC's getTimestamp gives for a timestamptz: it reads the server's text (the local date
     * and time in the session zone, and that offset) with a GregorianCalendar, so before 1582 the proleptic
     * Gregorian fields the server prints are taken as Julian ones. After that it is the instant itself.
     */
    public static long timestamptzMillis(Instant instant, SessionZone session) throws SQLException {
        long millis = instant.toEpochMilli();
        if (millis > GREGORIAN_SAFE_MILLIS) {
            return millis;
        }
        ZonedDateTime local = instant.atZone(session.zone());
        TimeZone fixed = new SimpleTimeZone(local.getOffset().getTotalSeconds() * 1000, "text offset");
        return millis(local.toLocalDate(), local.toLocalTime(), fixed) + local.getNano() / 1_000_000;
    }

    /**
     * What the server stores for a Timestamp sent to a timestamptz column: pgJDBC's fields in {@code zone} at their
     * offset, read as proleptic Gregorian (before 1582 this is not the Timestamp's own instant).
     */
    public static OffsetDateTime timestamptzOf(Timestamp value, TimeZone zone) {
        if (value.getTime() > GREGORIAN_SAFE_MILLIS) {
            return value.toInstant().atOffset(ZoneOffset.UTC);
        }
        Sent sent = sent(value, zone);
        return OffsetDateTime.of(sent.date(), sent.time(), ZoneOffset.ofTotalSeconds(sent.offsetSeconds()));
    }

    /**
     * getTime of a timestamptz value: pgJDBC reads the server's text (the time of day in the session zone, with
     * that offset) and puts the time of day on 1970-01-01 at that offset; the Calendar plays no part.
     */
    public static Time timeOfText(LocalTime sessionTime, int offsetSeconds) {
        long millis = sessionTime.toSecondOfDay() * 1000L - offsetSeconds * 1000L + sessionTime.getNano() / 1_000_000;
        return new Time(millis);
    }
}
