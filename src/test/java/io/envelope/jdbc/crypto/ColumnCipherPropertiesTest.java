package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.envelope.jdbc.config.EncryptionMode.DETERMINISTIC;
import static io.envelope.jdbc.config.EncryptionMode.RANDOMIZED;
import static io.envelope.jdbc.crypto.Fixtures.TABLE;
import static io.envelope.jdbc.crypto.Fixtures.column;
import static io.envelope.jdbc.crypto.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.bigIntegers;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Property tests of the value format over the whole type surface, run with QuickTheories from plain JUnit tests.
 * A failure reports the smallest falsifying values found and a seed; rerun with {@code -DQT_SEED=<seed>} to repeat it.
 */
class ColumnCipherPropertiesTest {

    /** Examples per property, unless a property says otherwise. */
    private static final int EXAMPLES = 1000;

    private static final DataKey KEY = key();

    private static ColumnCipher cipher(EncryptionMode mode, PlaintextType type) {
        return new ColumnCipher(TABLE, "c", column("c", mode, type), 1);
    }

    private static Object roundTrip(EncryptionMode mode, PlaintextType type, Object value) throws SQLException {
        ColumnCipher c = cipher(mode, type);
        return c.decrypt(c.encrypt(value, KEY), KEY);
    }

    /**
     * Runs one example of a property whose body may throw the driver's checked {@link SQLException}. QuickTheories
     * treats anything thrown as a falsification, so an unexpected SQLException is reported (and shrunk) like a
     * failed assertion.
     */
    private static void example(ThrowingCall body) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    // ------------------------------------------------------------------ generators

    private static Gen<EncryptionMode> modes() {
        return arbitrary().enumValues(EncryptionMode.class);
    }

