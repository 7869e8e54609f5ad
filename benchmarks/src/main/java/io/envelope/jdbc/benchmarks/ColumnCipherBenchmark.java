package io.envelope.jdbc.benchmarks;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import io.envelope.jdbc.crypto.ColumnCipher;
import io.envelope.jdbc.crypto.DataKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * One text value of 16 or 256 bytes through {@link ColumnCipher} (randomized and deterministic), beside raw
 * JCE AES-256-GCM with a cached Cipher, which is the floor: the column cipher adds canonical encoding, the
 * header, the AAD of its place and the sub-key lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ColumnCipherBenchmark {

    @Param({"16", "256"})
    public int size;

    private String text;
    private byte[] textBytes;
    private DataKey key;
    private ColumnCipher randomized;
    private ColumnCipher deterministic;
    private byte[] randomizedValue;
    private byte[] deterministicValue;

    private Cipher rawGcm;
    private SecretKeySpec rawKey;
    private byte[] rawNonce;
    private long rawCounter;
    private byte[] rawAad;
    private byte[] rawValue;
    private byte[] rawValueNonce;
    /** Each mode's floor, with the format's AAD lengths (see {@link RawFloor}). */
    private RawFloor floor;
    private byte[] gcmSealed;
    private byte[] cbcHmacSealed;

    @Setup
    public void setup() throws Exception {
        text = "x".repeat(size);
        textBytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new DataKey("public.customers", 1, k);
        randomized = new ColumnCipher("public.customers", "note",
                new ColumnConfig("note", EncryptionMode.RANDOMIZED, PlaintextType.TEXT, null, null, 0, false), 1);
        deterministic = new ColumnCipher("public.customers", "email",
                new ColumnConfig("email", EncryptionMode.DETERMINISTIC, PlaintextType.TEXT, null, null, 0, false), 1);
        randomizedValue = randomized.encrypt(text, key);
        deterministicValue = deterministic.encrypt(text, key);

        rawGcm = Cipher.getInstance("AES/GCM/NoPadding");
        rawKey = new SecretKeySpec(k, "AES");
        rawNonce = new byte[12];
        rawAad = "public.customers.note".getBytes(StandardCharsets.UTF_8);
        rawValueNonce = new byte[12];
        new SecureRandom().nextBytes(rawValueNonce);
        rawGcm.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawValueNonce));
        rawGcm.updateAAD(rawAad);
        rawValue = rawGcm.doFinal(textBytes);

        floor = new RawFloor();
        gcmSealed = floor.gcmSeal(textBytes);
        cbcHmacSealed = floor.cbcHmacSeal(textBytes);
    }

    @Benchmark
    public byte[] randomizedEncrypt() throws Exception {
        return randomized.encrypt(text, key);
    }

    @Benchmark
    public Object randomizedDecrypt() throws Exception {
        return randomized.decrypt(randomizedValue, key);
    }

    @Benchmark
    public byte[] deterministicEncrypt() throws Exception {
        return deterministic.encrypt(text, key);
    }

    @Benchmark
    public Object deterministicDecrypt() throws Exception {
        return deterministic.decrypt(deterministicValue, key);
    }

    /** Raw AES-256-GCM of the same bytes: cached Cipher, counter nonce, same-size AAD. */
    @Benchmark
    public byte[] rawGcmEncrypt() throws Exception {
        long n = ++rawCounter;
        for (int i = 0; i < 8; i++) {
            rawNonce[11 - i] = (byte) (n >>> (8 * i));
        }
        rawGcm.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        rawGcm.updateAAD(rawAad);
        return rawGcm.doFinal(textBytes);
    }

    @Benchmark
    public byte[] rawGcmDecrypt() throws Exception {
        rawGcm.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawValueNonce));
        rawGcm.updateAAD(rawAad);
        return rawGcm.doFinal(rawValue);
    }

    /** The randomized mode's floor: raw AES-256-GCM with an AAD as long as the stored format's. */
    @Benchmark
    public byte[] rawGcmDecryptFormatAad() throws Exception {
        return floor.gcmOpen(gcmSealed);
    }

    /**
     * The deterministic mode's floor: verify a raw HMAC-SHA-256 tag over as many bytes as the format's (header,
     * place, IV, ciphertext), then raw AES-256-CBC decrypt.
     */
    @Benchmark
    public byte[] rawCbcHmacDecryptFormatAad() throws Exception {
        return floor.cbcHmacOpen(cbcHmacSealed);
    }
}
