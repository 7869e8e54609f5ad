package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.RefusalReason;
import io.envelope.jdbc.SqlState;
import io.envelope.jdbc.conversion.PlaintextGetters;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.sql.ResultShape;

import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Map;

/**
 * A result set whose encrypted columns (as the statement's analysis found them) are decrypted for every getter,
 * by index and by label; other columns are the target's own. Values are decrypted when a getter asks, row by row,
 * so a streamed result ({@code setFetchSize}) stays streamed.
 */
public final class EnvelopeResultSet extends DelegatingResultSet {

    private final Statement statement;
    private final ResultShape shape;
    private final ColumnValues values;
    /** Per result position: how to answer getters for that encrypted column (built on first use). */
    private PlaintextGetters[] getters;
    /** Per result position: how the encrypted column there is stored (checked against the result's metadata). */
    private ColumnStorage[] storages;
    /** Plaintext positions labelled like an encrypted column: their values are checked (see ResultCheck). */
    private final EncryptedColumn[] lookalikes;
    /** Told when a lookalike position turns out to hold ciphertext: the tables' definitions changed. */
    private final Runnable staleSeen;
    /**
     * Per result position: the current row's decrypted value, so that a column read twice (getObject then getString,
     * a framework reading it again) is decrypted once; null when not read yet in this row. Neither byte arrays (the
     * application may change the one it got) nor NULLs (nothing to decrypt) are kept.
     */
    private Object[] decrypted;
    /** Whether {@link #decrypted} holds anything to forget when the cursor leaves the row. */
    private boolean rowKept;
    /** The last getter answered from {@link #decrypted} without reading the target, so it was not NULL. */
    private boolean lastFromRow;

    EnvelopeResultSet(Statement statement, ResultSet delegate, ResultShape shape, ColumnValues values) {
        this(statement, delegate, shape, values, null, null);
    }

    EnvelopeResultSet(Statement statement, ResultSet delegate, ResultShape shape, ColumnValues values,
                      EncryptedColumn[] lookalikes, Runnable staleSeen) {
        super(delegate);
        this.statement = statement;
        this.shape = shape;
        this.values = values;
        this.lookalikes = lookalikes;
        this.staleSeen = staleSeen;
    }

    // ---- the decryption path ------------------------------------------------------------------------------------

    /** The getters of the encrypted column at this position, or null when the column is not encrypted. */
    private PlaintextGetters encrypted(int columnIndex) throws SQLException {
        lastFromRow = false; // every getter by index starts here
        EncryptedColumn column = shape.column(columnIndex);
        if (column == null) {
            if (lookalikes != null) {
                refuseCiphertextAsData(columnIndex);
            }
            return null;
        }
        if (getters == null) {
            checkWidth();
            int width = Math.max(shape.columnCount(), columnIndex);
            getters = new PlaintextGetters[width];
            storages = new ColumnStorage[width];
            decrypted = new Object[width];
        }
        if (columnIndex > getters.length) {
            getters = Arrays.copyOf(getters, columnIndex);
            storages = Arrays.copyOf(storages, columnIndex);
            decrypted = Arrays.copyOf(decrypted, columnIndex);
        }
        PlaintextGetters g = getters[columnIndex - 1];
        if (g == null) {
            g = values.getters(column);
            storages[columnIndex - 1] = values.storage(column);
            getters[columnIndex - 1] = g;
        }
        return g;
    }

    /**
     * A position the analysis marks plaintext but the database labels like an encrypted column: its value must not
     * be ciphertext, which would mean a table changed in a way the result's metadata could not show.
     */
    private void refuseCiphertextAsData(int columnIndex) throws SQLException {
        EncryptedColumn like = columnIndex >= 1 && columnIndex <= lookalikes.length ? lookalikes[columnIndex - 1] : null;
        if (like != null && ResultCheck.holdsEnvelopeValue(delegate, columnIndex, like)) {
            if (staleSeen != null) {
                staleSeen.run();
            }
            throw EnvelopeErrors.data("result column " + columnIndex + " holds a value in envelope format where "
                    + "the analysis of the statement expected plaintext (it is labelled like encrypted column "
                    + like.qualifiedName() + "): a table changed since envelope-jdbc read it, so the value is not "
                    + "returned. Run the statement again");
        }
    }

