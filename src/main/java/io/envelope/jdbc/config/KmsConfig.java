package io.envelope.jdbc.config;

import java.util.List;

/**
 * The {@code kms:} section (see docs/configuration.md). Holds no secret itself: a local master key is referenced by file
 * path or environment variable name and read by the local provider.
 *
 * @param provider       {@code aws-kms} or {@code local}
 * @param keyId          aws-kms: key ARN, key id or alias; null for local
 * @param region         aws-kms: optional region, else the SDK's default chain
 * @param endpoint       aws-kms: optional endpoint override
 * @param profile        aws-kms: optional credentials profile
 * @param allowedKeyIds  more key ARNs whose wrapped data keys may be unwrapped
 * @param masterKeyFile  local: path of a file with 32 bytes, raw or base64
 * @param masterKeyEnv   local: name of an environment variable holding base64 of 32 bytes
 */
public record KmsConfig(
        String provider,
        String keyId,
        String region,
        String endpoint,
        String profile,
        List<String> allowedKeyIds,
        String masterKeyFile,
        String masterKeyEnv) {

    public static final String PROVIDER_AWS = "aws-kms";
    public static final String PROVIDER_LOCAL = "local";

    public KmsConfig {
        allowedKeyIds = allowedKeyIds == null ? List.of() : List.copyOf(allowedKeyIds);
    }
}
