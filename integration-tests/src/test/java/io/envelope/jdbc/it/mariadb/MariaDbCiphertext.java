package io.envelope.jdbc.it.mariadb;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the MariaDB example apps check with plain MariaDB Connector/J (as {@code frameworks.Ciphertext} does with
 * pgJDBC): every stored value of an encrypted column is an envelope value, and none holds a plaintext.
 */
public final class MariaDbCiphertext {

    private MariaDbCiphertext() {
    }

    /**
     * Asserts that every non-null stored value of {@code table.column} is in envelope format (format version byte
     * 0x01 first; a character column holds its base64) and that neither the stored text nor the bytes contain any
     * of {@code plaintexts}. Returns how many values were checked, at least one.
     */
    public static int assertStoredAsCiphertext(EncryptedMariaDb db, String table, String column,
                                               String... plaintexts) throws SQLException {
        int checked = 0;
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table + " WHERE " + column
                     + " IS NOT NULL")) {
            boolean binary = isBinary(rs.getMetaData(), 1);
            while (rs.next()) {
                byte[] raw = rs.getBytes(1);
                byte[] stored = binary ? raw : Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII));
                assertThat(stored.length).as("%s.%s holds an envelope value", table, column).isGreaterThan(16);
                assertThat(stored[0]).as("%s.%s format version byte", table, column).isEqualTo((byte) 1);
                String rawText = new String(raw, StandardCharsets.ISO_8859_1);
                String decoded = new String(stored, StandardCharsets.ISO_8859_1);
                for (String p : plaintexts) {
                    assertThat(rawText).as("%s.%s must not contain the plaintext", table, column).doesNotContain(p);
                    assertThat(decoded).as("%s.%s must not contain the plaintext", table, column).doesNotContain(p);
                }
                checked++;
            }
        }
        assertThat(checked).as("%s.%s has stored values to check", table, column).isPositive();
        return checked;
    }

    private static boolean isBinary(ResultSetMetaData meta, int column) throws SQLException {
        return switch (meta.getColumnType(column)) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> true;
            default -> false;
        };
    }
}
