package io.envelope.jdbc.it.frameworks;

import io.envelope.jdbc.it.EncryptedDatabase;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** What the example apps check with plain pgJDBC: the database holds ciphertext, never the plaintext. */
public final class Ciphertext {

    private Ciphertext() {
    }

    /**
     * Asserts that every non-null stored value of {@code table.column} is in envelope format (format version byte
     * 0x01 first; a text column holds its base64) and that none of them contains {@code plaintext}'s bytes. Returns
     * how many values were checked.
     */
    public static int assertStoredAsCiphertext(EncryptedDatabase db, String table, String column, String... plaintexts)
            throws SQLException {
        int checked = 0;
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table + " WHERE " + column
                     + " IS NOT NULL")) {
            String physical = rs.getMetaData().getColumnTypeName(1);
            while (rs.next()) {
                byte[] stored = physical.equals("bytea") ? rs.getBytes(1)
                        : java.util.Base64.getDecoder().decode(rs.getString(1));
                assertThat(stored.length).as("%s.%s holds an envelope value", table, column).isGreaterThan(16);
                assertThat(stored[0]).as("%s.%s format version byte", table, column).isEqualTo((byte) 1);
                // the decoded bytes, not the base64 text: base64 of random bytes contains any short word by chance
                String asText = new String(stored, StandardCharsets.ISO_8859_1);
                for (String p : plaintexts) {
                    assertThat(asText).as("%s.%s must not contain the plaintext", table, column).doesNotContain(p);
                }
                checked++;
            }
        }
        assertThat(checked).as("%s.%s has stored values to check", table, column).isPositive();
        return checked;
    }
}
