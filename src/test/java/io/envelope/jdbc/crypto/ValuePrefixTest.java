package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prefix {@code doctor} groups stored values by (format version, mode, key version): read from real ciphertexts
 * of both modes, raw and as the base64 a character column holds; plaintexts are not mistaken for it.
 */
class ValuePrefixTest {

    @Test
    void theFirstBytesOfEveryStoredValueNameItsKeyVersionRawAndInBase64() throws Exception {
        for (EncryptionMode mode : EncryptionMode.values()) {
            for (int version : new int[] {1, 7, 300, 70_000, Integer.MAX_VALUE}) {
                ColumnCipher cipher = Fixtures.cipher("c", Fixtures.column("c", mode, PlaintextType.TEXT));
                byte[] stored = cipher.encrypt("x", Fixtures.key(Fixtures.TABLE, version));
                assertThat(ValuePrefix.keyVersion(Arrays.copyOf(stored, ValuePrefix.BYTES))).isEqualTo(version);
                assertThat(ValuePrefix.leadingBytes()).anyMatch(p -> Arrays.equals(p, Arrays.copyOf(stored, 2)));
                String text = Base64.getEncoder().withoutPadding().encodeToString(stored);
                assertThat(ValuePrefix.keyVersion(text.substring(0, ValuePrefix.BASE64_CHARS))).isEqualTo(version);
                assertThat(ValuePrefix.leadingBase64()).contains(text.substring(0, 2));
            }
        }
        assertThat(ValuePrefix.BASE64_CHARS).isEqualTo(8);
    }

    @Test
    void plaintextsAndMalformedHeadersNameNoVersion() {
        assertThat(ValuePrefix.keyVersion("ada@example.com")).isEqualTo(-1);
        assertThat(ValuePrefix.keyVersion("AQ")).isEqualTo(-1);
        assertThat(ValuePrefix.keyVersion(new byte[] {1, 1, 0, 0, 0, 0})).as("version 0").isEqualTo(-1);
        assertThat(ValuePrefix.keyVersion(new byte[] {1, 3, 0, 0, 0, 1})).as("unknown mode").isEqualTo(-1);
        assertThat(ValuePrefix.keyVersion(new byte[] {9, 1, 0, 0, 0, 1})).as("unknown format").isEqualTo(-1);
        assertThat(ValuePrefix.keyVersion(new byte[] {1, 2, (byte) 0x80, 0, 0, 1})).as("negative").isEqualTo(-1);
        assertThat(ValuePrefix.keyVersion("AQ%%%%%%")).as("not base64").isEqualTo(-1);
    }
}
