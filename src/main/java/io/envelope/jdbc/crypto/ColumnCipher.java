package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;

import java.sql.SQLException;

/**
 * Encrypts and decrypts the values of one configured column (contract §5). Thread-safe; one per column,
 * shared by every connection of a runtime.
 *
 * <p>API skeleton: implemented by the crypto work (see docs/format.md).
 */
public final class ColumnCipher {

    private final String tableIdentity;
    private final String columnName;
    private final ColumnConfig config;
    private final int minFormatVersion;

    /**
     * @param tableIdentity    {@code schema.table}, bound into every value's AAD
     * @param columnName       the column name as the catalog spells it, bound into every value's AAD
     * @param config           mode, plaintext type, scale/precision, pad
     * @param minFormatVersion stored values of an older format version are refused
     */
    public ColumnCipher(String tableIdentity, String columnName, ColumnConfig config, int minFormatVersion) {
        this.tableIdentity = tableIdentity;
        this.columnName = columnName;
        this.config = config;
        this.minFormatVersion = minFormatVersion;
    }

    public ColumnConfig config() {
        return config;
    }

    /**
     * Canonicalises a non-null Java value to the column's plaintext type and encrypts it under {@code key}.
     *
     * @return the stored value's bytes (the caller base64-encodes them for a character column)
     */
    public byte[] encrypt(Object value, DataKey key) throws SQLException {
        throw new UnsupportedOperationException("implemented by the crypto work");
    }

    /** Whether the bytes are in envelope format (a known format version and a well-formed header). */
    public boolean isEnvelopeFormat(byte[] stored) {
        throw new UnsupportedOperationException("implemented by the crypto work");
    }

    /** The data key version a stored value names in its header. */
    public int keyVersionOf(byte[] stored) throws SQLException {
        throw new UnsupportedOperationException("implemented by the crypto work");
    }

    /** Authenticates and decrypts a stored value; returns the canonical Java value of the plaintext type. */
    public Object decrypt(byte[] stored, DataKey key) throws SQLException {
        throw new UnsupportedOperationException("implemented by the crypto work");
    }
}