    /** Fails closed when the real result is not as wide as the analysis expected (a table changed under us). */
    private void checkWidth() throws SQLException {
        int expected = shape.columnCount();
        if (expected >= 0) {
            int actual = delegate.getMetaData().getColumnCount();
            if (actual != expected) {
                throw EnvelopeErrors.refused(RefusalReason.SCHEMA_CHANGED,
                        "the result has " + actual + " columns where the analysis of the"
                        + " statement expected " + expected + "; the table definition changed since it was read."
                        + " Run the statement again: envelope-jdbc reads the new definition");
            }
        }
    }

    /** The decrypted value at a position {@link #encrypted} found encrypted. */
    private Object plaintext(int columnIndex) throws SQLException {
        int i = columnIndex - 1;
        Object kept = decrypted[i];
        if (kept != null) {
            lastFromRow = true;
            return kept;
        }
        Object value = values.read(delegate, columnIndex, shape.column(columnIndex), storages[i]);
        if (value != null && !(value instanceof byte[])) {
            decrypted[i] = value;
            rowKept = true;
        }
        return value;
    }

    @Override
    public boolean wasNull() throws SQLException {
        return !lastFromRow && delegate.wasNull();
    }

    /** The row's decrypted values are no longer the current row's: forgotten (and not kept past close). */
    @Override
    protected void leavingRow() {
        if (rowKept) {
            Arrays.fill(decrypted, null);
            rowKept = false;
        }
    }

    // ---- getters by index ---------------------------------------------------------------------------------------

    @Override
    public String getString(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getString(columnIndex) : g.getString(plaintext(columnIndex));
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        if (encrypted(columnIndex) == null) {
            return delegate.getNString(columnIndex);
        }
        throw notImplementedByTarget("getNString", columnIndex);
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getBoolean(columnIndex) : g.getBoolean(plaintext(columnIndex));
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getByte(columnIndex) : g.getByte(plaintext(columnIndex));
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getShort(columnIndex)
                : (short) g.getLong(plaintext(columnIndex), Short.MIN_VALUE, Short.MAX_VALUE, "short");
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getInt(columnIndex)
                : (int) g.getLong(plaintext(columnIndex), Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getLong(columnIndex)
                : g.getLong(plaintext(columnIndex), Long.MIN_VALUE, Long.MAX_VALUE, "long");
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getFloat(columnIndex) : g.getFloat(plaintext(columnIndex));
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getDouble(columnIndex) : g.getDouble(plaintext(columnIndex));
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getBigDecimal(columnIndex) : g.getBigDecimal(plaintext(columnIndex));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        if (g == null) {
            return delegate.getBigDecimal(columnIndex, scale);
        }
        BigDecimal value = g.getBigDecimal(plaintext(columnIndex));
        return value == null ? null : value.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getBytes(columnIndex) : g.getBytes(plaintext(columnIndex));
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getDate(columnIndex) : g.getDate(plaintext(columnIndex), null);
    }

    @Override
    public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getDate(columnIndex, cal) : g.getDate(plaintext(columnIndex), cal);
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getTime(columnIndex) : g.getTime(plaintext(columnIndex), null);
    }

