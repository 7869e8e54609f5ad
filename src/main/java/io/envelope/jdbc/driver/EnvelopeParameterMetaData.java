package io.envelope.jdbc.driver;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.conversion.PlaintextDescriptions;
import io.envelope.jdbc.sql.ParameterTarget;
import io.envelope.jdbc.sql.StatementPlan;

import java.sql.ParameterMetaData;
import java.sql.SQLDataException;
import java.sql.SQLException;

/**
 * A prepared statement's parameter metadata where a parameter bound to an encrypted column is described by the
 * column's plaintext type (what the application binds), as pgJDBC describes a parameter of that type. The server
 * would say {@code bytea}/{@code text}; frameworks that ask before {@code setNull} (Spring's JdbcTemplate) or to
 * choose a setter then bind what the application meant. Other parameters are the target's own.
 */
final class EnvelopeParameterMetaData implements ParameterMetaData {

    private final ParameterMetaData delegate;
    private final StatementPlan plan;
    /** Where the application's parameters sit in the SQL sent (lookups may be widened), or null: same places. */
    private final StatementPlan.Rendered rendered;
    private final PlaintextDescriptions descriptions;

    EnvelopeParameterMetaData(ParameterMetaData delegate, StatementPlan plan, StatementPlan.Rendered rendered,
                              PlaintextDescriptions descriptions) {
        this.descriptions = descriptions;
        this.delegate = delegate;
        this.plan = plan;
        this.rendered = rendered;
    }

    private ColumnConfig encrypted(int param) {
        ParameterTarget target = plan.parameter(param);
        return target == null ? null : target.column().config();
    }

    /** The target statement's parameter that application parameter {@code param} is (the first, if widened). */
    private int target(int param) throws SQLException {
        if (rendered == null) {
            return param;
        }
        if (param < 1 || param > plan.parameterCount()) {
            throw new SQLDataException(io.envelope.jdbc.EnvelopeErrors.PREFIX + "parameter index "
                    + param + " is out of range: the statement has " + plan.parameterCount() + " parameters",
                    "22023");
        }
        return rendered.first(param);
    }

    /** The application's parameters, not the (possibly widened) ones of the SQL sent. */
    @Override
    public int getParameterCount() throws SQLException {
        return rendered == null ? delegate.getParameterCount() : plan.parameterCount();
    }

    @Override
    public int isNullable(int param) throws SQLException {
        return delegate.isNullable(target(param));
    }

    @Override
    public boolean isSigned(int param) throws SQLException {
        ColumnConfig c = encrypted(param);
        return c == null ? delegate.isSigned(target(param)) : descriptions.signed(c.type());
    }

    @Override
    public int getPrecision(int param) throws SQLException {
        ColumnConfig c = encrypted(param);
        return c == null ? delegate.getPrecision(target(param)) : descriptions.precision(c);
    }

    @Override
    public int getScale(int param) throws SQLException {
        ColumnConfig c = encrypted(param);
        return c == null ? delegate.getScale(target(param)) : descriptions.scale(c);
    }

    @Override
    public int getParameterType(int param) throws SQLException {
        ColumnConfig c = encrypted(param);
        return c == null ? delegate.getParameterType(target(param)) : descriptions.sqlType(c.type());
    }

    @Override
    public String getParameterTypeName(int param) throws SQLException {
        ColumnConfig c = encrypted(param);
        return c == null ? delegate.getParameterTypeName(target(param)) : descriptions.typeName(c.type());
    }

    @Override
    public String getParameterClassName(int param) throws SQLException {
        ColumnConfig c = encrypted(param);
        return c == null ? delegate.getParameterClassName(target(param)) : descriptions.className(c.type());
    }

    @Override
    public int getParameterMode(int param) throws SQLException {
        return delegate.getParameterMode(target(param));
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "EnvelopeParameterMetaData@" + Integer.toHexString(System.identityHashCode(this));
    }
}
