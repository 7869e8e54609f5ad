package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLDataException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.envelope.jdbc.config.EncryptionMode.DETERMINISTIC;
import static io.envelope.jdbc.config.EncryptionMode.RANDOMIZED;
import static io.envelope.jdbc.crypto.Fixtures.HEX;
import static io.envelope.jdbc.crypto.Fixtures.TABLE;
import static io.envelope.jdbc.crypto.Fixtures.column;
import static io.envelope.jdbc.crypto.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Example-based tests: accepted Java values per type, refusals, header handling, re-salting. */
class ColumnCipherTest {

    private static ColumnCipher det(PlaintextType type) {
        return new ColumnCipher(TABLE, "c", column("c", DETERMINISTIC, type), 1);
    }

    private static ColumnCipher rand(PlaintextType type) {
        return new ColumnCipher(TABLE, "c", column("c", RANDOMIZED, type), 1);
    }

    private static void sameBytes(ColumnCipher c, Object expected, Object... alternatives) throws Exception {
        byte[] v = c.encrypt(expected, key());
        for (Object a : alternatives) {
            assertThat(c.encrypt(a, key())).as("encrypt(%s)", a.getClass().getSimpleName()).isEqualTo(v);
        }
    }

    private static void refused(ColumnCipher c, Object value, String... messageParts) {
        assertThatThrownBy(() -> c.encrypt(value, key()))
                .isInstanceOf(SQLDataException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(TABLE + ".c")
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void textAcceptsStringAndCharacter() throws Exception {
        sameBytes(det(PlaintextType.TEXT), "x", 'x');
        assertThat(det(PlaintextType.TEXT).decrypt(det(PlaintextType.TEXT).encrypt("", key()), key())).isEqualTo("");
        refused(det(PlaintextType.TEXT), 5, "java.lang.Integer", "text");
        refused(det(PlaintextType.TEXT), "bad \ud800 surrogate", "Unicode");
    }

    @Test
    void textDecodingIsStrictUtf8() throws Exception {
        ColumnConfig text = column("c", DETERMINISTIC, PlaintextType.TEXT);
        assertThatThrownBy(() -> Canonical.decode(new byte[] {'a', (byte) 0xff}, text, TABLE + ".c"))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("not a valid text encoding");
        assertThat(Canonical.decode("a\uFFFDb".getBytes(java.nio.charset.StandardCharsets.UTF_8), text, TABLE + ".c"))
                .isEqualTo("a\uFFFDb");
        assertThat(det(PlaintextType.TEXT).decrypt(det(PlaintextType.TEXT).encrypt("\uFFFD\ud83d\ude00", key()), key()))
                .isEqualTo("\uFFFD\ud83d\ude00");
        refused(det(PlaintextType.TEXT), "\ude00 low first", "Unicode");
        refused(det(PlaintextType.TEXT), "high last \ud83d", "Unicode");
    }

    @Test
    void bytesAcceptsByteArrays() throws Exception {
        ColumnCipher c = det(PlaintextType.BYTES);
        assertThat((byte[]) c.decrypt(c.encrypt(new byte[0], key()), key())).isEmpty();
        refused(c, "abc", "java.lang.String", "bytes");
    }

    @Test
    void integerTypesAcceptEveryIntegralJavaValue() throws Exception {
        sameBytes(det(PlaintextType.BIGINT), 42L, (byte) 42, (short) 42, 42, BigInteger.valueOf(42),
                new BigDecimal("42.000"), " 42 ", "42");
        sameBytes(det(PlaintextType.SMALLINT), (short) -7, (byte) -7, -7, -7L, "-7");
        refused(det(PlaintextType.SMALLINT), 40_000, "out of range", "smallint");
        refused(det(PlaintextType.INT), 1L << 31, "out of range", "int");
        refused(det(PlaintextType.BIGINT), BigInteger.ONE.shiftLeft(63), "out of range", "bigint");
        refused(det(PlaintextType.BIGINT), new BigDecimal("1.5"), "fractional");
        refused(det(PlaintextType.BIGINT), "1.5", "not an integer");
        refused(det(PlaintextType.INT), 1.0, "java.lang.Double", "int");
        assertThat(det(PlaintextType.SMALLINT).decrypt(det(PlaintextType.SMALLINT).encrypt(5, key()), key()))
                .isEqualTo((short) 5);
    }

    @Test
    void aWidenedValueThatNoLongerFitsIsAnErrorNotATruncation() throws Exception {
        byte[] big = det(PlaintextType.BIGINT).encrypt(1L << 40, key());
        assertThatThrownBy(() -> det(PlaintextType.INT).decrypt(big, key()))
                .isInstanceOf(SQLDataException.class)
                .hasMessageContaining("does not fit the declared type int");
        byte[] d = det(PlaintextType.DOUBLE).encrypt(0.1, key());
        assertThatThrownBy(() -> det(PlaintextType.REAL).decrypt(d, key()))
                .isInstanceOf(SQLDataException.class)
                .hasMessageContaining("does not fit the declared type real");
        // a real value read through a column widened to double
        byte[] r = det(PlaintextType.REAL).encrypt(0.1f, key());
        assertThat(det(PlaintextType.DOUBLE).decrypt(r, key())).isEqualTo((double) 0.1f);
    }

    @Test
    void decimalsUseTheDeclaredScaleAndPrecision() throws Exception {
        ColumnCipher c = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", DETERMINISTIC, 2, 5), 1);
        sameBytes(c, new BigDecimal("1.00"), new BigDecimal("1.0"), new BigDecimal("1"), BigInteger.ONE, 1, 1L,
                (short) 1, (byte) 1, 1.0, 1.0f, "1.0", new BigDecimal("0.01E2"));
        sameBytes(c, new BigDecimal("0.10"), 0.1, 0.1f, "0.1");
        sameBytes(c, new BigDecimal("0.00"), new BigDecimal("-0.0"), 0, "0");
        assertThat(c.decrypt(c.encrypt(1, key()), key())).isEqualTo(new BigDecimal("1.00"));
        assertThat(c.decrypt(c.encrypt("999.99", key()), key())).isEqualTo(new BigDecimal("999.99"));
        refused(c, new BigDecimal("1.005"), "rounding", "scale 2");
        refused(c, 0.125, "rounding");
        refused(c, new BigDecimal("1000.00"), "precision 5");
        refused(c, Double.NaN, "NaN");
        refused(c, "1,5", "not a number");
        refused(c, Boolean.TRUE, "java.lang.Boolean", "decimal");
        ColumnCipher noScale = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", DETERMINISTIC, 0, null), 1);
        assertThat(noScale.decrypt(noScale.encrypt(new BigDecimal("12345678901234567890123"), key()), key()))
                .isEqualTo(new BigDecimal("12345678901234567890123"));
        // a value of a wider-scale column read through a narrower one cannot be represented: error, not rounding
        ColumnCipher wide = new ColumnCipher(TABLE, "c", Fixtures.decimal("c", DETERMINISTIC, 4, null), 1);
        byte[] v = wide.encrypt(new BigDecimal("1.2345"), key());
        assertThatThrownBy(() -> c.decrypt(v, key())).isInstanceOf(SQLDataException.class)
                .hasMessageContaining("rounding");
    }

    @Test
    void floatingPointAcceptsNumbersAndStrings() throws Exception {
        sameBytes(det(PlaintextType.DOUBLE), 2.5, 2.5f, "2.5", new BigDecimal("2.5"), "  2.5 ");
        sameBytes(det(PlaintextType.DOUBLE), 3.0, 3, 3L, (short) 3, BigInteger.valueOf(3));
        sameBytes(det(PlaintextType.DOUBLE), Double.POSITIVE_INFINITY, "Infinity", "infinity", Float.POSITIVE_INFINITY);
        sameBytes(det(PlaintextType.REAL), 0.1f, 0.1, "0.1", new BigDecimal("0.1"));
        refused(det(PlaintextType.DOUBLE), "2.5d", "not a number");
        refused(det(PlaintextType.DOUBLE), new BigDecimal("1e400"), "out of range", "double");
        refused(det(PlaintextType.DOUBLE), "1e400", "out of range", "double");
        refused(det(PlaintextType.REAL), 1e300, "out of range", "real");
        refused(det(PlaintextType.REAL), "1e300", "out of range", "real");
        sameBytes(det(PlaintextType.REAL), Float.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, "-Infinity");
        refused(det(PlaintextType.DOUBLE), true, "java.lang.Boolean", "double");
        assertThat(det(PlaintextType.REAL).decrypt(det(PlaintextType.REAL).encrypt(0.1, key()), key()))
                .isEqualTo(0.1f);
        assertThat(det(PlaintextType.DOUBLE).decrypt(det(PlaintextType.DOUBLE).encrypt(-0.0, key()), key()))
                .isEqualTo(0.0);
    }

    @Test
    void booleansAcceptTheUsualSpellings() throws Exception {
        sameBytes(det(PlaintextType.BOOLEAN), true, 1, 1L, BigDecimal.ONE, "true", "TRUE", "t", "1", "yes", "Yes");
        sameBytes(det(PlaintextType.BOOLEAN), false, 0, (short) 0, "false", "F", "0", "no", "NO");
        assertThat(det(PlaintextType.BOOLEAN).encrypt(true, key())).isNotEqualTo(det(PlaintextType.BOOLEAN).encrypt(false, key()));
        refused(det(PlaintextType.BOOLEAN), 2, "only 0 and 1");
        refused(det(PlaintextType.BOOLEAN), "maybe", "not one of");
        refused(det(PlaintextType.BOOLEAN), 'y', "java.lang.Character", "boolean");
    }

    @Test
    void datesAndTimes() throws Exception {
        sameBytes(det(PlaintextType.DATE), LocalDate.of(2024, 2, 29), java.sql.Date.valueOf("2024-02-29"), "2024-02-29");
        refused(det(PlaintextType.DATE), "29.02.2024", "ISO");
        refused(det(PlaintextType.DATE), new java.util.Date(), "java.util.Date", "date");

        java.sql.Time sqlTime = new java.sql.Time(java.sql.Time.valueOf("10:11:12").getTime() + 345);
        sameBytes(det(PlaintextType.TIME), LocalTime.of(10, 11, 12, 345_000_000), sqlTime, "10:11:12.345",
                LocalTime.of(10, 11, 12, 345_000_499));
        // sub-microsecond digits round (half up for Java values, as pgJDBC sends them; TimeRoundingTest)
        assertThat(det(PlaintextType.TIME).decrypt(det(PlaintextType.TIME).encrypt(LocalTime.of(23, 59, 59, 999_998_500),
                key()), key())).isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));

        LocalDateTime ldt = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);
        sameBytes(det(PlaintextType.TIMESTAMP), ldt, java.sql.Timestamp.valueOf(ldt), "2024-01-02T03:04:05.123456",
                "2024-01-02 03:04:05.123456", ldt.plusNanos(499), ldt.minusNanos(500));
        refused(det(PlaintextType.TIMESTAMP), Instant.now(), "java.time.Instant", "timestamp");

