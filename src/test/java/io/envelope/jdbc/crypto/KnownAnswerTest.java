package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.PlaintextType;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;

import static io.envelope.jdbc.config.EncryptionMode.DETERMINISTIC;
import static io.envelope.jdbc.config.EncryptionMode.RANDOMIZED;
import static io.envelope.jdbc.crypto.Fixtures.HEX;
import static io.envelope.jdbc.crypto.Fixtures.column;
import static io.envelope.jdbc.crypto.Fixtures.decimal;
import static io.envelope.jdbc.crypto.Fixtures.key;
import static io.envelope.jdbc.crypto.Fixtures.padded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins format version 1: data key 00..1f, table {@code public.customers}, key version 1, first salt a0..af,
 * counter 0. The same vectors are listed in docs/format.md. If one of these changes, the format changed:
 * that needs a new format version, not a new vector.
 */
class KnownAnswerTest {

    static final String RAND_TEXT_HELLO = "01010000000101a0a1a2a3a4a5a6a7a8a9aaabacadaeaf000000000000000000000000"
            + "1a91e10ca3" + "49adaf0c327e9b6484a0dbe856389ce1";
    static final String DET_TEXT_HELLO = "01020000000101a1e66e47ff12e0ffd85fabd05cb24d59b7"
            + "42a04b0b83fd71aa08784eb7c23438ba"
            + "70fb0a2a6fb2ab8f6e312a1efec1cb578e7da0b75d38df6298c67187d3a000";
    static final String RAND_BIGINT_5 = "01010000000103a0a1a2a3a4a5a6a7a8a9aaabacadaeaf000000000000000000000000"
            + "5519ba2e3c6f58ed" + "7232dbb10a9cd7e01b49e26d8ef9cb4e";
    static final String DET_INT_5 = "010200000001034eb94b8cbbaa02471dd3cc3cef5e3496bedc166c9b87d93d115a921e70bd2f92"
            + "2b8fd7b7eb56608cd37c395f2785b9b5c73e4344812f2a069f7296d6bae5cacf";
    static final String DET_DECIMAL_12_50 = "0102000000010442dfae895f1694a996a4a956f898644828bc7d48bd2af2b8d0520ff1303c9bd9"
            + "4963789bc8d723b372ed4608216c64efd8059ba05bdbc182389aa2ab3904f8d4";
    static final String RAND_DATE = "01010000000107a0a1a2a3a4a5a6a7a8a9aaabacadaeaf000000000000000000000000"
            + "1787da6de55c2b6e5bc6b1687c9977c7bfde0ed72b8abcb9";
    static final String DET_PADDED_HELLO = "0102000000018166384abcb2e1b74ccb58e108e547fac4c6c8cd9c11569e430e607ec75f03b2070d9811da"
            + "4cf1749537c9d0f86805c6ae990fcc22a863089b6310464e6e5aa1c428e60735fb2e3a800db43d51ec971def";
    static final String RAND_PADDED_HELLO = "01010000000181a0a1a2a3a4a5a6a7a8a9aaabacadaeaf000000000000000000000000"
            + "8a8e258ce47cd77f30dcb915291ed898dc631128c10f6387a3269170149b6ce5";

    private static ColumnCipher seeded(String col, ColumnConfig cfg) {
        return Fixtures.seeded(col, cfg);
    }

    @Test
    void randomizedText() throws Exception {
        ColumnCipher c = seeded("email", column("email", RANDOMIZED, PlaintextType.TEXT));
        byte[] v = c.encrypt("hello", key());
        assertThat(HEX.formatHex(v)).isEqualTo(RAND_TEXT_HELLO);
        assertThat(c.decrypt(HEX.parseHex(RAND_TEXT_HELLO), key())).isEqualTo("hello");
    }

    @Test
    void deterministicText() throws Exception {
        ColumnCipher c = Fixtures.cipher("email", column("email", DETERMINISTIC, PlaintextType.TEXT));
        assertThat(HEX.formatHex(c.encrypt("hello", key()))).isEqualTo(DET_TEXT_HELLO);
        assertThat(c.decrypt(HEX.parseHex(DET_TEXT_HELLO), key())).isEqualTo("hello");
    }

    @Test
    void randomizedBigint() throws Exception {
        ColumnCipher c = seeded("n", column("n", RANDOMIZED, PlaintextType.BIGINT));
        assertThat(HEX.formatHex(c.encrypt(5L, key()))).isEqualTo(RAND_BIGINT_5);
        assertThat(c.decrypt(HEX.parseHex(RAND_BIGINT_5), key())).isEqualTo(5L);
    }

