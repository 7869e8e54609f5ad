package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The column-width formula (README, "Column widths") against real encryption: the longest value of each declared
 * type, encrypted by {@link ColumnCipher}, is exactly as long as {@link CiphertextWidths} says, in every mode and with
 * length padding; text of every length up to a few blocks too, and the inverse (the longest text that fits).
 */
class CiphertextWidthsTest {

    private static final List<EncryptionMode> MODES = List.of(EncryptionMode.RANDOMIZED, EncryptionMode.DETERMINISTIC);
    private static final int[] PADS = {0, 16, 24, 64};

    /** The longest value of each fixed-length type (every value of these types encodes to the same length). */
    private static final Map<PlaintextType, Object> LONGEST = Map.ofEntries(
            Map.entry(PlaintextType.SMALLINT, Short.MIN_VALUE),
            Map.entry(PlaintextType.INT, Integer.MIN_VALUE),
            Map.entry(PlaintextType.BIGINT, Long.MIN_VALUE),
            Map.entry(PlaintextType.DOUBLE, -Double.MAX_VALUE),
            Map.entry(PlaintextType.REAL, -Float.MAX_VALUE),
            Map.entry(PlaintextType.BOOLEAN, Boolean.TRUE),
            Map.entry(PlaintextType.DATE, LocalDate.of(9999, 12, 31)),
            Map.entry(PlaintextType.TIME, LocalTime.of(23, 59, 59, 999_999_000)),
            Map.entry(PlaintextType.TIMESTAMP, LocalDateTime.of(9999, 12, 31, 23, 59, 59)),
            Map.entry(PlaintextType.TIMESTAMPTZ, OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC)),
            Map.entry(PlaintextType.UUID, UUID.randomUUID()));

    private static byte[] encrypt(ColumnConfig config, Object value) throws Exception {
        return Fixtures.cipher(config.name(), config).encrypt(value, Fixtures.key());
    }

    @Test
    void theLongestValueOfEveryFixedLengthTypeIsAsLongAsTheFormulaSays() throws Exception {
        for (Map.Entry<PlaintextType, Object> type : LONGEST.entrySet()) {
            for (EncryptionMode mode : MODES) {
                for (int pad : PADS) {
                    ColumnConfig config = new ColumnConfig("c", mode, type.getKey(), null, null, pad, false);
                    long expected = CiphertextWidths.maxStoredBytes(config);
                    assertThat(encrypt(config, type.getValue()))
                            .as("%s %s pad %d", type.getKey(), mode, pad).hasSize((int) expected);
                    assertThat(CiphertextWidths.minStoredBytes(config)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void theLongestDecimalOfAPrecisionIsTheWidestAndNoValueOfThatPrecisionIsWider() throws Exception {
        Random random = new Random(10);
        for (int precision : new int[] {1, 2, 5, 9, 10, 12, 18, 19, 20, 38}) {
            for (int scale : new int[] {0, 2, precision}) {
                for (EncryptionMode mode : MODES) {
                    for (int pad : new int[] {0, 16}) {
                        ColumnConfig config = new ColumnConfig("amount", mode, PlaintextType.DECIMAL, scale,
                                precision, pad, false);
                        long max = CiphertextWidths.maxStoredBytes(config);
                        BigInteger nines = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
                        long widest = Math.max(encrypt(config, new BigDecimal(nines, scale)).length,
                                encrypt(config, new BigDecimal(nines.negate(), scale)).length);
                        assertThat(widest).as("precision %d scale %d %s pad %d", precision, scale, mode, pad)
                                .isEqualTo(max);
                        for (int i = 0; i < 50; i++) {
                            BigInteger unscaled = new BigInteger(nines.bitLength() + 1, random).mod(nines.add(
                                    BigInteger.ONE));
                            BigDecimal value = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(),
                                    scale);
                            int length = encrypt(config, value).length;
                            assertThat((long) length).isLessThanOrEqualTo(max)
                                    .isGreaterThanOrEqualTo(CiphertextWidths.minStoredBytes(config));
                        }
                        assertThat(encrypt(config, BigDecimal.ZERO)).hasSize(
                                (int) CiphertextWidths.minStoredBytes(config));
                    }
                }
            }
        }
        assertThat(CiphertextWidths.maxStoredBytes(new ColumnConfig("a", null, PlaintextType.DECIMAL, 2, null, 0,
                false))).isEqualTo(CiphertextWidths.UNBOUNDED);
    }

    @Test
    void textAndBytesOfEveryLengthAreAsLongAsTheFormulaSaysAndTheInverseFindsTheLongestThatFits() throws Exception {
        for (EncryptionMode mode : MODES) {
            for (int pad : PADS) {
                ColumnConfig text = new ColumnConfig("note", mode, PlaintextType.TEXT, null, null, pad, false);
                ColumnConfig bytes = new ColumnConfig("blob", mode, PlaintextType.BYTES, null, null, pad, false);
                assertThat(CiphertextWidths.maxStoredBytes(text)).isEqualTo(CiphertextWidths.UNBOUNDED);
                for (int length = 0; length <= 100; length++) {
                    long expected = CiphertextWidths.storedBytes(mode, pad, length);
                    assertThat(encrypt(text, "x".repeat(length))).as("%s pad %d length %d", mode, pad, length)
                            .hasSize((int) expected);
                    assertThat(encrypt(bytes, new byte[length])).hasSize((int) expected);
                }
                // three bytes of UTF-8 per character
                assertThat(encrypt(text, "€".repeat(7))).hasSize((int) CiphertextWidths.storedBytes(mode, pad, 21));
                assertThat(CiphertextWidths.minStoredBytes(text)).isEqualTo(encrypt(text, "").length);

                for (long capacity = 40; capacity <= 260; capacity++) {
                    long fits = CiphertextWidths.longestEncodedThatFits(mode, pad, capacity);
                    if (fits < 0) {
                        assertThat((long) encrypt(text, "").length).isGreaterThan(capacity);
                        continue;
                    }
                    assertThat((long) encrypt(text, "x".repeat((int) fits)).length).isLessThanOrEqualTo(capacity);
                    assertThat((long) encrypt(text, "x".repeat((int) fits + 1)).length).isGreaterThan(capacity);
                }
            }
        }
    }

    @Test
    void aCharacterColumnHoldsTheUnpaddedBase64OfTheStoredBytes() throws Exception {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        for (int length = 0; length <= 300; length++) {
            assertThat((long) base64.encodeToString(new byte[length]).length()).as("%d bytes", length)
                    .isEqualTo(CiphertextWidths.base64Chars(length));
        }
        for (long chars = 0; chars <= 400; chars++) {
            long holds = CiphertextWidths.bytesInBase64Chars(chars);
            assertThat(CiphertextWidths.base64Chars(holds)).isLessThanOrEqualTo(chars);
            assertThat(CiphertextWidths.base64Chars(holds + 1)).isGreaterThan(chars);
        }
        // the README's table
        ColumnConfig bigint = new ColumnConfig("n", EncryptionMode.DETERMINISTIC, PlaintextType.BIGINT, null, null, 0,
                false);
        assertThat(CiphertextWidths.maxStoredBytes(bigint)).isEqualTo(71);
        assertThat(CiphertextWidths.base64Chars(71)).isEqualTo(95);
        assertThat(base64.encodeToString(encrypt(bigint, Long.MIN_VALUE))).hasSize(95);
    }

    @Test
    void theReadmeTableOfWidthsMatchesTheFormula() {
        // declared type, mode, pad, longest encoded plaintext (null: the type's own), bytes, base64 characters
        Object[][] rows = {
                {PlaintextType.BIGINT, null, 0, null, 59, 79, 71, 95},
                {PlaintextType.BOOLEAN, null, 0, null, 52, 70, 71, 95},
                {PlaintextType.UUID, null, 0, null, 67, 90, 87, 116},
                {PlaintextType.DECIMAL, 10, 0, null, 60, 80, 71, 95},
                {PlaintextType.DECIMAL, 18, 0, null, 63, 84, 71, 95},
                {PlaintextType.DECIMAL, 38, 0, null, 71, 95, 87, 116},
                {PlaintextType.TEXT, null, 0, 32L, 83, 111, 103, 138},
                {PlaintextType.TEXT, null, 0, 100L, 151, 202, 167, 223},
                {PlaintextType.TEXT, null, 0, 255L, 306, 408, 311, 415},
                {PlaintextType.TEXT, null, 64, 100L, 179, 239, 199, 266},
        };
        for (Object[] row : rows) {
            for (int m = 0; m < 2; m++) {
                EncryptionMode mode = MODES.get(m);
                PlaintextType type = (PlaintextType) row[0];
                ColumnConfig config = new ColumnConfig("c", mode, type, type == PlaintextType.DECIMAL ? 2 : null,
                        (Integer) row[1], (Integer) row[2], false);
                long bytes = row[3] == null ? CiphertextWidths.maxStoredBytes(config)
                        : CiphertextWidths.storedBytes(mode, (Integer) row[2], (Long) row[3]);
                assertThat(bytes).as("%s %s", type, mode).isEqualTo(((Integer) row[4 + 2 * m]).longValue());
                assertThat(CiphertextWidths.base64Chars(bytes)).isEqualTo(((Integer) row[5 + 2 * m]).longValue());
            }
        }
    }
}
