package io.envelope.jdbc.driver;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.sql.ResultShape;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Describes an encrypted result column by its plaintext type (what the getters return), so frameworks that map
 * columns by metadata see a {@code date} column as a date, not as {@code bytea}. Other columns are the target's.
 */
final class EnvelopeResultSetMetaData extends DelegatingResultSetMetaData {

    private final ResultShape shape;

    EnvelopeResultSetMetaData(ResultSetMetaData delegate, ResultShape shape) {
        super(delegate);
        this.shape = shape;
    }

    private PlaintextType plaintextType(int column) {
        EncryptedColumn encrypted = shape.column(column);
        return encrypted == null ? null : encrypted.config().type();
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        PlaintextType type = plaintextType(column);
        return type == null ? delegate.getColumnType(column) : type.sqlType();
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        PlaintextType type = plaintextType(column);
        return type == null ? delegate.getColumnTypeName(column) : type.sqlTypeName();
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        PlaintextType type = plaintextType(column);
        if (type == null) {
            return delegate.getColumnClassName(column);
        }
        return switch (type) {
            case TEXT -> String.class.getName();
            case BYTES -> byte[].class.getName();
            case SMALLINT, INT -> Integer.class.getName();
            case BIGINT -> Long.class.getName();
            case DECIMAL -> java.math.BigDecimal.class.getName();
            case DOUBLE -> Double.class.getName();
            case REAL -> Float.class.getName();
            case BOOLEAN -> Boolean.class.getName();
            case DATE -> java.sql.Date.class.getName();
            case TIME -> java.sql.Time.class.getName();
            case TIMESTAMP, TIMESTAMPTZ -> java.sql.Timestamp.class.getName();
            case UUID -> java.util.UUID.class.getName();
        };
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        EncryptedColumn encrypted = shape.column(column);
        if (encrypted == null) {
            return delegate.getPrecision(column);
        }
        ColumnConfig config = encrypted.config();
        return switch (config.type()) {
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
            case UUID -> 36;
            default -> delegate.getPrecision(column);
        };
    }

    @Override
    public int getScale(int column) throws SQLException {
        EncryptedColumn encrypted = shape.column(column);
        if (encrypted == null) {
            return delegate.getScale(column);
        }
        ColumnConfig config = encrypted.config();
        return switch (config.type()) {
            case DECIMAL -> config.scale();
            case TIME, TIMESTAMP, TIMESTAMPTZ -> 6;
            default -> 0;
        };
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        PlaintextType type = plaintextType(column);
        if (type == null) {
            return delegate.isSigned(column);
        }
        return switch (type) {
            case SMALLINT, INT, BIGINT, DECIMAL, DOUBLE, REAL -> true;
            default -> false;
        };
    }
}
