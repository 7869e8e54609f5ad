package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

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
import java.util.UUID;

import static io.envelope.jdbc.config.EncryptionMode.DETERMINISTIC;
import static io.envelope.jdbc.config.EncryptionMode.RANDOMIZED;
import static io.envelope.jdbc.crypto.Fixtures.TABLE;
import static io.envelope.jdbc.crypto.Fixtures.column;
import static io.envelope.jdbc.crypto.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Property tests of the value format over the whole type surface. */
class ColumnCipherProperties {

    private static final DataKey KEY = key();

    private static ColumnCipher cipher(EncryptionMode mode, PlaintextType type) {
        return new ColumnCipher(TABLE, "c", column("c", mode, type), 1);
    }

    private static Object roundTrip(EncryptionMode mode, PlaintextType type, Object value) throws SQLException {
        ColumnCipher c = cipher(mode, type);
        return c.decrypt(c.encrypt(value, KEY), KEY);
    }

    // ------------------------------------------------------------------ round trips, every type

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(300),
                Arbitraries.strings().withCharRange('\ue000', '\uffff').ofMaxLength(50),
                Arbitraries.integers().between(0x10000, 0x10ffff).list().ofMaxSize(20).map(cps -> {
                    StringBuilder b = new StringBuilder();
                    cps.forEach(b::appendCodePoint);
                    return b.toString();
                }));
    }

    @Property
    void textRoundTrips(@ForAll EncryptionMode mode, @ForAll("texts") String s) throws SQLException {
        assertThat(roundTrip(mode, PlaintextType.TEXT, s)).isEqualTo(s);
    }

    @Property
    void bytesRoundTrip(@ForAll EncryptionMode mode, @ForAll @Size(max = 300) byte[] b) throws SQLException {
        assertThat((byte[]) roundTrip(mode, PlaintextType.BYTES, b)).isEqualTo(b);
    }

    @Property
    void integersRoundTrip(@ForAll EncryptionMode mode, @ForAll short s, @ForAll int i, @ForAll long l)
            throws SQLException {
        assertThat(roundTrip(mode, PlaintextType.SMALLINT, s)).isEqualTo(s);
        assertThat(roundTrip(mode, PlaintextType.INT, i)).isEqualTo(i);
        assertThat(roundTrip(mode, PlaintextType.BIGINT, l)).isEqualTo(l);
    }

    @Property
    void decimalsRoundTripAtTheDeclaredScale(@ForAll EncryptionMode mode, @ForAll BigInteger unscaled,
                                             @ForAll @IntRange(min = 0, max = 4) int scale) throws SQLException {
        ColumnCipher c = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", mode, 4, null), 1);
        BigDecimal v = new BigDecimal(unscaled, scale);
        Object back = c.decrypt(c.encrypt(v, KEY), KEY);
        assertThat(back).isEqualTo(v.setScale(4));
    }

    @Property
    void doublesRoundTrip(@ForAll EncryptionMode mode, @ForAll double d) throws SQLException {
        Object back = roundTrip(mode, PlaintextType.DOUBLE, d);
        assertThat(back).isInstanceOf(Double.class);
        double expected = d == 0.0 ? 0.0 : d; // -0.0 is stored as 0.0
        assertThat(Double.doubleToLongBits((Double) back)).isEqualTo(Double.doubleToLongBits(expected));
    }

    @Property
    void realsRoundTrip(@ForAll EncryptionMode mode, @ForAll float f) throws SQLException {
        Object back = roundTrip(mode, PlaintextType.REAL, f);
        assertThat(back).isInstanceOf(Float.class);
        float expected = f == 0.0f ? 0.0f : f;
        assertThat(Float.floatToIntBits((Float) back)).isEqualTo(Float.floatToIntBits(expected));
    }

    @Property
    void booleansRoundTrip(@ForAll EncryptionMode mode, @ForAll boolean b) throws SQLException {
        assertThat(roundTrip(mode, PlaintextType.BOOLEAN, b)).isEqualTo(b);
    }

    @Property
    void datesRoundTrip(@ForAll EncryptionMode mode, @ForAll @LongRange(min = -2_000_000, max = 2_000_000) long day)
            throws SQLException {
        LocalDate d = LocalDate.ofEpochDay(day);
        assertThat(roundTrip(mode, PlaintextType.DATE, d)).isEqualTo(d);
    }

    @Property
    void timesRoundTripToTheMicrosecond(@ForAll EncryptionMode mode,
                                        @ForAll @LongRange(min = 0, max = 86_399_999_999_999L) long nanoOfDay)
            throws SQLException {
        LocalTime t = LocalTime.ofNanoOfDay(nanoOfDay);
        assertThat(roundTrip(mode, PlaintextType.TIME, t)).isEqualTo(t.truncatedTo(ChronoUnit.MICROS));
    }

    @Property
    void timestampsRoundTripToTheMicrosecond(@ForAll EncryptionMode mode,
                                             @ForAll @LongRange(min = -200_000_000_000L, max = 200_000_000_000L) long sec,
                                             @ForAll @IntRange(min = 0, max = 999_999_999) int nano)
            throws SQLException {
        LocalDateTime ts = LocalDateTime.ofEpochSecond(sec, nano, ZoneOffset.UTC);
        assertThat(roundTrip(mode, PlaintextType.TIMESTAMP, ts)).isEqualTo(ts.truncatedTo(ChronoUnit.MICROS));
    }

    @Property
    void timestamptzRoundTripsAsAUtcInstant(@ForAll EncryptionMode mode,
                                            @ForAll @LongRange(min = -200_000_000_000L, max = 200_000_000_000L) long sec,
                                            @ForAll @IntRange(min = 0, max = 999_999_999) int nano,
                                            @ForAll @IntRange(min = -64_800, max = 64_800) int offsetSeconds)
            throws SQLException {
        Instant i = Instant.ofEpochSecond(sec, nano);
        OffsetDateTime odt = OffsetDateTime.ofInstant(i, ZoneOffset.ofTotalSeconds(offsetSeconds));
        Object back = roundTrip(mode, PlaintextType.TIMESTAMPTZ, odt);
        assertThat(back).isEqualTo(OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }

    @Property
    void uuidsRoundTrip(@ForAll EncryptionMode mode, @ForAll long msb, @ForAll long lsb) throws SQLException {
        UUID u = new UUID(msb, lsb);
        assertThat(roundTrip(mode, PlaintextType.UUID, u)).isEqualTo(u);
        assertThat(roundTrip(mode, PlaintextType.UUID, u.toString().toUpperCase())).isEqualTo(u);
    }

    // ------------------------------------------------------------------ deterministic equality and canonical form

    @Property
    void integerSettersAgreeOnABigintColumn(@ForAll int i) throws SQLException {
        ColumnCipher c = cipher(DETERMINISTIC, PlaintextType.BIGINT);
        byte[] expected = c.encrypt((long) i, KEY);
        assertThat(c.encrypt(i, KEY)).isEqualTo(expected);
        assertThat(c.encrypt(BigInteger.valueOf(i), KEY)).isEqualTo(expected);
        assertThat(c.encrypt(new BigDecimal(i).setScale(3), KEY)).isEqualTo(expected);
        assertThat(c.encrypt(Integer.toString(i), KEY)).isEqualTo(expected);
        // and a smallint/int column of the same name stores the same bytes: one family
        if (i >= Short.MIN_VALUE && i <= Short.MAX_VALUE) {
            assertThat(cipher(DETERMINISTIC, PlaintextType.SMALLINT).encrypt((short) i, KEY)).isEqualTo(expected);
        }
        assertThat(cipher(DETERMINISTIC, PlaintextType.INT).encrypt(i, KEY)).isEqualTo(expected);
    }

    @Property
    void decimalScalesAgree(@ForAll BigInteger unscaled, @ForAll @IntRange(min = 0, max = 2) int scale,
                            @ForAll @IntRange(min = 0, max = 5) int extraZeros) throws SQLException {
        ColumnCipher c = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", DETERMINISTIC, 2, null), 1);
        BigDecimal v = new BigDecimal(unscaled, scale);
        BigDecimal widened = v.setScale(scale + extraZeros);
        assertThat(c.encrypt(widened, KEY)).isEqualTo(c.encrypt(v, KEY));
        assertThat(c.encrypt(v.toPlainString(), KEY)).isEqualTo(c.encrypt(v, KEY));
        // a column later widened to scale 4 still finds the value
        ColumnCipher wider = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", DETERMINISTIC, 4, null), 1);
        assertThat(wider.encrypt(v, KEY)).isEqualTo(c.encrypt(v, KEY));
    }

    @Property(tries = 20)
    void signedZeroAndNaNHaveOneEncoding(@ForAll long nanPayload) throws SQLException {
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
    }

    @Property
    void deterministicIsDeterministicAndColumnBound(@ForAll("texts") String s) throws SQLException {
        ColumnCipher a = new ColumnCipher(TABLE, "email", column("email", DETERMINISTIC, PlaintextType.TEXT), 1);
        ColumnCipher a2 = new ColumnCipher(TABLE, "email", column("email", DETERMINISTIC, PlaintextType.TEXT), 1);
        ColumnCipher b = new ColumnCipher(TABLE, "email2", column("email2", DETERMINISTIC, PlaintextType.TEXT), 1);
        byte[] v = a.encrypt(s, KEY);
        assertThat(a.encrypt(s, KEY)).isEqualTo(v);
        assertThat(a2.encrypt(s, key())).isEqualTo(v);
        assertThat(b.encrypt(s, KEY)).isNotEqualTo(v);
        assertThat(a.encrypt(s, Fixtures.key(TABLE, 2))).isNotEqualTo(v);
    }

    @Property
    void randomizedValuesDiffer(@ForAll("texts") String s) throws SQLException {
        ColumnCipher c = cipher(RANDOMIZED, PlaintextType.TEXT);
        byte[] v1 = c.encrypt(s, KEY);
        byte[] v2 = c.encrypt(s, KEY);
        assertThat(v1).isNotEqualTo(v2);
        assertThat(c.decrypt(v1, KEY)).isEqualTo(s);
        assertThat(c.decrypt(v2, KEY)).isEqualTo(s);
    }

    // ------------------------------------------------------------------ tampering, misplacement, wrong keys

    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(6).ofMaxLength(80).map(s -> "secret-" + s);
    }

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

    @Property
    void anySingleByteFlipFails(@ForAll EncryptionMode mode, @ForAll("secrets") String s,
                                @ForAll @IntRange(min = 0, max = 10_000) int position,
                                @ForAll @IntRange(min = 1, max = 255) int mask) throws SQLException {
        ColumnCipher c = new ColumnCipher(TABLE, "email", column("email", mode, PlaintextType.TEXT), 1);
        byte[] v = c.encrypt(s, KEY);
        byte[] bad = v.clone();
        bad[position % bad.length] ^= (byte) mask;
        assertFailsCleanly(() -> c.decrypt(bad, KEY), s, TABLE + ".email");
    }

    @Property
    void truncatedOrExtendedValuesFail(@ForAll EncryptionMode mode, @ForAll("secrets") String s,
                                       @ForAll @IntRange(min = 1, max = 40) int cut) throws SQLException {
        ColumnCipher c = new ColumnCipher(TABLE, "email", column("email", mode, PlaintextType.TEXT), 1);
        byte[] v = c.encrypt(s, KEY);
        byte[] shorter = java.util.Arrays.copyOf(v, Math.max(0, v.length - cut));
        byte[] longer = java.util.Arrays.copyOf(v, v.length + cut);
        assertFailsCleanly(() -> c.decrypt(shorter, KEY), s, TABLE + ".email");
        assertFailsCleanly(() -> c.decrypt(longer, KEY), s, TABLE + ".email");
    }

    @Property
    void aValueCopiedToAnotherColumnOrTableFails(@ForAll EncryptionMode mode, @ForAll("secrets") String s)
            throws SQLException {
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
    }

    @Property
    void aWrongKeyFails(@ForAll EncryptionMode mode, @ForAll("secrets") String s, @ForAll @Size(32) byte[] other)
            throws SQLException {
        net.jqwik.api.Assume.that(!java.util.Arrays.equals(other, Fixtures.keyBytes()));
        ColumnCipher c = new ColumnCipher(TABLE, "email", column("email", mode, PlaintextType.TEXT), 1);
        byte[] v = c.encrypt(s, KEY);
        assertFailsCleanly(() -> c.decrypt(v, new DataKey(TABLE, 1, other)), s, "key version 1");
        assertFailsCleanly(() -> c.decrypt(v, Fixtures.key(TABLE, 2)), s, "key version 1");
    }

    // ------------------------------------------------------------------ padding

    @Property
    void paddingHidesLengthWithinABucket(@ForAll EncryptionMode mode,
                                         @ForAll @IntRange(min = 0, max = 63) int len1,
                                         @ForAll @IntRange(min = 0, max = 63) int len2) throws SQLException {
        ColumnCipher c = new ColumnCipher(TABLE, "note", Fixtures.padded("note", mode, PlaintextType.TEXT, 64), 1);
        String a = "x".repeat(len1);
        String b = "y".repeat(len2);
        byte[] va = c.encrypt(a, KEY);
        byte[] vb = c.encrypt(b, KEY);
        assertThat(va.length).isEqualTo(vb.length);
        assertThat(c.decrypt(va, KEY)).isEqualTo(a);
        assertThat(c.decrypt(vb, KEY)).isEqualTo(b);
        byte[] next = c.encrypt("z".repeat(64 + len1), KEY);
        assertThat(next.length).isGreaterThan(va.length);
    }

    @Property
    void paddedBytesKeepTrailingZerosAndMarkers(@ForAll EncryptionMode mode, @ForAll @Size(max = 40) byte[] b,
                                                @ForAll @IntRange(min = 0, max = 3) int zeros) throws SQLException {
        byte[] value = java.util.Arrays.copyOf(b, b.length + zeros);
        if (value.length > 0 && zeros == 0) {
            value[value.length - 1] = (byte) 0x80;
        }
        ColumnCipher c = new ColumnCipher(TABLE, "blob", Fixtures.padded("blob", mode, PlaintextType.BYTES, 16), 1);
        assertThat((byte[]) c.decrypt(c.encrypt(value, KEY), KEY)).isEqualTo(value);
    }

    // ------------------------------------------------------------------ messages never carry values

    @Property
    void encryptErrorsNeverQuoteTheValue(@ForAll("secrets") String s, @ForAll BigInteger big) {
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
    }

    @Property(tries = 50)
    void utf8IsByteForByte(@ForAll("texts") String s) throws SQLException {
        ColumnCipher c = cipher(DETERMINISTIC, PlaintextType.TEXT);
        String nfd = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD);
        String nfc = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
        boolean sameBytes = java.util.Arrays.equals(nfd.getBytes(StandardCharsets.UTF_8),
                nfc.getBytes(StandardCharsets.UTF_8));
        assertThat(java.util.Arrays.equals(c.encrypt(nfd, KEY), c.encrypt(nfc, KEY))).isEqualTo(sameBytes);
    }
}
