package io.envelope.jdbc.schema;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.crypto.ColumnCipher;

/**
 * One configured column resolved against a database: its table identity, its name as the database spells it,
 * its settings, and the cipher that encrypts and decrypts its values (one per column, shared by all
 * connections of a runtime).
 */
public final class EncryptedColumn {

    private final EncryptedTable table;
    private final String name;
    private final ColumnConfig config;
    private final ColumnCipher cipher;

    EncryptedColumn(EncryptedTable table, String name, ColumnConfig config, int minFormatVersion) {
        this.table = table;
        this.name = name;
        this.config = config;
        this.cipher = new ColumnCipher(table.identity(), name, config, minFormatVersion);
    }

    public EncryptedTable table() {
        return table;
    }

    /** The column name as the database's catalog spells it (folded), used in the AAD. */
    public String name() {
        return name;
    }

    public ColumnConfig config() {
        return config;
    }

    public EncryptionMode mode() {
        return config.mode();
    }

    public ColumnCipher cipher() {
        return cipher;
    }

    /** {@code schema.table.column}, for messages. */
    public String qualifiedName() {
        return table.identity() + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName() + " (" + config.mode().configName() + ", " + config.type().configName() + ")";
    }
}