        Instant instant = Instant.parse("2024-01-02T03:04:05.123456Z");
        sameBytes(det(PlaintextType.TIMESTAMPTZ), instant.atOffset(ZoneOffset.UTC), instant,
                instant.atZone(ZoneId.of("Europe/Paris")), instant.atOffset(ZoneOffset.ofHours(-7)),
                java.sql.Timestamp.from(instant), "2024-01-02T05:04:05.123456+02:00", "2024-01-02 03:04:05.123456Z");
        Object back = det(PlaintextType.TIMESTAMPTZ).decrypt(det(PlaintextType.TIMESTAMPTZ).encrypt(
                ZonedDateTime.ofInstant(instant, ZoneId.of("Asia/Tokyo")), key()), key());
        assertThat(back).isEqualTo(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        assertThat(((OffsetDateTime) back).getOffset()).isEqualTo(ZoneOffset.UTC);
        refused(det(PlaintextType.TIMESTAMPTZ), LocalDateTime.now(), "java.time.LocalDateTime", "timestamptz");
        refused(det(PlaintextType.TIMESTAMPTZ), "2024-01-02T03:04:05", "ISO");
    }

    @Test
    void uuids() throws Exception {
        UUID u = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        sameBytes(det(PlaintextType.UUID), u, "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000");
        refused(det(PlaintextType.UUID), "1-2-3-4-5", "text form");
        refused(det(PlaintextType.UUID), 5L, "java.lang.Long", "uuid");
    }

