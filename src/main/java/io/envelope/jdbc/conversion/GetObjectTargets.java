package io.envelope.jdbc.conversion;

import io.envelope.jdbc.config.PlaintextType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Calendar;
import java.util.UUID;

/**
 * pgJDBC's table for {@code ResultSet.getObject(i, Class)}: which classes a column of each SQL type converts to.
 * pgJDBC checks it against the column's type before it looks at the value, so a class that does not fit is refused
 * even for NULL; {@link PlaintextGetters} does the same with this table.
 */
final class GetObjectTargets {

    private GetObjectTargets() {
    }

    /** Whether pgJDBC's {@code getObject(i, target)} converts a plaintext column of {@code type}. */
    static boolean converts(PlaintextType type, Class<?> target) {
        if (target == String.class) {
            return type == PlaintextType.TEXT;
        }
        if (target == BigDecimal.class) {
            return type == PlaintextType.DECIMAL;
        }
        if (target == Boolean.class) {
            return type == PlaintextType.BOOLEAN;
        }
        if (target == Short.class) {
            return type == PlaintextType.SMALLINT;
        }
        if (target == Integer.class) {
            return type == PlaintextType.INT || type == PlaintextType.SMALLINT;
        }
        if (target == Long.class || target == BigInteger.class) {
            return type == PlaintextType.BIGINT;
        }
        if (target == Float.class) {
            return type == PlaintextType.REAL;
        }
        if (target == Double.class) {
            return type == PlaintextType.DOUBLE;
        }
        if (target == byte[].class) {
            return type == PlaintextType.BYTES;
        }
        if (target == UUID.class) {
            return type == PlaintextType.UUID;
        }
        if (target == Date.class) {
            return type == PlaintextType.DATE;
        }
        if (target == Time.class || target == LocalTime.class) {
            return type == PlaintextType.TIME;
        }
        if (target == Timestamp.class || target == OffsetDateTime.class || target == Calendar.class) {
            return type == PlaintextType.TIMESTAMP || type == PlaintextType.TIMESTAMPTZ;
        }
        if (target == LocalDate.class) {
            return type == PlaintextType.DATE || type == PlaintextType.TIMESTAMP;
        }
        if (target == LocalDateTime.class) {
            return type == PlaintextType.TIMESTAMP;
        }
        return false;
    }
}
