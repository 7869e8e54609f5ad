package io.envelope.jdbc.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A value altered in any byte, or moved to another column or table, fails to decrypt with an
 * {@code envelope-jdbc:} error and never yields wrong plaintext (see docs/format.md).
 */
class TamperingIT {

    private EncryptedDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedDatabase.create("tamper", """
                  accounts:
                    columns:
                      iban:  { mode: deterministic }
                      owner: { mode: deterministic }
                      memo:  { mode: randomized }
                  archive:
                    columns:
                      iban:  { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE accounts (id int PRIMARY KEY, iban bytea, owner bytea, memo bytea)",
                "CREATE TABLE archive (id int PRIMARY KEY, iban bytea)");
        try (Connection c = db.connect()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO accounts (id, iban, owner, memo) VALUES (?, ?, ?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "DE44500105175407324931");
                ps.setString(3, "Erika Mustermann");
                ps.setString(4, "salary account");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive (id, iban) VALUES (?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "FR1420041010050500013M02606");
                ps.executeUpdate();
            }
        }
    }

    @Test
    void everySingleFlippedByteFailsToDecrypt() throws Exception {
        for (String column : List.of("iban", "memo")) {
            byte[] original = db.rawBytes("accounts", column, "id").get(0);
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < original.length; i++) {
                positions.add(i);
            }
            for (int position : positions) {
                byte[] tampered = original.clone();
                tampered[position] ^= 0x01;
                writeRaw("accounts", column, tampered);
                Throwable failure = catchThrowable(() -> readThroughWrapper("accounts", column));
                assertThat(failure).as("%s byte %d", column, position).isInstanceOf(SQLException.class);
                assertThat(failure.getMessage()).startsWith("envelope-jdbc:")
                        .doesNotContain("DE44500105175407324931").doesNotContain("salary account");
            }
            writeRaw("accounts", column, original);
            assertThat(readThroughWrapper("accounts", column)).isNotNull();
        }
    }

    @Test
    void aValueCopiedToAnotherColumnFailsToDecrypt() throws Exception {
        db.executePlain("UPDATE accounts SET owner = iban");
        Throwable failure = catchThrowable(() -> readThroughWrapper("accounts", "owner"));
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains("owner")
                .doesNotContain("DE44500105175407324931");
    }

    @Test
    void aValueCopiedToAnotherTableFailsToDecrypt() throws Exception {
        db.executePlain("UPDATE archive SET iban = (SELECT iban FROM accounts WHERE id = 1)");
        Throwable failure = catchThrowable(() -> readThroughWrapper("archive", "iban"));
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains("archive");
    }

    @Test
    void aTruncatedValueFailsToDecrypt() throws Exception {
        byte[] original = db.rawBytes("accounts", "memo", "id").get(0);
        for (int length : new int[] {0, 1, 5, original.length - 1}) {
            writeRaw("accounts", "memo", java.util.Arrays.copyOf(original, length));
            Throwable failure = catchThrowable(() -> readThroughWrapper("accounts", "memo"));
            assertThat(failure).as("length %d", length).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).startsWith("envelope-jdbc:");
        }
    }

    private void writeRaw(String table, String column, byte[] value) throws SQLException {
        try (Connection c = db.plain();
             PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE id = 1")) {
            ps.setBytes(1, value);
            ps.executeUpdate();
        }
    }

    private String readThroughWrapper(String table, String column) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE id = ?")) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