    @Test
    void nullIsNeverEncrypted() {
        assertThatThrownBy(() -> det(PlaintextType.TEXT).encrypt(null, key()))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("NULL");
        assertThatThrownBy(() -> det(PlaintextType.TEXT).decrypt(null, key()))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("NULL");
    }

    // ------------------------------------------------------------------ header

    @Test
    void headerAndFormatDetection() throws Exception {
        ColumnCipher c = rand(PlaintextType.TEXT);
        byte[] r = c.encrypt("hello", new DataKey(TABLE, 7, Fixtures.keyBytes()));
        byte[] d = det(PlaintextType.TEXT).encrypt("hello", new DataKey(TABLE, 300, Fixtures.keyBytes()));
        assertThat(c.isEnvelopeFormat(r)).isTrue();
        assertThat(c.isEnvelopeFormat(d)).isTrue();
        assertThat(c.keyVersionOf(r)).isEqualTo(7);
        assertThat(c.keyVersionOf(d)).isEqualTo(300);
        assertThat(r[0]).isEqualTo((byte) 1);
        assertThat(r[1]).isEqualTo((byte) 1);
        assertThat(d[1]).isEqualTo((byte) 2);
        assertThat(c.isEnvelopeFormat("hello".getBytes())).isFalse();
        assertThat(c.isEnvelopeFormat(new byte[0])).isFalse();
        assertThat(c.isEnvelopeFormat(null)).isFalse();
        assertThat(c.isEnvelopeFormat(java.util.Arrays.copyOf(r, 50))).isFalse();
        assertThat(c.isEnvelopeFormat(java.util.Arrays.copyOf(d, d.length - 1))).isFalse();
        byte[] v2 = r.clone();
        v2[0] = 2;
        assertThat(c.isEnvelopeFormat(v2)).isFalse();
        byte[] badMode = r.clone();
        badMode[1] = 3;
        assertThat(c.isEnvelopeFormat(badMode)).isFalse();
        byte[] badFamily = r.clone();
        badFamily[6] = 0x7f;
        assertThat(c.isEnvelopeFormat(badFamily)).isFalse();
        byte[] zeroVersion = r.clone();
        zeroVersion[2] = zeroVersion[3] = zeroVersion[4] = zeroVersion[5] = 0;
        assertThat(c.isEnvelopeFormat(zeroVersion)).isFalse();
        assertThatThrownBy(() -> c.keyVersionOf("plain".getBytes()))
                .isInstanceOf(SQLDataException.class)
                .hasMessage("envelope-jdbc: cannot read the key version of public.customers.c: the stored value is "
                        + "not in envelope format");
        assertThatThrownBy(() -> c.decrypt(v2, key()))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("format version 2 is not known");
    }

