package io.envelope.jdbc.keys;

import io.envelope.jdbc.crypto.DataKey;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key-row authentication scheme of docs/format.md ("Key rows"), pinned by known-answer vectors that the page
 * repeats, and what verification refuses.
 */
class KeyRowStatesTest {

    private static final String T = "app.customers";
    private static final LocalDateTime CREATED = LocalDateTime.of(2024, 1, 31, 12, 0, 0, 123456000);

    /** Data key of version 2: bytes 0x00, 0x01, ..., 0x1f. */
    private static DataKey newestKey() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        return new DataKey(T, 2, key);
    }

    private static List<KeyRow> rows() {
        return List.of(
                new KeyRow(T, 1, "local", "local:00112233445566778899aabbccddeeff", new byte[] {1, 2, 3},
                        KeyStatus.RETIRING, CREATED),
                new KeyRow(T, 2, "local", "local:00112233445566778899aabbccddeeff", new byte[] {4, 5, 6},
                        KeyStatus.ACTIVE, CREATED.plusDays(1)));
    }

    @Test
    void knownAnswerVectors() throws SQLException {
        List<KeyRow> sealed = KeyRowStates.seal(T, 7, rows(), newestKey());
        assertThat(HexFormat.of().formatHex(KeyRowStates.message(T, 7, List.of(1, 2), rows().get(0)))).isEqualTo(
                "00000019656e76656c6f70652d6a6462632f6b65792d726f77732f7631"   // LP("envelope-jdbc/key-rows/v1")
                        + "0000000d6170702e637573746f6d657273"                      // LP("app.customers")
                        + "0000000000000007" + "00000002" + "00000001" + "00000002" // seq, versions {1, 2}
                        + "00000001"                                                // this row: version 1
                        + "000000087265746972696e67"                                // LP("retiring")
                        + "000000056c6f63616c"                                      // LP("local")
                        + "000000266c6f63616c3a3030313132323333343435353636373738383939616162626363646465656666"
                        + "00000003010203"                                          // LP(encrypted_key)
                        + "0000001a323032342d30312d33315431323a30303a30302e313233343536"); // LP(created_at)
        assertThat(sealed).extracting(KeyRow::stateSeq).containsExactly(7L, 7L);
        assertThat(HexFormat.of().formatHex(sealed.get(0).stateMac()))
                .isEqualTo("552e034e8a8e7c319eda4a55456dbe589968c5e3420752080a8bdaf563189bc6");
        assertThat(HexFormat.of().formatHex(sealed.get(1).stateMac()))
                .isEqualTo("ff89572f2637db3db3e0c3ce8ae42665e4db1f1a1ecac07b134a9088cf50f27c");
        assertThat(KeyRowStates.verify(T, sealed, newestKey()).ok()).isTrue();
        assertThat(KeyRowStates.verify(T, sealed, newestKey()).seq()).isEqualTo(7);
    }

    @Test
    void aStatusChangedOutsideTheDriverIsRefusedAndOnlyThatRow() throws SQLException {
        List<KeyRow> sealed = new ArrayList<>(KeyRowStates.seal(T, 3, rows(), newestKey()));
        sealed.set(0, sealed.get(0).withStatus(KeyStatus.ACTIVE));
        KeyRowStates.Verdict verdict = KeyRowStates.verify(T, sealed, newestKey());
        assertThat(verdict.refused()).containsOnlyKeys(1);
        assertThat(verdict.problem()).contains("key version 1").contains("does not verify");
    }

    @Test
    void anOlderCopyOfARowPutBackIsStale() throws SQLException {
        List<KeyRow> older = KeyRowStates.seal(T, 3, rows(), newestKey());
        List<KeyRow> newer = new ArrayList<>(KeyRowStates.seal(T, 4,
                List.of(rows().get(0).withStatus(KeyStatus.RETIRED), rows().get(1)), newestKey()));
        newer.set(0, older.get(0));   // version 1 'retiring' at sequence 3, a valid MAC of its time
        KeyRowStates.Verdict verdict = KeyRowStates.verify(T, newer, newestKey());
        assertThat(verdict.refused()).containsOnlyKeys(1);
        assertThat(verdict.refused().get(1)).contains("stale").contains("sequence 3").contains("at 4");
    }

    @Test
    void aDeletedOrAddedRowChangesTheVersionSetSoEveryRowFails() throws SQLException {
        List<KeyRow> sealed = KeyRowStates.seal(T, 3, rows(), newestKey());
        assertThat(KeyRowStates.verify(T, List.of(sealed.get(1)), newestKey()).refused()).containsOnlyKeys(2);
    }

    @Test
    void rowsWithoutMacAndAnotherKeyAreRefused() throws SQLException {
        assertThat(KeyRowStates.verify(T, rows(), newestKey()).refused()).containsOnlyKeys(1, 2);
        byte[] other = new byte[32];
        other[0] = 9;
        List<KeyRow> sealed = KeyRowStates.seal(T, 3, rows(), newestKey());
        assertThat(KeyRowStates.verify(T, sealed, new DataKey(T, 2, other)).refused()).containsOnlyKeys(1, 2);
    }
}
