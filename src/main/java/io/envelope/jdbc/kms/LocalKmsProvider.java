package io.envelope.jdbc.kms;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.KmsConfig;
import io.envelope.jdbc.crypto.WipeableKey;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The {@code local} KMS provider (development, tests, on-premises): one 256-bit master key read from a file or
 * an environment variable wraps the data keys with AES-256-GCM.
 *
 * <p>Wrapped blob: format byte {@code 1} ‖ 12-byte random nonce ‖ ciphertext (32 bytes) ‖ 16-byte tag, with
 * AAD = {@link EncryptionContext#asAad()}, so a wrapped key copied to another table's or version's row fails to
 * unwrap. Random 96-bit nonces are safe for 2^32 wraps under one master key; a master key wraps one data key per
 * table and version, far below that.
 *
 * <p>The key id recorded in {@code kms_key_id} is {@code local:} + lower-case hex of the first 16 bytes of
 * HMAC-SHA-256(master key, {@code "envelope-jdbc/local-key-id/v1"}) (see docs/format.md, Keys). Thread-safe. Neither
 * {@link #toString()} nor any message shows key bytes.
 */
public final class LocalKmsProvider implements KmsProvider {

    public static final String PROVIDER_NAME = KmsConfig.PROVIDER_LOCAL;
    public static final String KEY_ID_PREFIX = "local:";
    static final byte[] KEY_ID_LABEL = "envelope-jdbc/local-key-id/v1".getBytes(StandardCharsets.US_ASCII);

    static final int KEY_BYTES = 32;
    static final byte FORMAT = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int WRAPPED_BYTES = 1 + NONCE_BYTES + KEY_BYTES + TAG_BYTES;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] masterKey;
    private final String masterKeyId;
    private final String source;
    private volatile boolean closed;

    private LocalKmsProvider(byte[] masterKey, String source) throws SQLException {
        this.masterKey = masterKey.clone();
        this.source = source;
        this.masterKeyId = keyIdOf(this.masterKey);
    }

    /** Reads the master key the {@code kms:} section names, from the process environment or the file. */
    public static LocalKmsProvider fromConfig(KmsConfig config) throws SQLException {
        return fromConfig(config, System::getenv);
    }

    /** {@link #fromConfig(KmsConfig)} with the environment given (tests). */
    public static LocalKmsProvider fromConfig(KmsConfig config, Function<String, String> environment)
            throws SQLException {
        if (!PROVIDER_NAME.equals(config.provider())) {
            throw EnvelopeErrors.config("kms.provider: '" + config.provider() + "' is not local");
        }
        if (config.masterKeyFile() != null && config.masterKeyEnv() == null) {
            return ofWiped(readKeyFile(config.masterKeyFile()), "master-key-file " + config.masterKeyFile());
        }
        if (config.masterKeyEnv() != null && config.masterKeyFile() == null) {
            return ofWiped(readKeyEnv(config.masterKeyEnv(), environment), "master-key-env " + config.masterKeyEnv());
        }
        throw EnvelopeErrors.config("kms: provider local needs exactly one of master-key-file and master-key-env");
    }

    /**
     * A provider over a master key held in memory (the command line's {@code demo}, tests). The bytes are copied.
     *
     * @param description where the key came from, for {@link #toString()}; never the key
     */
    public static LocalKmsProvider ofKey(byte[] masterKey, String description) throws SQLException {
        if (masterKey == null || masterKey.length != KEY_BYTES) {
            throw EnvelopeErrors.config("local master key (" + description + ") has "
                    + (masterKey == null ? 0 : masterKey.length) + " bytes; expected " + KEY_BYTES);
        }
        return new LocalKmsProvider(masterKey, description);
    }

    /** A provider over a key read just now; the read bytes are overwritten once the provider holds its copy. */
    static LocalKmsProvider ofWiped(byte[] key, String source) throws SQLException {
        try {
            return new LocalKmsProvider(key, source);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A fresh random 32-byte master key (the {@code demo}). */
    public static byte[] newMasterKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    // ---- reading the master key -------------------------------------------------------------------------------

    static byte[] readKeyFile(String file) throws SQLException {
        String what = "kms.master-key-file: '" + file + "'";
        byte[] content;
        try {
            content = Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw EnvelopeErrors.config(what + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw EnvelopeErrors.config(what + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        try {
            if (content.length == KEY_BYTES) {
                return content;
            }
            if (content.length == 0) {
                throw EnvelopeErrors.config(what + " is empty; expected 32 raw bytes or base64 of 32 bytes");
            }
            String text = new String(content, StandardCharsets.ISO_8859_1);
            byte[] decoded = decodeBase64(text);
            if (decoded == null || decoded.length != KEY_BYTES) {
                String asBase64 = decoded == null ? "" : " (read as base64 they give " + decoded.length + " bytes)";
                if (decoded != null) {
                    Arrays.fill(decoded, (byte) 0);
                }
                throw EnvelopeErrors.config(what + " holds " + content.length
                        + " bytes, which are neither 32 raw bytes nor base64 of 32 bytes" + asBase64);
            }
            return decoded;
        } finally {
            if (content.length != KEY_BYTES) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    static byte[] readKeyEnv(String variable, Function<String, String> environment) throws SQLException {
        String what = "kms.master-key-env: environment variable " + variable;
        String value = environment.apply(variable);
        if (value == null) {
            throw EnvelopeErrors.config(what + " is not set");
        }
        if (value.isBlank()) {
            throw EnvelopeErrors.config(what + " is empty; expected base64 of 32 bytes");
        }
        byte[] decoded = decodeBase64(value);
        if (decoded == null) {
            throw EnvelopeErrors.config(what + " is not base64 (expected base64 of 32 bytes)");
        }
        if (decoded.length != KEY_BYTES) {
            Arrays.fill(decoded, (byte) 0);
            throw EnvelopeErrors.config(what + " holds base64 of " + decodedLength(value)
                    + " bytes; expected base64 of 32 bytes");
        }
        return decoded;
    }

    /** Standard base64 with trailing whitespace (a newline) allowed; null when not base64. Never reports content. */
    private static byte[] decodeBase64(String text) {
        String trimmed = stripTrailingWhitespace(text);
        if (trimmed.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the offending character: never passed on.
            return null;
        }
    }

    private static int decodedLength(String text) {
        byte[] decoded = decodeBase64(text);
        int n = decoded == null ? 0 : decoded.length;
        if (decoded != null) {
            Arrays.fill(decoded, (byte) 0);
        }
        return n;
    }

    private static String stripTrailingWhitespace(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r'
                || text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(0, end);
    }

    static String keyIdOf(byte[] masterKey) throws SQLException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            WipeableKey key = new WipeableKey(masterKey, "HmacSHA256");
            mac.init(key);
            key.destroy();
            byte[] digest = mac.doFinal(KEY_ID_LABEL);
            return KEY_ID_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw EnvelopeErrors.key("local master key: HMAC-SHA-256 is not available in this JVM", e);
        }
    }

    // ---- KmsProvider ------------------------------------------------------------------------------------------

    @Override
    public String providerName() {
        return PROVIDER_NAME;
    }

    @Override
    public String masterKeyId() {
        return masterKeyId;
    }

    @Override
    public boolean isAllowed(String kmsKeyId) {
        return masterKeyId.equals(kmsKeyId);
    }

    @Override
    public GeneratedDataKey generateDataKey(EncryptionContext context) throws SQLException {
        long started = System.nanoTime();
        byte[] dataKey = new byte[KEY_BYTES];
        RANDOM.nextBytes(dataKey);
        try {
            GeneratedDataKey generated = new GeneratedDataKey(dataKey, wrap(dataKey, context, "GenerateDataKey"),
                    masterKeyId);
            KmsAudit.call(PROVIDER_NAME, "GenerateDataKey", masterKeyId, context, null, started);
            return generated;
        } catch (SQLException | RuntimeException e) {
            Arrays.fill(dataKey, (byte) 0);
            KmsAudit.call(PROVIDER_NAME, "GenerateDataKey", masterKeyId, context, "failed", started);
            throw e;
        }
    }

    @Override
    public byte[] decrypt(String kmsKeyId, byte[] wrapped, EncryptionContext context) throws SQLException {
        long started = System.nanoTime();
        try {
            checkOwnKey("Decrypt", kmsKeyId, context);
            byte[] plaintext = unwrap(wrapped, context, "Decrypt");
            KmsAudit.call(PROVIDER_NAME, "Decrypt", kmsKeyId, context, null, started);
            return plaintext;
        } catch (SQLException | RuntimeException e) {
            KmsAudit.call(PROVIDER_NAME, "Decrypt", kmsKeyId, context, "failed", started);
            throw e;
        }
    }

    @Override
    public byte[] reEncrypt(String fromKmsKeyId, byte[] wrapped, String toKmsKeyId, EncryptionContext context)
            throws SQLException {
        long started = System.nanoTime();
        try {
            byte[] rewrapped = reEncryptUnaudited(fromKmsKeyId, wrapped, toKmsKeyId, context);
            KmsAudit.call(PROVIDER_NAME, "ReEncrypt", fromKmsKeyId + " -> " + toKmsKeyId, context, null, started);
            return rewrapped;
        } catch (SQLException | RuntimeException e) {
            KmsAudit.call(PROVIDER_NAME, "ReEncrypt", fromKmsKeyId + " -> " + toKmsKeyId, context, "failed", started);
            throw e;
        }
    }

    private byte[] reEncryptUnaudited(String fromKmsKeyId, byte[] wrapped, String toKmsKeyId,
                                      EncryptionContext context) throws SQLException {
        checkOwnKey("ReEncrypt", fromKmsKeyId, context);
        if (!masterKeyId.equals(toKmsKeyId)) {
            throw EnvelopeErrors.key("ReEncrypt of the data key of table " + context.tableIdentity()
                    + " version " + context.keyVersion() + ": cannot re-wrap to '" + toKmsKeyId
                    + "'; the local provider holds only its own master key " + masterKeyId
                    + ", so data keys can be re-wrapped only under it (moving to another local master key needs"
                    + " both keys)");
        }
        byte[] dataKey = unwrap(wrapped, context, "ReEncrypt");
        try {
            return wrap(dataKey, context, "ReEncrypt");
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Wipes this provider's copy of the master key; later calls fail. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(masterKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "LocalKmsProvider[masterKeyId=" + masterKeyId + ", " + source + "]";
    }

    // ---- wrapping -----------------------------------------------------------------------------------------------

    private void checkOwnKey(String operation, String kmsKeyId, EncryptionContext context) throws SQLException {
        if (!masterKeyId.equals(kmsKeyId)) {
            throw EnvelopeErrors.key(operation + " of the data key of table " + context.tableIdentity()
                    + " version " + context.keyVersion() + ": the key row names KMS key '" + kmsKeyId
                    + "' but the local master key is " + masterKeyId);
        }
    }

    private byte[] wrap(byte[] dataKey, EncryptionContext context, String operation) throws SQLException {
        checkOpen(operation, context);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            WipeableKey key = new WipeableKey(masterKey, "AES");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            key.destroy();
            cipher.updateAAD(context.asAad());
            byte[] sealed = cipher.doFinal(dataKey);
            byte[] blob = new byte[1 + NONCE_BYTES + sealed.length];
            blob[0] = FORMAT;
            System.arraycopy(nonce, 0, blob, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, blob, 1 + NONCE_BYTES, sealed.length);
            return blob;
        } catch (GeneralSecurityException e) {
            throw EnvelopeErrors.key(operation + " of the data key of table " + context.tableIdentity()
                    + " version " + context.keyVersion() + " under " + masterKeyId + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private byte[] unwrap(byte[] wrapped, EncryptionContext context, String operation) throws SQLException {
        checkOpen(operation, context);
        String what = operation + " of the data key of table " + context.tableIdentity() + " version "
                + context.keyVersion() + " under " + masterKeyId;
        if (wrapped == null || wrapped.length != WRAPPED_BYTES) {
            throw EnvelopeErrors.key(what + ": the wrapped key has " + (wrapped == null ? 0 : wrapped.length)
                    + " bytes, not the " + WRAPPED_BYTES + " of the local format");
        }
        if (wrapped[0] != FORMAT) {
            throw EnvelopeErrors.key(what + ": unknown wrapped key format " + (wrapped[0] & 0xff)
                    + " (this build reads format " + FORMAT + ")");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            WipeableKey key = new WipeableKey(masterKey, "AES");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, wrapped, 1, NONCE_BYTES));
            key.destroy();
            cipher.updateAAD(context.asAad());
            return cipher.doFinal(wrapped, 1 + NONCE_BYTES, wrapped.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw EnvelopeErrors.key(what + " failed: the wrapped key does not authenticate (it was altered,"
                    + " copied from another table's or version's row, or wrapped under another master key)");
        } catch (GeneralSecurityException e) {
            throw EnvelopeErrors.key(what + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private void checkOpen(String operation, EncryptionContext context) throws SQLException {
        if (closed) {
            throw EnvelopeErrors.key(operation + " of the data key of table " + context.tableIdentity()
                    + " version " + context.keyVersion() + ": the local KMS provider is closed");
        }
    }
}