    @Test
    void minFormatVersionRefusesOlderValues() throws Exception {
        byte[] v = rand(PlaintextType.TEXT).encrypt("hello", key());
        ColumnCipher strict = new ColumnCipher(TABLE, "c", column("c", RANDOMIZED, PlaintextType.TEXT), 2);
        assertThat(strict.isEnvelopeFormat(v)).isTrue(); // still envelope format: never passed off as plaintext
        assertThatThrownBy(() -> strict.decrypt(v, key()))
                .isInstanceOf(SQLDataException.class)
                .hasMessageContaining("format version 1 is older than min-format-version 2");
        assertThatThrownBy(() -> strict.encrypt("hello", key()))
                .isInstanceOf(SQLDataException.class)
                .hasMessageContaining("min-format-version 2 is newer than format version 1");
    }

    @Test
    void theKeyMustMatchTheHeaderAndTheTable() throws Exception {
        ColumnCipher c = rand(PlaintextType.TEXT);
        byte[] v = c.encrypt("hello", key());
        assertThatThrownBy(() -> c.decrypt(v, Fixtures.key(TABLE, 2)))
                .isInstanceOf(SQLDataException.class)
                .hasMessage("envelope-jdbc: cannot decrypt public.customers.c (key version 1): the data key supplied "
                        + "is version 2");
        assertThatThrownBy(() -> c.encrypt("hello", Fixtures.key("public.other", 1)))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("belongs to table public.other");
        assertThatThrownBy(() -> c.decrypt(v, Fixtures.key("public.other", 1)))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("belongs to table public.other");
    }

