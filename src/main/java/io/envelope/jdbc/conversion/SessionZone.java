package io.envelope.jdbc.conversion;

import io.envelope.jdbc.EnvelopeErrors;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time zone of the database session ({@code TimeZone}), in which the server converts between timestamp and
 * timestamptz, dates and instants, and prints a timestamptz as text. The wrapper does those conversions itself for
 * encrypted columns (the server sees only ciphertext), so it must use the session's zone, not the JVM's: pgJDBC
 * sets the session to the JVM's zone at connect, but {@code SET TIME ZONE} (e.g. a pool's {@code connectionInitSql})
 * changes it. PostgreSQL reports every change to the client (a ParameterStatus message, which pgJDBC keeps in
 * {@code PGConnection#getParameterStatus}), so reading it costs a map lookup and no round trip. On a target that
 * reports no session zone (H2) the JVM's zone is used, as there.
 */
public final class SessionZone {

    /** PostgreSQL's numeric zones: {@code <+03>-03} (what SET TIME ZONE 3 reports), {@code UTC+3}, {@code +3}. */
    private static final Pattern POSIX_OFFSET = Pattern.compile(
            "(?:<[^>]*>|[A-Za-z]{3,})?([+-]?)(\\d{1,2})(?::(\\d{2}))?(?::(\\d{2}))?");

    private final MethodHandle parameterStatus; // bound to the target connection; null: not PostgreSQL
    private String lastName;
    private ZoneId lastZone;

    private SessionZone(MethodHandle parameterStatus) {
        this.parameterStatus = parameterStatus;
    }

    /** The session zone of {@code target}: read from pgJDBC's parameter status where the target has it. */
    public static SessionZone of(Connection target) {
        try {
            Class<?> pgConnection = Class.forName("org.postgresql.PGConnection", false, target.getClass().getClassLoader());
            if (target.isWrapperFor(pgConnection)) {
                Object pg = target.unwrap(pgConnection);
                MethodHandle handle = MethodHandles.publicLookup().findVirtual(pgConnection, "getParameterStatus",
                        MethodType.methodType(String.class, String.class)).bindTo(pg);
                return new SessionZone(handle);
            }
        } catch (ReflectiveOperationException | SQLException | LinkageError notPgJdbc) {
            // another driver: the JVM's zone
        }
        return new SessionZone(null);
    }

    /** The JVM's zone, for tests and targets without a reported session zone. */
    public static SessionZone jvm() {
        return new SessionZone(null);
    }

    /** The session's zone now. */
    public ZoneId zone() throws SQLException {
        if (parameterStatus == null) {
            return ZoneId.systemDefault();
        }
        String name;
        try {
            name = (String) parameterStatus.invokeExact("TimeZone");
        } catch (Throwable e) {
            throw EnvelopeErrors.config("cannot read the session time zone from the target connection: " + e);
        }
        if (name == null) {
            return ZoneId.systemDefault();
        }
        synchronized (this) {
            if (!name.equals(lastName)) {
                lastZone = parse(name);
                lastName = name;
            }
            return lastZone;
        }
    }

    /**
     * A PostgreSQL time zone setting as a Java zone. A POSIX-style offset counts west of Greenwich as positive
     * ({@code UTC+3} is three hours behind UTC), as PostgreSQL reads it. Fails closed on a name the JVM's time
     * zone database does not know.
     */
    public static ZoneId parse(String name) throws SQLException {
        String trimmed = name.trim();
        Matcher m = POSIX_OFFSET.matcher(trimmed);
        if (m.matches()) {
            int seconds = Integer.parseInt(m.group(2)) * 3600
                    + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)) * 60)
                    + (m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
            return ZoneOffset.ofTotalSeconds("-".equals(m.group(1)) ? seconds : -seconds);
        }
        try {
            return ZoneId.of(trimmed);
        } catch (DateTimeException unknown) {
            throw EnvelopeErrors.config("the session time zone '" + trimmed + "' is not known to the JVM's time "
                    + "zone database, so envelope-jdbc cannot convert date/time values of encrypted columns in it; "
                    + "set a region name (SET TIME ZONE 'Europe/Berlin') or an offset");
        }
    }

    /**
     * A timestamp (local date-time) in {@code zone} as PostgreSQL reads it: a local time skipped by a transition
     * (a gap) takes the offset before it; one that occurs twice (an overlap) the offset after it.
     */
    public static OffsetDateTime atZone(LocalDateTime local, ZoneId zone) {
        return ZonedDateTime.ofLocal(local, zone, null).withLaterOffsetAtOverlap().toOffsetDateTime();
    }
}