    @Override
    public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getTime(columnIndex, cal) : g.getTime(plaintext(columnIndex), cal);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getTimestamp(columnIndex) : g.getTimestamp(plaintext(columnIndex), null);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getTimestamp(columnIndex, cal) : g.getTimestamp(plaintext(columnIndex), cal);
    }

    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getAsciiStream(columnIndex) : g.getAsciiStream(plaintext(columnIndex));
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        if (g == null) {
            return delegate.getUnicodeStream(columnIndex);
        }
        String text = g.getString(plaintext(columnIndex));
        return text == null ? null
                : new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_16BE));
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getBinaryStream(columnIndex) : g.getBinaryStream(plaintext(columnIndex));
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getCharacterStream(columnIndex) : g.getCharacterStream(plaintext(columnIndex));
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        if (encrypted(columnIndex) == null) {
            return delegate.getNCharacterStream(columnIndex);
        }
        throw notImplementedByTarget("getNCharacterStream", columnIndex);
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getObject(columnIndex) : g.getObject(plaintext(columnIndex));
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getObject(columnIndex, map) : g.getObject(plaintext(columnIndex));
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        return g == null ? delegate.getObject(columnIndex, type) : g.getObject(plaintext(columnIndex), type);
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        if (g == null) {
            return delegate.getBlob(columnIndex);
        }
        byte[] bytes = g.getBytes(plaintext(columnIndex));
        return bytes == null ? null : new SerialBlob(bytes);
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        if (g == null) {
            return delegate.getClob(columnIndex);
        }
        String text = g.getString(plaintext(columnIndex));
        return text == null ? null : new SerialClob(text.toCharArray());
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        if (encrypted(columnIndex) == null) {
            return delegate.getNClob(columnIndex);
        }
        throw notImplementedByTarget("getNClob", columnIndex);
    }

    /**
     * The national-character getters, which pgJDBC does not implement: an encrypted column answers as a plaintext
     * column would, with {@link SQLFeatureNotSupportedException}.
     */
    private SQLException notImplementedByTarget(String getter, int columnIndex) {
        return new SQLFeatureNotSupportedException(EnvelopeErrors.PREFIX + getter + " on encrypted column "
                + shape.column(columnIndex).qualifiedName() + " is not supported (nor is it for a plaintext column"
                + " by the target driver); use getString, getCharacterStream or getClob", SqlState.REFUSED.code());
    }

    @Override
    public URL getURL(int columnIndex) throws SQLException {
        PlaintextGetters g = encrypted(columnIndex);
        if (g == null) {
            return delegate.getURL(columnIndex);
        }
        String text = g.getString(plaintext(columnIndex));
        try {
            return text == null ? null : new URL(text);
        } catch (MalformedURLException e) {
            throw EnvelopeErrors.data("the value of " + shape.column(columnIndex).qualifiedName()
                    + " is not a URL");
        }
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        refuseStructured(columnIndex, "Array");
        return delegate.getArray(columnIndex);
    }

    @Override
    public Ref getRef(int columnIndex) throws SQLException {
        refuseStructured(columnIndex, "Ref");
        return delegate.getRef(columnIndex);
    }

    @Override
    public RowId getRowId(int columnIndex) throws SQLException {
        refuseStructured(columnIndex, "RowId");
        return delegate.getRowId(columnIndex);
    }

    @Override
    public SQLXML getSQLXML(int columnIndex) throws SQLException {
        refuseStructured(columnIndex, "SQLXML");
        return delegate.getSQLXML(columnIndex);
    }

    private void refuseStructured(int columnIndex, String what) throws SQLException {
        if (encrypted(columnIndex) != null) {
            throw EnvelopeErrors.data("the value of " + shape.column(columnIndex).qualifiedName()
                    + " cannot be converted to " + what);
        }
    }

    // ---- getters by label: the generated layer sends them through findColumn and the getters above ----------

    @Override
    protected boolean answersByIndex() {
        return shape.hasEncryptedColumns();
    }

    // ---- the rest -----------------------------------------------------------------------------------------------

    /** Updatable result sets write through the target driver; for encrypted columns that would write plaintext. */
    @Override
    protected void beforeUpdate(int column) throws SQLException {
        EncryptedColumn encrypted = shape.column(column);
        if (encrypted != null) {
            throw EnvelopeErrors.refused(RefusalReason.NOT_SUPPORTED,
                    "updating encrypted column " + encrypted.qualifiedName()
                    + " through an updatable ResultSet is not supported; use an UPDATE PreparedStatement");
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return new EnvelopeResultSetMetaData(delegate.getMetaData(), shape, values.descriptions());
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public String toString() {
        return "EnvelopeResultSet@" + Integer.toHexString(System.identityHashCode(this));
    }
}