    @Test
    void theStoredFamilyMustMatchTheColumn() throws Exception {
        byte[] text = det(PlaintextType.TEXT).encrypt("12345678", key());
        assertThatThrownBy(() -> det(PlaintextType.BIGINT).decrypt(text, key()))
                .isInstanceOf(SQLDataException.class)
                .hasMessage("envelope-jdbc: cannot decrypt public.customers.c (key version 1): the value holds a text "
                        + "but the column's declared type is bigint");
    }

    @Test
    void authenticationFailuresNameThePlaceAndVersion() throws Exception {
        ColumnCipher c = det(PlaintextType.TEXT);
        byte[] v = c.encrypt("hello", key());
        v[v.length - 1] ^= 1;
        assertThatThrownBy(() -> c.decrypt(v, key()))
                .isInstanceOf(SQLDataException.class)
                .hasMessageStartingWith("envelope-jdbc: cannot decrypt public.customers.c (key version 1): the value "
                        + "failed authentication");
    }

    @Test
    void bothModesStayReadableWhenAColumnChangesMode() throws Exception {
        byte[] r = rand(PlaintextType.TEXT).encrypt("hello", key());
        byte[] d = det(PlaintextType.TEXT).encrypt("hello", key());
        assertThat(det(PlaintextType.TEXT).decrypt(r, key())).isEqualTo("hello");
        assertThat(rand(PlaintextType.TEXT).decrypt(d, key())).isEqualTo("hello");
    }

    @Test
    void paddingIsRecordedInTheHeader() throws Exception {
        ColumnCipher unpadded = det(PlaintextType.TEXT);
        ColumnCipher padded = new ColumnCipher(TABLE, "c", Fixtures.padded("c", DETERMINISTIC, PlaintextType.TEXT, 32), 1);
        byte[] p = padded.encrypt("hi", key());
        assertThat(p[6] & 0x80).isEqualTo(0x80);
        // a column whose pad setting changed still reads both kinds of value
        assertThat(unpadded.decrypt(p, key())).isEqualTo("hi");
        assertThat(padded.decrypt(unpadded.encrypt("hi", key()), key())).isEqualTo("hi");
        assertThat(p.length).isEqualTo(7 + 16 + 48 + 32); // 32 bytes of padded plaintext -> 3 CBC blocks
    }

    // ------------------------------------------------------------------ randomized nonces and re-salting

