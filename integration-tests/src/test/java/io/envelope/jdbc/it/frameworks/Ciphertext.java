package io.envelope.jdbc.it.frameworks;

import io.envelope.jdbc.it.EncryptedDatabase;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** What the example apps check with the plain driver: the database holds ciphertext, never the plaintext. */
public final class Ciphertext {

    private Ciphertext() {
    }

    /**
     * Asserts that every non-null stored value of {@code table.column} is in envelope format (format version byte
     * 0x01 first; a character column holds its base64) and that none of them contains {@code plaintext}'s bytes.
     * Returns how many values were checked, at least one.
     */
    public static int assertStoredAsCiphertext(EncryptedDatabase db, String table, String column, String... plaintexts)
            throws SQLException {
        try (Connection plain = db.plain()) {
            return assertStoredAsCiphertext(plain, table, column, plaintexts);
        }
    }

    /** As {@link #assertStoredAsCiphertext(EncryptedDatabase, String, String, String...)}, on any plain connection. */
    public static int assertStoredAsCiphertext(Connection plain, String table, String column, String... plaintexts)
            throws SQLException {
        int checked = 0;
        try (Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table + " WHERE " + column
                     + " IS NOT NULL")) {
            while (rs.next()) {
                assertHoldsNoPlaintext(rs, 1, table + "." + column, plaintexts);
                checked++;
            }
        }
        assertThat(checked).as("%s.%s has stored values to check", table, column).isPositive();
        return checked;
    }

    /**
     * Asserts that the current row's stored value at {@code index} is an envelope value (a character column's
     * base64 decoded first) whose bytes contain none of {@code plaintexts}. The check is on the decoded bytes, not on
     * the base64 text: base64 of random bytes contains any short word by chance (one run found "Ada" in one).
     */
    public static void assertHoldsNoPlaintext(ResultSet rs, int index, String what, String... plaintexts)
            throws SQLException {
        byte[] stored = isBinary(rs.getMetaData(), index) ? rs.getBytes(index)
                : Base64.getDecoder().decode(rs.getString(index));
        assertThat(stored.length).as("%s holds an envelope value", what).isGreaterThan(16);
        assertThat(stored[0]).as("%s format version byte", what).isEqualTo((byte) 1);
        String decoded = new String(stored, StandardCharsets.ISO_8859_1);
        for (String p : plaintexts) {
            assertThat(decoded).as("%s must not contain the plaintext", what).doesNotContain(p);
        }
    }

    private static boolean isBinary(ResultSetMetaData meta, int column) throws SQLException {
        return switch (meta.getColumnType(column)) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> true;
            default -> false;
        };
    }
}
