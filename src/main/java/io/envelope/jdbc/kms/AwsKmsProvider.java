package io.envelope.jdbc.kms;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.KmsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code aws-kms} provider on the AWS SDK for Java v2 {@link KmsClient}, over whichever synchronous HTTP
 * client the SDK finds: the JDK's HttpURLConnection ({@code url-connection-client}) when it is on the class path,
 * else the SDK's default (Apache, or CRT). The timeouts are set in the client's override configuration (per
 * attempt and per call), so they hold whatever the HTTP client.
 *
 * <ul>
 *   <li>The configured {@code key-id} (key ARN, key id, alias name or alias ARN) is resolved to its key ARN once,
 *       with DescribeKey, when the provider is made (the first connection of a runtime);
 *       {@link #masterKeyId()} is that ARN and is what the key table records.</li>
 *   <li>GenerateDataKey ({@code AES_256}), Decrypt and ReEncrypt carry the encryption context
 *       {@code {"envelope:table": …, "envelope:version": …}}; Decrypt and ReEncrypt name the key ARN stored in the
 *       key row, so KMS refuses a blob made under any other key.</li>
 *   <li>{@link #isAllowed} is the resolved ARN or one of {@code kms.allowed-key-ids}; the key ring checks it before
 *       any KMS call.</li>
 *   <li>Bounded retries: the SDK's standard retry strategy, at most {@value #MAX_ATTEMPTS} attempts, exponential
 *       backoff with full jitter (100 ms base, 500 ms base for throttling, 5 s cap), each attempt at most
 *       {@link #ATTEMPT_TIMEOUT}, the whole call at most {@link #CALL_TIMEOUT}.</li>
 *   <li>Every call is audited and counted ({@link KmsAudit}); failures are {@code envelope-jdbc:} SQLExceptions
 *       naming the operation, the key, the table and version and the KMS error code, with the SDK's exception
 *       chained. Neither messages nor {@link #toString()} ever contain key material.</li>
 * </ul>
 * Thread-safe: one client shared by every connection of the runtime.
 */
public final class AwsKmsProvider implements KmsProvider {

    public static final String PROVIDER_NAME = KmsConfig.PROVIDER_AWS;

    static final int MAX_ATTEMPTS = 4;
    static final Duration BASE_DELAY = Duration.ofMillis(100);
    static final Duration THROTTLING_BASE_DELAY = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(AwsKmsProvider.class);

    private final KmsClient client;
    private final String configuredKeyId;
    private final String keyArn;
    private final Set<String> allowed;
    private final String where;

    private AwsKmsProvider(KmsClient client, String configuredKeyId, String keyArn, Set<String> allowed,
                           String where) {
        this.client = client;
        this.configuredKeyId = configuredKeyId;
        this.keyArn = keyArn;
        this.allowed = allowed;
        this.where = where;
    }

    /**
     * Builds the client for a validated {@code kms:} section and resolves {@code key-id} to its ARN (one
     * DescribeKey). Fails when KMS cannot be reached, the key does not exist or is not a symmetric encryption key.
     */
    public static AwsKmsProvider fromConfig(KmsConfig config) throws SQLException {
        if (!PROVIDER_NAME.equals(config.provider())) {
            throw EnvelopeErrors.config("kms.provider: '" + config.provider() + "' is not aws-kms");
        }
        KmsClient client = buildClient(config);
        try {
            return create(client, config);
        } catch (SQLException | RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** A provider over a client made elsewhere (tests); resolves the key id with DescribeKey. Owns the client. */
    static AwsKmsProvider create(KmsClient client, KmsConfig config) throws SQLException {
        String configured = Objects.requireNonNull(config.keyId(), "kms.key-id");
        String arn = describeKeyArn(client, configured, "kms.key-id");
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add(arn);
        allowed.addAll(config.allowedKeyIds());
        String where = (config.region() == null ? "default region" : "region " + config.region())
                + (config.endpoint() == null ? "" : ", endpoint " + config.endpoint())
                + (config.profile() == null ? "" : ", profile " + config.profile());
        return new AwsKmsProvider(client, configured, arn, Set.copyOf(allowed), where);
    }

    private static KmsClient buildClient(KmsConfig config) throws SQLException {
        RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(MAX_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(BASE_DELAY, MAX_BACKOFF))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(THROTTLING_BASE_DELAY, MAX_BACKOFF))
                .build();
        SdkHttpClient http = KmsHttpClients.preferred(CONNECT_TIMEOUT, SOCKET_TIMEOUT);
        try {
            KmsClientBuilder builder = KmsClient.builder();
            if (http != null) {
                builder.httpClient(http);
            }
            builder.credentialsProvider(credentials(config.profile()))
                    .overrideConfiguration(o -> {
                        o.retryStrategy(retries).apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT);
                        if (config.profile() != null) {
                            o.defaultProfileName(config.profile());
                        }
                    });
            if (config.region() != null) {
                builder.region(Region.of(config.region()));
            }
            if (config.endpoint() != null) {
                builder.endpointOverride(URI.create(config.endpoint()));
            }
            return builder.build();
        } catch (SdkException | IllegalArgumentException e) {
            if (http != null) {
                http.close();
            }
            String hint = config.region() == null
                    ? " (kms.region is not set and the SDK's default region chain found none: set kms.region,"
                    + " AWS_REGION or the profile's region)"
                    : "";
            throw EnvelopeErrors.config("kms: cannot set up the AWS KMS client" + hint + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static AwsCredentialsProvider credentials(String profile) {
        if (profile != null) {
            return ProfileCredentialsProvider.builder().profileName(profile).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** DescribeKey: the key ARN of a key id, alias or ARN; refuses keys that cannot wrap data keys. */
    private static String describeKeyArn(KmsClient client, String keyId, String configKey) throws SQLException {
        long started = System.nanoTime();
        KeyMetadata metadata;
        try {
            metadata = client.describeKey(r -> r.keyId(keyId)).keyMetadata();
        } catch (SdkException e) {
            KmsAudit.call(PROVIDER_NAME, "DescribeKey", keyId, null, errorCode(e), started);
            throw failure("DescribeKey of " + configKey + " '" + keyId + "'", e);
        }
        KmsAudit.call(PROVIDER_NAME, "DescribeKey", metadata == null ? keyId : metadata.arn(), null, null, started);
        if (metadata == null || metadata.arn() == null) {
            throw EnvelopeErrors.key("KMS DescribeKey of " + configKey + " '" + keyId + "' returned no key ARN");
        }
        if (metadata.keyUsage() != null && metadata.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT
                || metadata.keySpec() != null && metadata.keySpec() != KeySpec.SYMMETRIC_DEFAULT) {
            throw EnvelopeErrors.config(configKey + ": '" + keyId + "' is KMS key " + metadata.arn()
                    + " with key spec " + metadata.keySpecAsString() + " and usage " + metadata.keyUsageAsString()
                    + "; data keys need a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)");
        }
        if (metadata.keyState() != null && !"Enabled".equals(metadata.keyStateAsString())) {
            LOG.warn("envelope-jdbc: KMS key {} ({}) is in state {}: data keys cannot be made or unwrapped until it is"
                    + " enabled", metadata.arn(), keyId, metadata.keyStateAsString());
        }
        return metadata.arn();
    }

    /**
     * Resolves a key id, alias or ARN to its key ARN with DescribeKey (for {@code keys rewrap}, which must record
     * the ARN, never an alias, in the key table).
     */
    public String resolveKeyArn(String keyIdOrAlias) throws SQLException {
        return describeKeyArn(client, keyIdOrAlias, "KMS key");
    }

    // ---- KmsProvider ------------------------------------------------------------------------------------------

    /** DescribeKey of the key ARN; a key that is not enabled fails too (it can neither make nor unwrap keys). */
    @Override
    public void checkReachable() throws SQLException {
        long started = System.nanoTime();
        KeyMetadata metadata;
        try {
            metadata = client.describeKey(r -> r.keyId(keyArn)).keyMetadata();
        } catch (SdkException e) {
            KmsAudit.call(PROVIDER_NAME, "DescribeKey", keyArn, null, errorCode(e), started);
            throw failure("DescribeKey of KMS key " + keyArn, e);
        }
        KmsAudit.call(PROVIDER_NAME, "DescribeKey", keyArn, null, null, started);
        if (metadata != null && metadata.keyState() != null && !"Enabled".equals(metadata.keyStateAsString())) {
            throw EnvelopeErrors.key("KMS key " + keyArn + " is in state " + metadata.keyStateAsString()
                    + ": data keys cannot be made or unwrapped until it is enabled");
        }
    }

    @Override
    public String providerName() {
        return PROVIDER_NAME;
    }

    @Override
    public String masterKeyId() {
        return keyArn;
    }

    @Override
    public boolean isAllowed(String kmsKeyId) {
        return kmsKeyId != null && allowed.contains(kmsKeyId);
    }

    @Override
    public GeneratedDataKey generateDataKey(EncryptionContext context) throws SQLException {
        GenerateDataKeyResponse response = call("GenerateDataKey", keyArn, context,
                () -> client.generateDataKey(r -> r.keyId(keyArn).keySpec(DataKeySpec.AES_256)
                        .encryptionContext(context.asMap())));
        byte[] plaintext = response.plaintext() == null ? null : response.plaintext().asByteArrayUnsafe();
        byte[] wrapped = response.ciphertextBlob() == null ? null : response.ciphertextBlob().asByteArray();
        if (plaintext == null || plaintext.length != 32 || wrapped == null) {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
            throw EnvelopeErrors.key("KMS GenerateDataKey " + place(keyArn, context)
                    + " returned an incomplete data key");
        }
        String wrappedUnder = response.keyId() == null ? keyArn : response.keyId();
        if (!keyArn.equals(wrappedUnder)) {
            Arrays.fill(plaintext, (byte) 0);
            throw EnvelopeErrors.key("KMS GenerateDataKey " + place(keyArn, context) + " answered that it used KMS"
                    + " key " + wrappedUnder + " instead");
        }
        return new GeneratedDataKey(plaintext, wrapped, keyArn);
    }

    @Override
    public byte[] decrypt(String kmsKeyId, byte[] wrapped, EncryptionContext context) throws SQLException {
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        DecryptResponse response = call("Decrypt", kmsKeyId, context,
                () -> client.decrypt(r -> r.keyId(kmsKeyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                        .encryptionContext(context.asMap())));
        if (response.plaintext() == null) {
            throw EnvelopeErrors.key("KMS Decrypt " + place(kmsKeyId, context) + " returned no plaintext");
        }
        return response.plaintext().asByteArrayUnsafe();
    }

    @Override
    public byte[] reEncrypt(String fromKmsKeyId, byte[] wrapped, String toKmsKeyId, EncryptionContext context)
            throws SQLException {
        if (toKmsKeyId == null || !toKmsKeyId.startsWith("arn:") || !toKmsKeyId.contains(":key/")) {
            throw EnvelopeErrors.key("KMS ReEncrypt " + place(fromKmsKeyId, context) + ": the destination '"
                    + toKmsKeyId + "' is not a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); resolve an alias or key id"
                    + " first, so that the key table records the ARN");
        }
        ReEncryptResponse response = call("ReEncrypt", fromKmsKeyId + " -> " + toKmsKeyId, context,
                () -> client.reEncrypt(r -> r.sourceKeyId(fromKmsKeyId).destinationKeyId(toKmsKeyId)
                        .ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                        .sourceEncryptionContext(context.asMap())
                        .destinationEncryptionContext(context.asMap())));
        if (response.ciphertextBlob() == null) {
            throw EnvelopeErrors.key("KMS ReEncrypt " + place(fromKmsKeyId, context) + " returned no ciphertext");
        }
        return response.ciphertextBlob().asByteArray();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "AwsKmsProvider[key-id=" + configuredKeyId + ", arn=" + keyArn + ", " + where + "]";
    }

    // ---- calls and errors ---------------------------------------------------------------------------------------

    private static <T> T call(String operation, String kmsKeyId, EncryptionContext context, Supplier<T> request)
            throws SQLException {
        long started = System.nanoTime();
        T response;
        try {
            response = request.get();
        } catch (SdkException e) {
            KmsAudit.call(PROVIDER_NAME, operation, kmsKeyId, context, errorCode(e), started);
            throw failure(operation + " " + place(kmsKeyId, context), e);
        }
        KmsAudit.call(PROVIDER_NAME, operation, kmsKeyId, context, null, started);
        return response;
    }

    private static String place(String kmsKeyId, EncryptionContext context) {
        return "of the data key of table " + context.tableIdentity() + " key version " + context.keyVersion()
                + " under KMS key " + kmsKeyId;
    }

    /** The KMS error code of a service error; for client-side failures a short name of what went wrong. */
    static String errorCode(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return "Timeout";
        }
        if (e.getMessage() != null && e.getMessage().contains("Unable to load credentials")) {
            return "NoCredentials";
        }
        return "Unreachable";
    }

    private static SQLException failure(String what, SdkException e) {
        String code = errorCode(e);
        String detail = e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorMessage()
                : e.getMessage();
        String message = "KMS " + what + " failed: " + code + " (" + explain(code) + ")"
                + (detail == null || detail.isBlank() ? "" : "; KMS said: " + detail);
        return EnvelopeErrors.key(message, e);
    }

    private static String explain(String code) {
        return switch (code) {
            case "AccessDeniedException" -> "this AWS identity may not use the KMS key for this operation: check the"
                    + " key policy and IAM policy, including their kms:EncryptionContextKeys condition";
            case "NotFoundException" -> "the KMS key or alias does not exist in this account and region";
            case "DisabledException" -> "the KMS key is disabled";
            case "KMSInvalidStateException" -> "the KMS key is not usable in its current state (pending deletion,"
                    + " pending import, or unavailable)";
            case "InvalidCiphertextException" -> "the wrapped data key does not unwrap with this encryption context:"
                    + " it was altered or copied from another table's or version's row";
            case "IncorrectKeyException" -> "the wrapped data key was not made under the KMS key its row names";
            case "ThrottlingException", "LimitExceededException", "TooManyRequestsException",
                    "RequestLimitExceeded" -> "KMS throttled the calls; still throttled after " + MAX_ATTEMPTS
                    + " attempts";
            case "KeyUnavailableException", "DependencyTimeoutException", "KMSInternalException" ->
                    "KMS is temporarily unavailable; still failing after " + MAX_ATTEMPTS + " attempts";
            case "NoCredentials" -> "the SDK's credentials chain (or kms.profile) found no AWS credentials";
            case "Timeout" -> "no answer from KMS within the call timeout of " + CALL_TIMEOUT.toSeconds() + " s";
            case "Unreachable" -> "KMS could not be reached or answered unusably after " + MAX_ATTEMPTS
                    + " attempts";
            default -> "KMS refused the request";
        };
    }
}