    @Test
    void reSaltsAfter2To32ValuesUnderOneSubKey() throws Exception {
        ColumnCipher c = new ColumnCipher(TABLE, "c", column("c", RANDOMIZED, PlaintextType.TEXT), 1,
                Fixtures.fixedSalts(), ValueFormat.VALUES_PER_SUBKEY - 2);
        DataKey k = key();
        byte[] a = c.encrypt("a", k);
        byte[] b = c.encrypt("b", k);
        byte[] after = c.encrypt("c", k);
        byte[] next = c.encrypt("d", k);
        assertThat(HEX.formatHex(a, 7, 35)).isEqualTo("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" + "0000000000000000fffffffe");
        assertThat(HEX.formatHex(b, 7, 35)).isEqualTo("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" + "0000000000000000ffffffff");
        assertThat(HEX.formatHex(after, 7, 35)).isEqualTo("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf" + "000000000000000000000000");
        assertThat(HEX.formatHex(next, 7, 35)).isEqualTo("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf" + "000000000000000000000001");
        // a fresh DataKey object (a fresh unwrap) starts a fresh writer generation with a fresh salt
        assertThat(HEX.formatHex(c.encrypt("e", key()), 7, 23)).isEqualTo("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
        assertThat(c.decrypt(a, key())).isEqualTo("a");
        assertThat(c.decrypt(b, key())).isEqualTo("b");
        assertThat(c.decrypt(after, key())).isEqualTo("c");
        // and a fresh process (another cipher object) reads every one of them
        assertThat(rand(PlaintextType.TEXT).decrypt(after, key())).isEqualTo("c");
    }

    @Test
    void concurrentWritersNeverReuseANonce() throws Exception {
        ColumnCipher c = rand(PlaintextType.TEXT);
        DataKey k = key();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<byte[]>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    List<byte[]> out = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        out.add(c.encrypt("v" + i, k));
                    }
                    return out;
                }));
            }
            Set<String> saltAndNonce = Collections.synchronizedSet(new HashSet<>());
            int n = 0;
            for (Future<List<byte[]>> f : futures) {
                for (byte[] v : f.get()) {
                    saltAndNonce.add(HEX.formatHex(v, 7, 35));
                    n++;
                    assertThat((String) c.decrypt(v, k)).startsWith("v");
                }
            }
            assertThat(saltAndNonce).hasSize(n);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ keys: destroy, toString

    @Test
    void aDestroyedKeyIsRefused() throws Exception {
        DataKey k = key();
        ColumnCipher c = rand(PlaintextType.TEXT);
        byte[] v = c.encrypt("hello", k);
        k.destroy();
        assertThatThrownBy(() -> c.encrypt("hello", k)).isInstanceOf(SQLDataException.class)
                .hasMessageContaining("destroyed");
        assertThatThrownBy(() -> c.decrypt(v, k)).isInstanceOf(SQLDataException.class)
                .hasMessageContaining("destroyed");
        assertThat(k.derived).isEmpty();
    }

    @Test
    void toStringNeverShowsKeys() throws Exception {
        DataKey k = key();
        ColumnCipher c = det(PlaintextType.TEXT);
        c.encrypt("hello", k);
        rand(PlaintextType.TEXT).encrypt("hello", k);
        String keyHex = HEX.formatHex(Fixtures.keyBytes());
        List<String> shown = new ArrayList<>(List.of(k.toString(), c.toString()));
        for (KeyMaterial m : k.derived.values()) {
            shown.add(m.toString());
            shown.add(m.deterministic().toString());
            shown.add(m.writer().toString());
        }
        assertThat(k.derived).hasSize(2);
        for (String s : shown) {
            assertThat(s).doesNotContain(keyHex).doesNotContain("hello");
        }
        assertThat(c.toString()).isEqualTo("ColumnCipher[public.customers.c, deterministic, text]");
        assertThat(k.toString()).isEqualTo("DataKey[public.customers v1]");
    }

    @Test
    void derivedStateIsCachedPerCipherAndKeyObject() throws Exception {
        DataKey k = key();
        ColumnCipher c = rand(PlaintextType.TEXT);
        c.encrypt("a", k);
        KeyMaterial first = k.derived.get(c);
        c.encrypt("b", k);
        c.decrypt(c.encrypt("c", k), k);
        assertThat(k.derived.get(c)).isSameAs(first);
        DataKey fresh = key();
        c.encrypt("d", fresh);
        assertThat(fresh.derived.get(c)).isNotSameAs(first);
    }

    @Test
    void defaultsApplyWhenTheConfigLeavesModeAndTypeOut() throws Exception {
        ColumnConfig bare = new ColumnConfig("c", null, null, null, null, 0, false);
        ColumnCipher c = new ColumnCipher(TABLE, "c", bare, 1);
        byte[] v1 = c.encrypt("x", key());
        assertThat(v1[1]).isEqualTo((byte) 1); // randomized
        assertThat(v1[6]).isEqualTo((byte) 1); // text
        assertThat(c.config()).isSameAs(bare);
        assertThat(EncryptionMode.valueOf("RANDOMIZED")).isEqualTo(RANDOMIZED);
    }
}
