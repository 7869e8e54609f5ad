package io.envelope.jdbc.conversion;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.PlaintextType;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * How pgJDBC describes a plaintext column or parameter of each §3 type (its type code, type name, Java class,
 * precision, scale, display size, signedness), so the wrapper's {@code ResultSetMetaData} and
 * {@code ParameterMetaData} describe an encrypted column as the target driver would its plaintext twin.
 */
public final class PlaintextDescriptions {

    private PlaintextDescriptions() {
    }

    /** pgJDBC reports {@code bool} as BIT and {@code timestamptz} as TIMESTAMP. */
    public static int sqlType(PlaintextType type) {
        return switch (type) {
            case BOOLEAN -> Types.BIT;
            case TIMESTAMPTZ -> Types.TIMESTAMP;
            default -> type.sqlType();
        };
    }

    public static String typeName(PlaintextType type) {
        return type.sqlTypeName();
    }

    public static String className(PlaintextType type) {
        return switch (type) {
            case TEXT -> String.class.getName();
            case BYTES -> byte[].class.getName();
            case SMALLINT, INT -> Integer.class.getName();
            case BIGINT -> Long.class.getName();
            case DECIMAL -> BigDecimal.class.getName();
            case DOUBLE -> Double.class.getName();
            case REAL -> Float.class.getName();
            case BOOLEAN -> Boolean.class.getName();
            case DATE -> Date.class.getName();
            case TIME -> Time.class.getName();
            case TIMESTAMP, TIMESTAMPTZ -> Timestamp.class.getName();
            case UUID -> java.util.UUID.class.getName();
        };
    }

    /** As pgJDBC for an unconstrained column of the type (text and bytea: unknown length). */
    public static int precision(ColumnConfig config) {
        return switch (config.type()) {
            case TEXT, BYTES -> Integer.MAX_VALUE;
            case DECIMAL -> config.precision() == null ? 0 : config.precision();
            case SMALLINT -> 5;
            case INT -> 10;
            case BIGINT -> 19;
            case DOUBLE -> 17;
            case REAL -> 8;
            case BOOLEAN -> 1;
            case DATE -> 13;
            case TIME -> 15;
            case TIMESTAMP -> 29;
            case TIMESTAMPTZ -> 35;
            case UUID -> 0;
        };
    }

    public static int scale(ColumnConfig config) {
        return switch (config.type()) {
            case DECIMAL -> config.scale();
            case DOUBLE -> 17;
            case REAL -> 8;
            case TIME, TIMESTAMP, TIMESTAMPTZ -> 6;
            default -> 0;
        };
    }

    public static int displaySize(ColumnConfig config) {
        return switch (config.type()) {
            case TEXT, BYTES -> Integer.MAX_VALUE;
            case DECIMAL -> config.precision() == null ? 131089 : config.precision() + 2;
            case SMALLINT -> 6;
            case INT -> 11;
            case BIGINT -> 20;
            case DOUBLE -> 25;
            case REAL -> 15;
            case BOOLEAN -> 1;
            case DATE -> 13;
            case TIME -> 15;
            case TIMESTAMP -> 29;
            case TIMESTAMPTZ -> 35;
            case UUID -> 36;
        };
    }

    public static boolean signed(PlaintextType type) {
        return switch (type) {
            case SMALLINT, INT, BIGINT, DECIMAL, DOUBLE, REAL -> true;
            default -> false;
        };
    }
}
