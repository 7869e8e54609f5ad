package io.envelope.jdbc.driver;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.conversion.PlaintextDescriptions;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.sql.ResultShape;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Describes an encrypted result column by its plaintext type (what the getters return), as pgJDBC describes a
 * plaintext column of that type, so frameworks that map columns by metadata see a {@code date} column as a date,
 * not as {@code bytea}. Other columns are the target's.
 */
final class EnvelopeResultSetMetaData extends DelegatingResultSetMetaData {

    private final ResultShape shape;
    private final PlaintextDescriptions descriptions;

    EnvelopeResultSetMetaData(ResultSetMetaData delegate, ResultShape shape, PlaintextDescriptions descriptions) {
        super(delegate);
        this.shape = shape;
        this.descriptions = descriptions;
    }

    private ColumnConfig encrypted(int column) {
        EncryptedColumn encrypted = shape.column(column);
        return encrypted == null ? null : encrypted.config();
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        ColumnConfig c = encrypted(column);
        return c == null ? delegate.getColumnType(column) : descriptions.sqlType(c.type());
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        ColumnConfig c = encrypted(column);
        return c == null ? delegate.getColumnTypeName(column) : descriptions.typeName(c.type());
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        ColumnConfig c = encrypted(column);
        return c == null ? delegate.getColumnClassName(column) : descriptions.className(c.type());
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        ColumnConfig c = encrypted(column);
        return c == null ? delegate.getPrecision(column) : descriptions.precision(c);
    }

    @Override
    public int getScale(int column) throws SQLException {
        ColumnConfig c = encrypted(column);
        return c == null ? delegate.getScale(column) : descriptions.scale(c);
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        ColumnConfig c = encrypted(column);
        return c == null ? delegate.getColumnDisplaySize(column) : descriptions.displaySize(c);
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        ColumnConfig c = encrypted(column);
        return c == null ? delegate.isSigned(column) : descriptions.signed(c.type());
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        ColumnConfig c = encrypted(column);
        // pgJDBC: text-like types are case sensitive, others not
        return c == null ? delegate.isCaseSensitive(column)
                : c.type() == io.envelope.jdbc.config.PlaintextType.TEXT;
    }
}
