package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.kms.EncryptionContext;
import io.envelope.jdbc.kms.GeneratedDataKey;
import io.envelope.jdbc.kms.KmsProvider;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Test-only in-memory KMS: wraps data keys with AES-256-GCM under a master key, with
 * {@link EncryptionContext#asAad()} as AAD (so a wrapped key moved to another table or version fails), and counts
 * calls. Decrypts can be held at a latch (to prove single-flight) or made to fail.
 */
public final class CountingTestKms implements KmsProvider {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String providerName;
    private final byte[] masterKey;
    private final String keyId;
    private final Set<String> allowedKeyIds;
    /** Master keys of the allowed ids this instance can unwrap with (as a KMS can use several keys). */
    private final java.util.Map<String, byte[]> otherMasters = new java.util.concurrent.ConcurrentHashMap<>();

    public final AtomicInteger generateCalls = new AtomicInteger();
    public final AtomicInteger decryptCalls = new AtomicInteger();
    public final AtomicInteger reEncryptCalls = new AtomicInteger();
    /** Decrypts that have started (counted before any hold). */
    public final AtomicInteger decryptsEntered = new AtomicInteger();

    private volatile CountDownLatch hold;
    private volatile Predicate<EncryptionContext> holdWhich = c -> true;
    private final AtomicInteger failNextDecrypts = new AtomicInteger();

    /** A fresh random master key, provider {@code local}. */
    public CountingTestKms() {
        this(randomKey());
    }

    public CountingTestKms(byte[] masterKey) {
        this("local", masterKey, Set.of());
    }

    public CountingTestKms(String providerName, byte[] masterKey, Set<String> allowedKeyIds) {
        this.providerName = providerName;
        this.masterKey = masterKey.clone();
        this.keyId = localKeyId(masterKey);
        this.allowedKeyIds = Set.copyOf(allowedKeyIds);
    }

    public static byte[] randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** {@code local:} + hex of the first 16 bytes of HMAC-SHA-256(master, "envelope-jdbc/local-key-id/v1"). */
    public static String localKeyId(byte[] masterKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
            byte[] digest = mac.doFinal("envelope-jdbc/local-key-id/v1".getBytes(StandardCharsets.UTF_8));
            return "local:" + HexFormat.of().formatHex(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new KMS with its own master key that also allows, and can unwrap with, {@code other}'s master key. */
    public CountingTestKms allowing(CountingTestKms other) {
        CountingTestKms kms = new CountingTestKms(providerName, randomKey(), Set.of(other.keyId));
        kms.otherMasters.put(other.keyId, other.masterKey.clone());
        return kms;
    }

    /** Holds every decrypt whose context matches until {@code latch} opens. */
    public void holdDecrypts(CountDownLatch latch, Predicate<EncryptionContext> which) {
        this.holdWhich = which;
        this.hold = latch;
    }

    public void holdDecrypts(CountDownLatch latch) {
        holdDecrypts(latch, c -> true);
    }

    /** The next {@code n} decrypts fail (after counting). */
    public void failNextDecrypts(int n) {
        failNextDecrypts.set(n);
    }

    public int totalCalls() {
        return generateCalls.get() + decryptCalls.get() + reEncryptCalls.get();
    }

    @Override
    public String providerName() {
        return providerName;
    }

    @Override
    public String masterKeyId() {
        return keyId;
    }

    @Override
    public boolean isAllowed(String kmsKeyId) {
        return keyId.equals(kmsKeyId) || allowedKeyIds.contains(kmsKeyId);
    }

    @Override
    public GeneratedDataKey generateDataKey(EncryptionContext context) throws SQLException {
        generateCalls.incrementAndGet();
        byte[] plaintext = randomKey();
        return new GeneratedDataKey(plaintext, wrap(plaintext, context), keyId);
    }

    @Override
    public byte[] decrypt(String kmsKeyId, byte[] wrapped, EncryptionContext context) throws SQLException {
        decryptsEntered.incrementAndGet();
        CountDownLatch latch = hold;
        if (latch != null && holdWhich.test(context)) {
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw EnvelopeErrors.key("test KMS: held decrypt timed out");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw EnvelopeErrors.key("test KMS: interrupted", e);
            }
        }
        decryptCalls.incrementAndGet();
        if (failNextDecrypts.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            throw EnvelopeErrors.key("test KMS Decrypt under " + kmsKeyId + ": injected failure");
        }
        return unwrap(kmsKeyId, wrapped, context);
    }

    @Override
    public byte[] reEncrypt(String fromKmsKeyId, byte[] wrapped, String toKmsKeyId, EncryptionContext context)
            throws SQLException {
        reEncryptCalls.incrementAndGet();
        if (!keyId.equals(toKmsKeyId)) {
            throw EnvelopeErrors.key("test KMS ReEncrypt: unknown target key " + toKmsKeyId);
        }
        byte[] plaintext = unwrap(fromKmsKeyId, wrapped, context);
        try {
            return wrap(plaintext, context);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private byte[] wrap(byte[] plaintext, EncryptionContext context) throws SQLException {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.asAad());
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[12 + sealed.length];
            System.arraycopy(nonce, 0, out, 0, 12);
            System.arraycopy(sealed, 0, out, 12, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw EnvelopeErrors.key("test KMS GenerateDataKey failed", e);
        }
    }

    private byte[] unwrap(String kmsKeyId, byte[] wrapped, EncryptionContext context) throws SQLException {
        byte[] master = keyId.equals(kmsKeyId) ? masterKey : otherMasters.get(kmsKeyId);
        if (master == null) {
            throw EnvelopeErrors.key("test KMS Decrypt: unknown master key " + kmsKeyId);
        }
        if (wrapped == null || wrapped.length < 12 + 16) {
            throw EnvelopeErrors.key("test KMS Decrypt under " + kmsKeyId + ": malformed wrapped key");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(master, "AES"),
                    new GCMParameterSpec(128, wrapped, 0, 12));
            cipher.updateAAD(context.asAad());
            return cipher.doFinal(wrapped, 12, wrapped.length - 12);
        } catch (AEADBadTagException e) {
            throw EnvelopeErrors.key("test KMS Decrypt under " + kmsKeyId + " for table "
                    + context.tableIdentity() + " version " + context.keyVersion()
                    + ": the wrapped key does not authenticate (wrong table, version or master key)", e);
        } catch (GeneralSecurityException e) {
            throw EnvelopeErrors.key("test KMS Decrypt under " + kmsKeyId + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "CountingTestKms[" + keyId + "]";
    }
}