    /** Strings of up to {@code maxLength} code points, each anywhere in [min, max] (unassigned ones included). */
    private static Gen<String> codePoints(int min, int max, int maxLength) {
        return lists().of(integers().between(min, max)).ofSizeBetween(0, maxLength).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        });
    }

    /** Valid UTF-16 text: the BMP below the surrogates, the BMP above them, and supplementary code points. */
    private static Gen<String> texts() {
        return Generate.oneOf(
                codePoints(0x0000, 0xd7ff, 300),
                codePoints(0xe000, 0xffff, 50),
                codePoints(0x10000, 0x10ffff, 20));
    }

    private static final List<Character> ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".chars()
                    .mapToObj(c -> (char) c).toList();

    /** "secret-" and 6 to 80 ASCII letters and digits: easy to spot if a message ever quotes it. */
    private static Gen<String> secrets() {
        return lists().of(arbitrary().pick(ALPHANUMERIC)).ofSizeBetween(6, 80).map(cs -> {
            StringBuilder b = new StringBuilder("secret-");
            cs.forEach(b::append);
            return b.toString();
        });
    }

    private static Gen<byte[]> byteArrays(int minLength, int maxLength) {
        return Generate.byteArrays(integers().between(minLength, maxLength),
                Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    private static Gen<Short> shorts() {
        return integers().between(Short.MIN_VALUE, Short.MAX_VALUE).map(Integer::shortValue);
    }

    /**
     * Any double: random bit patterns from -infinity to +infinity (every exponent, full precision), with the edge
     * cases in a fifth of the examples, because random bit patterns almost never hit them. NaN has its own property.
     */
    private static Gen<Double> anyDoubles() {
        return doubles().any().mix(arbitrary().pick(0.0, -0.0, 1.0, -1.0, 0.01, -0.01,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), 20);
    }

    /** Any float, built like {@link #anyDoubles()}. */
    private static Gen<Float> anyFloats() {
        return floats().any().mix(arbitrary().pick(0.0f, -0.0f, 1.0f, -1.0f, 0.01f, -0.01f,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
                Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY), 20);
    }

    /** Any BigInteger in the range of a long (1 to 8 two's-complement bytes). */
    private static Gen<BigInteger> bigIntegers64() {
        return bigIntegers().ofBytes(8);
    }

    // ------------------------------------------------------------------ round trips, every type

    @Test
    void textRoundTrips() {
        qt().withExamples(EXAMPLES).forAll(modes(), texts()).checkAssert((mode, s) -> example(() ->
                assertThat(roundTrip(mode, PlaintextType.TEXT, s)).isEqualTo(s)));
    }

    @Test
    void bytesRoundTrip() {
        qt().withExamples(EXAMPLES).forAll(modes(), byteArrays(0, 300)).checkAssert((mode, b) -> example(() ->
                assertThat((byte[]) roundTrip(mode, PlaintextType.BYTES, b)).isEqualTo(b)));
    }

    @Test
    void integersRoundTrip() {
        qt().withExamples(EXAMPLES).forAll(modes(), shorts(), integers().all(), longs().all())
                .checkAssert((mode, s, i, l) -> example(() -> {
                    assertThat(roundTrip(mode, PlaintextType.SMALLINT, s)).isEqualTo(s);
                    assertThat(roundTrip(mode, PlaintextType.INT, i)).isEqualTo(i);
                    assertThat(roundTrip(mode, PlaintextType.BIGINT, l)).isEqualTo(l);
                }));
    }

    @Test
    void decimalsRoundTripAtTheDeclaredScale() {
        qt().withExamples(EXAMPLES).forAll(modes(), bigIntegers64(), integers().between(0, 4))
                .checkAssert((mode, unscaled, scale) -> example(() -> {
                    ColumnCipher c = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", mode, 4, null), 1);
                    BigDecimal v = new BigDecimal(unscaled, scale);
                    Object back = c.decrypt(c.encrypt(v, KEY), KEY);
                    assertThat(back).isEqualTo(v.setScale(4));
                }));
    }

    @Test
    void doublesRoundTrip() {
        qt().withExamples(EXAMPLES).forAll(modes(), anyDoubles()).checkAssert((mode, d) -> example(() -> {
            Object back = roundTrip(mode, PlaintextType.DOUBLE, d);
            assertThat(back).isInstanceOf(Double.class);
            double expected = d == 0.0 ? 0.0 : d; // -0.0 is stored as 0.0
            assertThat(Double.doubleToLongBits((Double) back)).isEqualTo(Double.doubleToLongBits(expected));
        }));
    }

    @Test
    void realsRoundTrip() {
        qt().withExamples(EXAMPLES).forAll(modes(), anyFloats()).checkAssert((mode, f) -> example(() -> {
            Object back = roundTrip(mode, PlaintextType.REAL, f);
            assertThat(back).isInstanceOf(Float.class);
            float expected = f == 0.0f ? 0.0f : f;
            assertThat(Float.floatToIntBits((Float) back)).isEqualTo(Float.floatToIntBits(expected));
        }));
    }

    @Test
    void booleansRoundTrip() {
        // 4 combinations; QuickTheories skips repeated examples, so these runs cover all of them
        qt().withExamples(EXAMPLES).forAll(modes(), booleans().all()).checkAssert((mode, b) -> example(() ->
                assertThat(roundTrip(mode, PlaintextType.BOOLEAN, b)).isEqualTo(b)));
    }

    @Test
    void datesRoundTrip() {
        qt().withExamples(EXAMPLES).forAll(modes(), longs().between(-2_000_000, 2_000_000))
                .checkAssert((mode, day) -> example(() -> {
                    LocalDate d = LocalDate.ofEpochDay(day);
                    assertThat(roundTrip(mode, PlaintextType.DATE, d)).isEqualTo(d);
                }));
    }

    @Test
    void timesRoundTripToTheMicrosecond() {
        qt().withExamples(EXAMPLES).forAll(modes(), longs().between(0, 86_399_999_999_999L))
                .checkAssert((mode, nanoOfDay) -> example(() -> {
                    LocalTime t = LocalTime.ofNanoOfDay(nanoOfDay);
                    long micros = (nanoOfDay + 500) / 1000; // half up at 500 ns
                    if (micros >= 86_400_000_000L) {
                        return; // rounds to 24:00:00, refused (TimeRoundingTest)
                    }
                    assertThat(roundTrip(mode, PlaintextType.TIME, t)).isEqualTo(LocalTime.ofNanoOfDay(micros * 1000));
                }));
    }

    @Test
    void timestampsRoundTripToTheMicrosecond() {
        qt().withExamples(EXAMPLES)
                .forAll(modes(), longs().between(-200_000_000_000L, 200_000_000_000L), integers().between(0, 999_999_999))
                .checkAssert((mode, sec, nano) -> example(() -> {
                    LocalDateTime ts = LocalDateTime.ofEpochSecond(sec, nano, ZoneOffset.UTC);
                    assertThat(roundTrip(mode, PlaintextType.TIMESTAMP, ts))
                            .isEqualTo(ts.truncatedTo(ChronoUnit.MICROS).plusNanos(nano % 1000 >= 500 ? 1000 : 0));
                }));
    }

    @Test
    void timestamptzRoundTripsAsAUtcInstant() {
        qt().withExamples(EXAMPLES)
                .forAll(modes(), longs().between(-200_000_000_000L, 200_000_000_000L), integers().between(0, 999_999_999),
                        integers().between(-64_800, 64_800))
                .checkAssert((mode, sec, nano, offsetSeconds) -> example(() -> {
                    Instant i = Instant.ofEpochSecond(sec, nano);
                    OffsetDateTime odt = OffsetDateTime.ofInstant(i, ZoneOffset.ofTotalSeconds(offsetSeconds));
                    Object back = roundTrip(mode, PlaintextType.TIMESTAMPTZ, odt);
                    assertThat(back)
                            .isEqualTo(OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS)
                                    .plusNanos(nano % 1000 >= 500 ? 1000 : 0), ZoneOffset.UTC));
                }));
    }

    @Test
    void uuidsRoundTrip() {
        qt().withExamples(EXAMPLES).forAll(modes(), longs().all(), longs().all())
                .checkAssert((mode, msb, lsb) -> example(() -> {
                    UUID u = new UUID(msb, lsb);
                    assertThat(roundTrip(mode, PlaintextType.UUID, u)).isEqualTo(u);
                    assertThat(roundTrip(mode, PlaintextType.UUID, u.toString().toUpperCase())).isEqualTo(u);
                }));
    }

    // ------------------------------------------------------------------ deterministic equality and canonical form

    @Test
    void integerSettersAgreeOnABigintColumn() {
        qt().withExamples(EXAMPLES).forAll(integers().all()).checkAssert(i -> example(() -> {
            ColumnCipher c = cipher(DETERMINISTIC, PlaintextType.BIGINT);
            byte[] expected = c.encrypt(i.longValue(), KEY);
            assertThat(c.encrypt(i, KEY)).isEqualTo(expected);
            assertThat(c.encrypt(BigInteger.valueOf(i), KEY)).isEqualTo(expected);
            assertThat(c.encrypt(new BigDecimal(i).setScale(3), KEY)).isEqualTo(expected);
            assertThat(c.encrypt(Integer.toString(i), KEY)).isEqualTo(expected);
            // and a smallint/int column of the same name stores the same bytes: one family
            if (i >= Short.MIN_VALUE && i <= Short.MAX_VALUE) {
                assertThat(cipher(DETERMINISTIC, PlaintextType.SMALLINT).encrypt(i.shortValue(), KEY))
                        .isEqualTo(expected);
            }
            assertThat(cipher(DETERMINISTIC, PlaintextType.INT).encrypt(i, KEY)).isEqualTo(expected);
        }));
    }

    @Test
    void decimalScalesAgree() {
        qt().withExamples(EXAMPLES).forAll(bigIntegers64(), integers().between(0, 2), integers().between(0, 5))
                .checkAssert((unscaled, scale, extraZeros) -> example(() -> {
                    ColumnCipher c = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", DETERMINISTIC, 2, null), 1);
                    BigDecimal v = new BigDecimal(unscaled, scale);
                    BigDecimal widened = v.setScale(scale + extraZeros);
                    assertThat(c.encrypt(widened, KEY)).isEqualTo(c.encrypt(v, KEY));
                    assertThat(c.encrypt(v.toPlainString(), KEY)).isEqualTo(c.encrypt(v, KEY));
                    // a column later widened to scale 4 still finds the value
                    ColumnCipher wider = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", DETERMINISTIC, 4, null), 1);
                    assertThat(wider.encrypt(v, KEY)).isEqualTo(c.encrypt(v, KEY));
                }));
    }

    @Test
    void signedZeroAndNaNHaveOneEncoding() {
        qt().withExamples(20).forAll(longs().all()).checkAssert(nanPayload -> example(() -> {
            ColumnCipher d = cipher(DETERMINISTIC, PlaintextType.DOUBLE);
            assertThat(d.encrypt(-0.0, KEY)).isEqualTo(d.encrypt(0.0, KEY));
            assertThat(d.encrypt(-0.0f, KEY)).isEqualTo(d.encrypt(0, KEY));
            double otherNaN = Double.longBitsToDouble(0x7ff0000000000001L | (nanPayload & 0x800fffffffffffffL));
            assertThat(Double.isNaN(otherNaN)).isTrue();
            assertThat(d.encrypt(otherNaN, KEY)).isEqualTo(d.encrypt(Double.NaN, KEY));
            assertThat(d.encrypt(Float.NaN, KEY)).isEqualTo(d.encrypt(Double.NaN, KEY));
            assertThat(d.encrypt("NaN", KEY)).isEqualTo(d.encrypt(Double.NaN, KEY));
            ColumnCipher r = cipher(DETERMINISTIC, PlaintextType.REAL);
            assertThat(r.encrypt(-0.0f, KEY)).isEqualTo(r.encrypt(0.0f, KEY));
            assertThat(r.encrypt(Float.intBitsToFloat(0x7fc00001), KEY)).isEqualTo(r.encrypt(Float.NaN, KEY));
        }));
    }

    @Test
    void deterministicIsDeterministicAndColumnBound() {
        qt().withExamples(EXAMPLES).forAll(texts()).checkAssert(s -> example(() -> {
            ColumnCipher a = new ColumnCipher(TABLE, "email", column("email", DETERMINISTIC, PlaintextType.TEXT), 1);
            ColumnCipher a2 = new ColumnCipher(TABLE, "email", column("email", DETERMINISTIC, PlaintextType.TEXT), 1);
            ColumnCipher b = new ColumnCipher(TABLE, "email2", column("email2", DETERMINISTIC, PlaintextType.TEXT), 1);
            byte[] v = a.encrypt(s, KEY);
            assertThat(a.encrypt(s, KEY)).isEqualTo(v);
            assertThat(a2.encrypt(s, key())).isEqualTo(v);
            assertThat(b.encrypt(s, KEY)).isNotEqualTo(v);
            assertThat(a.encrypt(s, Fixtures.key(TABLE, 2))).isNotEqualTo(v);
        }));
    }

    @Test
    void randomizedValuesDiffer() {
        qt().withExamples(EXAMPLES).forAll(texts()).checkAssert(s -> example(() -> {
            ColumnCipher c = cipher(RANDOMIZED, PlaintextType.TEXT);
            byte[] v1 = c.encrypt(s, KEY);
            byte[] v2 = c.encrypt(s, KEY);
            assertThat(v1).isNotEqualTo(v2);
            assertThat(c.decrypt(v1, KEY)).isEqualTo(s);
            assertThat(c.decrypt(v2, KEY)).isEqualTo(s);
        }));
    }

    // ------------------------------------------------------------------ tampering, misplacement, wrong keys

    private static void assertFailsCleanly(ThrowingCall call, String plaintext, String place) {
        assertThatThrownBy(call::run)
                .isInstanceOf(SQLDataException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith("envelope-jdbc:");
                    assertThat(e.getMessage()).contains(place);
                    assertThat(e.getMessage()).doesNotContain(plaintext);
                    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(plaintext);
                    }
                });
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void anySingleByteFlipFails() {
        qt().withExamples(EXAMPLES)
                .forAll(modes(), secrets(), integers().between(0, 10_000), integers().between(1, 255))
                .checkAssert((mode, s, position, mask) -> example(() -> {
                    ColumnCipher c = new ColumnCipher(TABLE, "email", column("email", mode, PlaintextType.TEXT), 1);
                    byte[] v = c.encrypt(s, KEY);
                    byte[] bad = v.clone();
                    bad[position % bad.length] ^= mask.byteValue();
                    assertFailsCleanly(() -> c.decrypt(bad, KEY), s, TABLE + ".email");
                }));
    }

    @Test
    void truncatedOrExtendedValuesFail() {
        qt().withExamples(EXAMPLES).forAll(modes(), secrets(), integers().between(1, 40))
                .checkAssert((mode, s, cut) -> example(() -> {
                    ColumnCipher c = new ColumnCipher(TABLE, "email", column("email", mode, PlaintextType.TEXT), 1);
                    byte[] v = c.encrypt(s, KEY);
                    byte[] shorter = java.util.Arrays.copyOf(v, Math.max(0, v.length - cut));
                    byte[] longer = java.util.Arrays.copyOf(v, v.length + cut);
                    assertFailsCleanly(() -> c.decrypt(shorter, KEY), s, TABLE + ".email");
                    assertFailsCleanly(() -> c.decrypt(longer, KEY), s, TABLE + ".email");
                }));
    }

    @Test
    void aValueCopiedToAnotherColumnOrTableFails() {
        qt().withExamples(EXAMPLES).forAll(modes(), secrets()).checkAssert((mode, s) -> example(() -> {
            ColumnCipher home = new ColumnCipher(TABLE, "email", column("email", mode, PlaintextType.TEXT), 1);
            byte[] v = home.encrypt(s, KEY);
            ColumnCipher otherColumn = new ColumnCipher(TABLE, "name", column("name", mode, PlaintextType.TEXT), 1);
            assertFailsCleanly(() -> otherColumn.decrypt(v, KEY), s, TABLE + ".name");
            // another table whose data key happens to have the very same bytes: still refused (AAD and sub-keys)
            ColumnCipher otherTable = new ColumnCipher("public.suppliers", "email",
                    column("email", mode, PlaintextType.TEXT), 1);
            DataKey sameBytesOtherTable = Fixtures.key("public.suppliers", 1);
            assertFailsCleanly(() -> otherTable.decrypt(v, sameBytesOtherTable), s, "public.suppliers.email");
            // the right column but a key of another table
            assertFailsCleanly(() -> home.decrypt(v, sameBytesOtherTable), s, TABLE + ".email");
            assertThat(home.decrypt(v, KEY)).isEqualTo(s);
        }));
    }

    @Test
    void aWrongKeyFails() {
        Gen<byte[]> otherKeyBytes = byteArrays(32, 32).assuming(k -> !java.util.Arrays.equals(k, Fixtures.keyBytes()));
        qt().withExamples(EXAMPLES).forAll(modes(), secrets(), otherKeyBytes)
                .checkAssert((mode, s, other) -> example(() -> {
                    ColumnCipher c = new ColumnCipher(TABLE, "email", column("email", mode, PlaintextType.TEXT), 1);
                    byte[] v = c.encrypt(s, KEY);
                    assertFailsCleanly(() -> c.decrypt(v, new DataKey(TABLE, 1, other)), s, "key version 1");
                    assertFailsCleanly(() -> c.decrypt(v, Fixtures.key(TABLE, 2)), s, "key version 1");
                }));
    }

    // ------------------------------------------------------------------ padding

    @Test
    void paddingHidesLengthWithinABucket() {
        qt().withExamples(EXAMPLES).forAll(modes(), integers().between(0, 63), integers().between(0, 63))
                .checkAssert((mode, len1, len2) -> example(() -> {
                    ColumnCipher c = new ColumnCipher(TABLE, "note",
                            Fixtures.padded("note", mode, PlaintextType.TEXT, 64), 1);
                    String a = "x".repeat(len1);
                    String b = "y".repeat(len2);
                    byte[] va = c.encrypt(a, KEY);
                    byte[] vb = c.encrypt(b, KEY);
                    assertThat(va.length).isEqualTo(vb.length);
                    assertThat(c.decrypt(va, KEY)).isEqualTo(a);
                    assertThat(c.decrypt(vb, KEY)).isEqualTo(b);
                    byte[] next = c.encrypt("z".repeat(64 + len1), KEY);
                    assertThat(next.length).isGreaterThan(va.length);
                }));
    }

    @Test
    void paddedBytesKeepTrailingZerosAndMarkers() {
        qt().withExamples(EXAMPLES).forAll(modes(), byteArrays(0, 40), integers().between(0, 3))
                .checkAssert((mode, b, zeros) -> example(() -> {
                    byte[] value = java.util.Arrays.copyOf(b, b.length + zeros);
                    if (value.length > 0 && zeros == 0) {
                        value[value.length - 1] = (byte) 0x80;
                    }
                    ColumnCipher c = new ColumnCipher(TABLE, "blob",
                            Fixtures.padded("blob", mode, PlaintextType.BYTES, 16), 1);
                    assertThat((byte[]) c.decrypt(c.encrypt(value, KEY), KEY)).isEqualTo(value);
                }));
    }

    // ------------------------------------------------------------------ messages never carry values

    @Test
    void encryptErrorsNeverQuoteTheValue() {
        qt().withExamples(EXAMPLES).forAll(secrets(), bigIntegers64()).checkAssert((s, big) -> {
            ColumnCipher intCol = cipher(RANDOMIZED, PlaintextType.INT);
            assertFailsCleanly(() -> intCol.encrypt(s, KEY), s, TABLE + ".c");
            BigInteger tooBig = big.abs().add(BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.ONE));
            assertFailsCleanly(() -> intCol.encrypt(tooBig, KEY), tooBig.toString(), TABLE + ".c");
            assertFailsCleanly(() -> intCol.encrypt(tooBig.toString(), KEY), tooBig.toString(), TABLE + ".c");
            ColumnCipher dec = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", DETERMINISTIC, 2, 6), 1);
            BigDecimal needsRounding = new BigDecimal(big.multiply(BigInteger.TEN).add(BigInteger.ONE), 3); // last digit != 0
            assertFailsCleanly(() -> dec.encrypt(needsRounding, KEY), needsRounding.toPlainString(), TABLE + ".c");
            for (PlaintextType t : new PlaintextType[] {PlaintextType.DATE, PlaintextType.TIME, PlaintextType.TIMESTAMP,
                    PlaintextType.TIMESTAMPTZ, PlaintextType.UUID, PlaintextType.BOOLEAN, PlaintextType.DOUBLE,
                    PlaintextType.DECIMAL}) {
                ColumnCipher c = new ColumnCipher(TABLE, "c", new ColumnConfig("c", RANDOMIZED, t, 2, null, 0, false), 1);
                assertFailsCleanly(() -> c.encrypt(s, KEY), s, TABLE + ".c");
            }
        });
    }

    @Test
    void utf8IsByteForByte() {
        qt().withExamples(50).forAll(texts()).checkAssert(s -> example(() -> {
            ColumnCipher c = cipher(DETERMINISTIC, PlaintextType.TEXT);
            String nfd = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD);
            String nfc = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
            boolean sameBytes = java.util.Arrays.equals(nfd.getBytes(StandardCharsets.UTF_8),
                    nfc.getBytes(StandardCharsets.UTF_8));
            assertThat(java.util.Arrays.equals(c.encrypt(nfd, KEY), c.encrypt(nfc, KEY))).isEqualTo(sameBytes);
        }));
    }
}
