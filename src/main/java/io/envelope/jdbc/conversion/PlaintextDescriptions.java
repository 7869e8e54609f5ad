package io.envelope.jdbc.conversion;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.PlaintextType;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * How the target driver describes a plaintext column or parameter of each declared type (its type code, type
 * name, Java class, precision, scale, display size, signedness), so the wrapper's {@code ResultSetMetaData} and
 * {@code ParameterMetaData} describe an encrypted column as the driver would its plaintext twin. A date-time is
 * described with microseconds (MariaDB's {@code TIME(6)}, {@code DATETIME(6)}), the precision values keep.
 */
public enum PlaintextDescriptions {

    /** As pgJDBC describes PostgreSQL's types (and, for want of another, what H2 gets). */
    PGJDBC,
    /** As MariaDB Connector/J describes MariaDB's types. */
    MARIADB_CONNECTOR_J,
    /** As MySQL Connector/J describes MySQL's (and MariaDB's) types. */
    MYSQL_CONNECTOR_J;

    /** The descriptions of the target driver: pgJDBC's, or for a MySQL-family dialect one of its two drivers'. */
    public static PlaintextDescriptions of(boolean mySqlFamily, boolean mySqlConnectorJ) {
        return !mySqlFamily ? PGJDBC : mySqlConnectorJ ? MYSQL_CONNECTOR_J : MARIADB_CONNECTOR_J;
    }

    /** Either MySQL-family driver: they agree on most descriptions. */
    private boolean mySqlFamily() {
        return this != PGJDBC;
    }

    /** pgJDBC reports {@code bool} as BIT and {@code timestamptz} as TIMESTAMP. */
    public int sqlType(PlaintextType type) {
        if (mySqlFamily()) {
            return switch (type) {
                case BYTES -> Types.VARBINARY;
                case DECIMAL -> Types.DECIMAL;
                case BOOLEAN -> this == MYSQL_CONNECTOR_J ? Types.BIT : Types.BOOLEAN;
                case TIMESTAMPTZ -> Types.TIMESTAMP;
                default -> type.sqlType();
            };
        }
        return switch (type) {
            case BOOLEAN -> Types.BIT;
            case TIMESTAMPTZ -> Types.TIMESTAMP;
            default -> type.sqlType();
        };
    }

    public String typeName(PlaintextType type) {
        if (mySqlFamily()) {
            return switch (type) {
                case TEXT -> "VARCHAR";
                case BYTES -> "VARBINARY";
                case INT -> this == MYSQL_CONNECTOR_J ? "INT" : "INTEGER";
                case BOOLEAN -> this == MYSQL_CONNECTOR_J ? "BIT" : "BOOLEAN";
                case REAL -> "FLOAT";
                case TIMESTAMP -> "DATETIME";
                case TIMESTAMPTZ -> "TIMESTAMP";
                case UUID -> "uuid";
                default -> type.name();
            };
        }
        return type.sqlTypeName();
    }

    public String className(PlaintextType type) {
        return switch (type) {
            case TEXT -> String.class.getName();
            case BYTES -> this == MARIADB_CONNECTOR_J ? "byte[]" : byte[].class.getName();
            case SMALLINT -> (this == MARIADB_CONNECTOR_J ? Short.class : Integer.class).getName();
            case INT -> Integer.class.getName();
            case BIGINT -> Long.class.getName();
            case DECIMAL -> BigDecimal.class.getName();
            case DOUBLE -> Double.class.getName();
            case REAL -> Float.class.getName();
            case BOOLEAN -> Boolean.class.getName();
            case DATE -> Date.class.getName();
            case TIME -> Time.class.getName();
            case TIMESTAMP -> (this == MYSQL_CONNECTOR_J ? java.time.LocalDateTime.class : Timestamp.class).getName();
            case TIMESTAMPTZ -> Timestamp.class.getName();
            case UUID -> java.util.UUID.class.getName();
        };
    }

    /** As the driver for an unconstrained column of the type (text and bytes: unknown length). */
    public int precision(ColumnConfig config) {
        boolean mariaDb = mySqlFamily();
        return switch (config.type()) {
            case TEXT, BYTES -> Integer.MAX_VALUE;
            case DECIMAL -> config.precision() == null ? (mariaDb ? 65 : 0) : config.precision();
            case SMALLINT -> 5;
            case INT -> 10;
            case BIGINT -> 19;
            case DOUBLE -> mariaDb ? 22 : 17;
            case REAL -> mariaDb ? 12 : 8;
            case BOOLEAN -> 1;
            case DATE -> mariaDb ? 10 : 13;
            case TIME -> mariaDb ? 17 : 15;
            case TIMESTAMP -> mariaDb ? 26 : 29;
            case TIMESTAMPTZ -> mariaDb ? 26 : 35;
            case UUID -> mariaDb ? 36 : 0;
        };
    }

    /** MySQL Connector/J gives a scale only to DECIMAL. */
    public int scale(ColumnConfig config) {
        boolean mariaDb = this == MARIADB_CONNECTOR_J;
        if (this == MYSQL_CONNECTOR_J) {
            return config.type() == PlaintextType.DECIMAL ? config.scale() : 0;
        }
        return switch (config.type()) {
            case DECIMAL -> config.scale();
            case DOUBLE -> mariaDb ? 31 : 17;
            case REAL -> mariaDb ? 31 : 8;
            case TIME, TIMESTAMP, TIMESTAMPTZ -> 6;
            default -> 0;
        };
    }

    public int displaySize(ColumnConfig config) {
        boolean mariaDb = mySqlFamily();
        return switch (config.type()) {
            case TEXT, BYTES -> Integer.MAX_VALUE;
            case DECIMAL -> config.precision() == null ? (mariaDb ? 67 : 131089) : config.precision() + 2;
            case SMALLINT -> 6;
            case INT -> 11;
            case BIGINT -> 20;
            case DOUBLE -> mariaDb ? 22 : 25;
            case REAL -> mariaDb ? 12 : 15;
            case BOOLEAN -> 1;
            case DATE -> mariaDb ? 10 : 13;
            case TIME -> mariaDb ? 17 : 15;
            case TIMESTAMP -> mariaDb ? 26 : 29;
            case TIMESTAMPTZ -> mariaDb ? 26 : 35;
            case UUID -> mariaDb ? 144 : 36;
        };
    }

    /** MariaDB Connector/J calls every type signed but TIMESTAMP and UUID; pgJDBC and MySQL Connector/J the numbers. */
    public boolean signed(PlaintextType type) {
        if (this == MARIADB_CONNECTOR_J) {
            return type != PlaintextType.TIMESTAMPTZ && type != PlaintextType.UUID;
        }
        return switch (type) {
            case SMALLINT, INT, BIGINT, DECIMAL, DOUBLE, REAL -> true;
            default -> false;
        };
    }
}