    @Test
    void deterministicInt() throws Exception {
        ColumnCipher c = Fixtures.cipher("n", column("n", DETERMINISTIC, PlaintextType.INT));
        assertThat(HEX.formatHex(c.encrypt(5, key()))).isEqualTo(DET_INT_5);
        // the same bytes for a bigint column of the same name: int and bigint share one family
        ColumnCipher wide = Fixtures.cipher("n", column("n", DETERMINISTIC, PlaintextType.BIGINT));
        assertThat(HEX.formatHex(wide.encrypt(5L, key()))).isEqualTo(DET_INT_5);
        assertThat(wide.decrypt(HEX.parseHex(DET_INT_5), key())).isEqualTo(5L);
    }

    @Test
    void deterministicDecimal() throws Exception {
        ColumnCipher c = Fixtures.cipher("balance", decimal("balance", DETERMINISTIC, 2, null));
        assertThat(HEX.formatHex(c.encrypt(new BigDecimal("12.50"), key()))).isEqualTo(DET_DECIMAL_12_50);
        assertThat(HEX.formatHex(c.encrypt(new BigDecimal("12.5"), key()))).isEqualTo(DET_DECIMAL_12_50);
        assertThat(c.decrypt(HEX.parseHex(DET_DECIMAL_12_50), key())).isEqualTo(new BigDecimal("12.50"));
    }

    @Test
    void randomizedDate() throws Exception {
        ColumnCipher c = seeded("birth_date", column("birth_date", RANDOMIZED, PlaintextType.DATE));
        assertThat(HEX.formatHex(c.encrypt(LocalDate.of(1990, 5, 17), key()))).isEqualTo(RAND_DATE);
        assertThat(c.decrypt(HEX.parseHex(RAND_DATE), key())).isEqualTo(LocalDate.of(1990, 5, 17));
    }

    @Test
    void paddedText() throws Exception {
        ColumnCipher det = Fixtures.cipher("note", padded("note", DETERMINISTIC, PlaintextType.TEXT, 16));
        assertThat(HEX.formatHex(det.encrypt("hello", key()))).isEqualTo(DET_PADDED_HELLO);
        assertThat(det.decrypt(HEX.parseHex(DET_PADDED_HELLO), key())).isEqualTo("hello");
        ColumnCipher rand = seeded("note", padded("note", RANDOMIZED, PlaintextType.TEXT, 16));
        assertThat(HEX.formatHex(rand.encrypt("hello", key()))).isEqualTo(RAND_PADDED_HELLO);
        assertThat(rand.decrypt(HEX.parseHex(RAND_PADDED_HELLO), key())).isEqualTo("hello");
    }

    // ---- the vectors rebuilt from docs/format.md with plain JCE calls, independently of ColumnCipher

    private static byte[] lp(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }

    private static byte[] lp(byte[] b) {
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            m.update(p);
        }
        return m.doFinal();
    }

    /** HKDF with a 32-byte output: PRK = HMAC(zeros, key); OKM = HMAC(PRK, info || 0x01). */
    private static byte[] subKey(byte[] info) throws Exception {
        byte[] prk = hmac(new byte[32], Fixtures.keyBytes());
        return hmac(prk, info, new byte[] {1});
    }

    @Test
    void randomizedVectorFollowsTheDocumentedConstruction() throws Exception {
        byte[] header = HEX.parseHex("01" + "01" + "00000001" + "01");
        byte[] salt = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
        byte[] nonce = new byte[12];
        byte[] place = cat(lp("public.customers"), lp("email"));
        byte[] key = subKey(cat(lp("envelope-jdbc/v1/randomized"), place, lp(salt)));
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(cat(header, salt, nonce, place));
        byte[] ct = gcm.doFinal("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(HEX.formatHex(cat(header, salt, nonce, ct))).isEqualTo(RAND_TEXT_HELLO);
    }

    @Test
    void deterministicVectorFollowsTheDocumentedConstruction() throws Exception {
        byte[] header = HEX.parseHex("01" + "02" + "00000001" + "01");
        byte[] place = cat(lp("public.customers"), lp("email"));
        byte[] aad = cat(header, place);
        byte[] encKey = subKey(cat(lp("envelope-jdbc/v1/deterministic/enc"), place));
        byte[] macKey = subKey(cat(lp("envelope-jdbc/v1/deterministic/mac"), place));
        byte[] ivKey = subKey(cat(lp("envelope-jdbc/v1/deterministic/iv"), place));
        byte[] pt = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] iv = Arrays.copyOf(hmac(ivKey, aad, pt), 16);
        Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encKey, "AES"), new IvParameterSpec(iv));
        byte[] ct = cbc.doFinal(pt);
        byte[] tag = hmac(macKey, aad, iv, ct);
        assertThat(HEX.formatHex(cat(header, iv, ct, tag))).isEqualTo(DET_TEXT_HELLO);
    }
}
