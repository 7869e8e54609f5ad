package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;

import java.util.HexFormat;

/** Shared test data: a fixed data key, fixed salts and column configs. */
final class Fixtures {

    static final String TABLE = "public.customers";
    static final HexFormat HEX = HexFormat.of();

    /** Data key 00 01 02 ... 1f. */
    static byte[] keyBytes() {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) i;
        }
        return k;
    }

    static DataKey key() {
        return new DataKey(TABLE, 1, keyBytes());
    }

    static DataKey key(String table, int version) {
        return new DataKey(table, version, keyBytes());
    }

    /** Salt a0 a1 ... af for the first writer generation, b0 ... bf for the second, and so on. */
    static ColumnCipher.SaltSource fixedSalts() {
        int[] generation = {0};
        return out -> {
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (0xa0 + 0x10 * generation[0] + i);
            }
            generation[0]++;
        };
    }

    static ColumnConfig column(String name, EncryptionMode mode, PlaintextType type) {
        return new ColumnConfig(name, mode, type, null, null, 0, false);
    }

    static ColumnConfig decimal(String name, EncryptionMode mode, int scale, Integer precision) {
        return new ColumnConfig(name, mode, PlaintextType.DECIMAL, scale, precision, 0, false);
    }

    static ColumnConfig padded(String name, EncryptionMode mode, PlaintextType type, int pad) {
        return new ColumnConfig(name, mode, type, null, null, pad, false);
    }

    static ColumnCipher cipher(String column, ColumnConfig config) {
        return new ColumnCipher(TABLE, column, config, 1);
    }

    static ColumnCipher seeded(String column, ColumnConfig config) {
        return new ColumnCipher(TABLE, column, config, 1, fixedSalts(), 0L);
    }

    private Fixtures() {
    }
}
