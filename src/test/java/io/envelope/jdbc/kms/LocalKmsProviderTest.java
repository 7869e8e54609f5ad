package io.envelope.jdbc.kms;

import io.envelope.jdbc.config.KmsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalKmsProviderTest {

    @TempDir
    Path dir;

    /** A fixed master key 0x00..0x1f, and its base64 form. */
    private static final byte[] MASTER = new byte[32];
    static {
        for (int i = 0; i < 32; i++) {
            MASTER[i] = (byte) i;
        }
    }
    private static final String MASTER_B64 = Base64.getEncoder().encodeToString(MASTER);
    private static final String MASTER_HEX = java.util.HexFormat.of().formatHex(MASTER);

    private static final EncryptionContext CUSTOMERS_1 = new EncryptionContext("public.customers", 1);

    private static KmsConfig envConfig(String variable) {
        return new KmsConfig("local", null, null, null, null, List.of(), null, variable);
    }

    private static KmsConfig fileConfig(Path file) {
        return new KmsConfig("local", null, null, null, null, List.of(), file.toString(), null);
    }

    private static LocalKmsProvider provider() throws SQLException {
        return LocalKmsProvider.fromConfig(envConfig("MK"), Map.of("MK", MASTER_B64)::get);
    }

    /** The local key id rule of docs/format.md (Keys), computed here independently of the provider. */
    private static String expectedKeyId(byte[] key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] digest = mac.doFinal("envelope-jdbc/local-key-id/v1".getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder("local:");
        for (int i = 0; i < 16; i++) {
            hex.append(String.format("%02x", digest[i] & 0xff));
        }
        return hex.toString();
    }

    @Test
    void theKeyIdIsTheHmacRule() throws Exception {
        LocalKmsProvider kms = provider();
        assertThat(kms.masterKeyId()).isEqualTo(expectedKeyId(MASTER)).matches("local:[0-9a-f]{32}");
        assertThat(kms.providerName()).isEqualTo("local");
        assertThat(kms.isAllowed(kms.masterKeyId())).isTrue();
        assertThat(kms.isAllowed("local:00000000000000000000000000000000")).isFalse();
        assertThat(kms.isAllowed(null)).isFalse();
    }

    @Test
    void rawFileBase64FileAndEnvironmentGiveTheSameKey() throws Exception {
        Path raw = dir.resolve("raw.key");
        Files.write(raw, MASTER);
        Path b64 = dir.resolve("b64.key");
        Files.writeString(b64, MASTER_B64 + "\n");
        Path b64crlf = dir.resolve("b64crlf.key");
        Files.writeString(b64crlf, MASTER_B64 + "\r\n");
        String id = expectedKeyId(MASTER);
        assertThat(LocalKmsProvider.fromConfig(fileConfig(raw)).masterKeyId()).isEqualTo(id);
        assertThat(LocalKmsProvider.fromConfig(fileConfig(b64)).masterKeyId()).isEqualTo(id);
        assertThat(LocalKmsProvider.fromConfig(fileConfig(b64crlf)).masterKeyId()).isEqualTo(id);
        assertThat(LocalKmsProvider.fromConfig(envConfig("MK"), Map.of("MK", MASTER_B64 + "\n")::get).masterKeyId())
                .isEqualTo(id);
        assertThat(LocalKmsProvider.ofKey(MASTER, "test").masterKeyId()).isEqualTo(id);
    }

    @Test
    void aDataKeyRoundTrips() throws Exception {
        LocalKmsProvider kms = provider();
        GeneratedDataKey generated = kms.generateDataKey(CUSTOMERS_1);
        assertThat(generated.plaintext()).hasSize(32);
        assertThat(generated.wrapped()).hasSize(1 + 12 + 32 + 16);
        assertThat(generated.wrapped()[0]).isEqualTo((byte) 1);
        assertThat(generated.kmsKeyId()).isEqualTo(kms.masterKeyId());
        assertThat(kms.decrypt(kms.masterKeyId(), generated.wrapped(), CUSTOMERS_1))
                .isEqualTo(generated.plaintext());
        // another provider over the same master key unwraps it too
        LocalKmsProvider same = LocalKmsProvider.ofKey(MASTER, "same key");
        assertThat(same.decrypt(same.masterKeyId(), generated.wrapped(), CUSTOMERS_1))
                .isEqualTo(generated.plaintext());
        // fresh keys and fresh nonces every time
        GeneratedDataKey second = kms.generateDataKey(CUSTOMERS_1);
        assertThat(second.plaintext()).isNotEqualTo(generated.plaintext());
        assertThat(second.wrapped()).isNotEqualTo(generated.wrapped());
    }

    @Test
    void theWrapIsAesGcmUnderTheMasterKeyWithTheContextAsAad() throws Exception {
        LocalKmsProvider kms = provider();
        GeneratedDataKey generated = kms.generateDataKey(CUSTOMERS_1);
        byte[] wrapped = generated.wrapped();
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.DECRYPT_MODE, new SecretKeySpec(MASTER, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, wrapped, 1, 12));
        cipher.updateAAD(CUSTOMERS_1.asAad());
        assertThat(cipher.doFinal(wrapped, 13, wrapped.length - 13)).isEqualTo(generated.plaintext());
    }

    @Test
    void anotherTableOrVersionFailsToUnwrap() throws Exception {
        LocalKmsProvider kms = provider();
        byte[] wrapped = kms.generateDataKey(CUSTOMERS_1).wrapped();
        assertThatThrownBy(() -> kms.decrypt(kms.masterKeyId(), wrapped, new EncryptionContext("public.orders", 1)))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: Decrypt of the data key of table public.orders version 1")
                .hasMessageContaining("does not authenticate");
        assertThatThrownBy(() -> kms.decrypt(kms.masterKeyId(), wrapped, new EncryptionContext("public.customers", 2)))
                .hasMessageStartingWith("envelope-jdbc: Decrypt of the data key of table public.customers version 2")
                .hasMessageContaining("does not authenticate");
    }

    @Test
    void aTamperedBlobFailsInEveryByte() throws Exception {
        LocalKmsProvider kms = provider();
        byte[] wrapped = kms.generateDataKey(CUSTOMERS_1).wrapped();
        for (int i = 0; i < wrapped.length; i++) {
            byte[] tampered = wrapped.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> kms.decrypt(kms.masterKeyId(), tampered, CUSTOMERS_1))
                    .isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("envelope-jdbc: Decrypt of the data key of table public.customers version 1");
        }
        assertThatThrownBy(() -> kms.decrypt(kms.masterKeyId(), new byte[10], CUSTOMERS_1))
                .hasMessageContaining("has 10 bytes, not the 61 of the local format");
    }

    @Test
    void aRowNamingAnotherMasterKeyIsRefusedNamingBoth() throws Exception {
        LocalKmsProvider kms = provider();
        byte[] wrapped = kms.generateDataKey(CUSTOMERS_1).wrapped();
        LocalKmsProvider other = LocalKmsProvider.ofKey(LocalKmsProvider.newMasterKey(), "other");
        assertThatThrownBy(() -> other.decrypt(kms.masterKeyId(), wrapped, CUSTOMERS_1))
                .hasMessageContaining("Decrypt")
                .hasMessageContaining(kms.masterKeyId())
                .hasMessageContaining(other.masterKeyId())
                .hasMessageContaining("public.customers version 1");
        // and with the right id but the wrong key, authentication fails
        assertThatThrownBy(() -> other.decrypt(other.masterKeyId(), wrapped, CUSTOMERS_1))
                .hasMessageContaining("does not authenticate");
    }

    @Test
    void reEncryptRewrapsUnderItsOwnKeyOnly() throws Exception {
        LocalKmsProvider kms = provider();
        GeneratedDataKey generated = kms.generateDataKey(CUSTOMERS_1);
        byte[] rewrapped = kms.reEncrypt(kms.masterKeyId(), generated.wrapped(), kms.masterKeyId(), CUSTOMERS_1);
        assertThat(rewrapped).isNotEqualTo(generated.wrapped());
        assertThat(kms.decrypt(kms.masterKeyId(), rewrapped, CUSTOMERS_1)).isEqualTo(generated.plaintext());
        String otherId = LocalKmsProvider.ofKey(LocalKmsProvider.newMasterKey(), "other").masterKeyId();
        assertThatThrownBy(() -> kms.reEncrypt(kms.masterKeyId(), generated.wrapped(), otherId, CUSTOMERS_1))
                .hasMessageStartingWith("envelope-jdbc: ReEncrypt of the data key of table public.customers version 1")
                .hasMessageContaining("cannot re-wrap to '" + otherId + "'");
        assertThatThrownBy(() -> kms.reEncrypt(otherId, generated.wrapped(), kms.masterKeyId(), CUSTOMERS_1))
                .hasMessageContaining(otherId).hasMessageContaining(kms.masterKeyId());
    }

    @Test
    void badKeyFilesAndVariablesAreNamedWithoutTheirContent() throws Exception {
        byte[] shortKey = new byte[31];
        java.util.Arrays.fill(shortKey, (byte) 'k');
        Path shortRaw = dir.resolve("short.key");
        Files.write(shortRaw, shortKey);
        String b64_16 = Base64.getEncoder().encodeToString(new byte[] {
                11, 22, 33, 44, 55, 66, 77, 88, 99, 111, 122, 1, 2, 3, 4, 5});
        Path short64 = dir.resolve("short64.key");
        Files.writeString(short64, b64_16 + "\n");
        Path notB64 = dir.resolve("junk.key");
        Files.writeString(notB64, "this-is-not-base64-!!-secretish-text-1234567890\n");
        Path empty = dir.resolve("empty.key");
        Files.write(empty, new byte[0]);

        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(fileConfig(shortRaw)))
                .hasMessage("envelope-jdbc: kms.master-key-file: '" + shortRaw + "' holds 31 bytes, which are neither"
                        + " 32 raw bytes nor base64 of 32 bytes (read as base64 they give 23 bytes)");
        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(fileConfig(short64)))
                .hasMessage("envelope-jdbc: kms.master-key-file: '" + short64 + "' holds 25 bytes, which are neither"
                        + " 32 raw bytes nor base64 of 32 bytes (read as base64 they give 16 bytes)")
                .hasMessageNotContaining(b64_16);
        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(fileConfig(notB64)))
                .hasMessageContaining(notB64.toString())
                .hasMessageNotContaining("secretish")
                .hasMessageNotContaining("!");
        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(fileConfig(empty))).hasMessageContaining("is empty");
        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(fileConfig(dir.resolve("absent.key"))))
                .hasMessageContaining("absent.key' does not exist");

        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(envConfig("MK"), name -> null))
                .hasMessage("envelope-jdbc: kms.master-key-env: environment variable MK is not set");
        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(envConfig("MK"), Map.of("MK", b64_16)::get))
                .hasMessage("envelope-jdbc: kms.master-key-env: environment variable MK holds base64 of 16 bytes;"
                        + " expected base64 of 32 bytes");
        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(envConfig("MK"), Map.of("MK", "sécret+key?")::get))
                .hasMessage("envelope-jdbc: kms.master-key-env: environment variable MK is not base64 (expected"
                        + " base64 of 32 bytes)");
        assertThatThrownBy(() -> LocalKmsProvider.fromConfig(envConfig("MK"), Map.of("MK", " \n")::get))
                .hasMessageContaining("is empty");
    }

    @Test
    void noMessageOrToStringShowsKeyMaterial() throws Exception {
        LocalKmsProvider kms = provider();
        GeneratedDataKey generated = kms.generateDataKey(CUSTOMERS_1);
        String dataKeyHex = java.util.HexFormat.of().formatHex(generated.plaintext());
        String dataKeyB64 = Base64.getEncoder().encodeToString(generated.plaintext());
        List<String> texts = new java.util.ArrayList<>(List.of(kms.toString(), generated.toString()));
        for (EncryptionContext wrong : List.of(new EncryptionContext("x.y", 1), new EncryptionContext("public.customers", 9))) {
            try {
                kms.decrypt(kms.masterKeyId(), generated.wrapped(), wrong);
            } catch (SQLException e) {
                texts.add(e.getMessage());
            }
        }
        assertThat(texts).hasSizeGreaterThanOrEqualTo(4);
        assertThat(kms.toString()).isEqualTo("LocalKmsProvider[masterKeyId=" + kms.masterKeyId()
                + ", master-key-env MK]");
        for (String text : texts) {
            assertThat(text).doesNotContain(MASTER_B64).doesNotContain(MASTER_HEX)
                    .doesNotContain(dataKeyHex).doesNotContain(dataKeyB64);
        }
    }

    @Test
    void aClosedProviderRefusesWork() throws Exception {
        LocalKmsProvider kms = LocalKmsProvider.ofKey(MASTER, "test");
        byte[] wrapped = kms.generateDataKey(CUSTOMERS_1).wrapped();
        kms.close();
        assertThatThrownBy(() -> kms.decrypt(kms.masterKeyId(), wrapped, CUSTOMERS_1)).hasMessageContaining("closed");
    }

    @Test
    void theKeyBytesReadFromAFileAreOverwrittenOnceTheProviderHoldsItsCopy() throws Exception {
        byte[] read = new byte[32];
        for (int i = 0; i < 32; i++) {
            read[i] = (byte) (i + 1);
        }
        LocalKmsProvider provider = LocalKmsProvider.ofWiped(read, "test");
        assertThat(read).as("the transient copy is wiped").containsOnly((byte) 0);
        byte[] wrapped = provider.generateDataKey(new EncryptionContext("s.t", 1)).wrapped();
        assertThat(provider.decrypt(provider.masterKeyId(), wrapped, new EncryptionContext("s.t", 1))).hasSize(32);
        provider.close();
    }
}
