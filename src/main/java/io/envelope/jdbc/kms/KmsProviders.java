package io.envelope.jdbc.kms;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.config.KmsConfig;

import java.sql.SQLException;
import java.util.function.Function;

/** Makes the {@link KmsProvider} a {@code kms:} section names. */
public final class KmsProviders {

    /** Classes the aws-kms provider needs from the (optional) AWS SDK dependencies, with their artifacts. */
    private static final String[][] AWS_SDK_CLASSES = {
            {"software.amazon.awssdk.services.kms.KmsClient", "software.amazon.awssdk:kms"},
            {"software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
                    "software.amazon.awssdk:url-connection-client"},
    };

    private KmsProviders() {
    }

    /** The provider for a validated {@code kms:} section, with the process environment. */
    public static KmsProvider create(KmsConfig config) throws SQLException {
        return create(config, System::getenv);
    }

    /**
     * {@link #create(KmsConfig)} with the environment given (tests). For aws-kms this resolves {@code key-id} to
     * its ARN with one KMS DescribeKey call.
     */
    public static KmsProvider create(KmsConfig config, Function<String, String> environment) throws SQLException {
        String provider = config.provider();
        if (KmsConfig.PROVIDER_LOCAL.equals(provider)) {
            return LocalKmsProvider.fromConfig(config, environment);
        }
        if (KmsConfig.PROVIDER_AWS.equals(provider)) {
            checkAwsSdkPresent();
            return AwsKmsProvider.fromConfig(config);
        }
        throw EnvelopeException.config("kms.provider: '" + provider + "' is not one of "
                + KmsConfig.PROVIDER_AWS + ", " + KmsConfig.PROVIDER_LOCAL);
    }

    /** The AWS SDK is an optional dependency: say which artifacts are missing instead of a NoClassDefFoundError. */
    private static void checkAwsSdkPresent() throws SQLException {
        StringBuilder missing = new StringBuilder();
        for (String[] needed : AWS_SDK_CLASSES) {
            if (!present(needed[0])) {
                missing.append(missing.length() == 0 ? "" : " and ").append(needed[1]);
            }
        }
        if (missing.length() > 0) {
            throw EnvelopeException.config("kms.provider: 'aws-kms' needs the AWS SDK for Java v2 on the class path,"
                    + " and " + missing + " is missing: add software.amazon.awssdk:kms and"
                    + " software.amazon.awssdk:url-connection-client (versions from software.amazon.awssdk:bom;"
                    + " see the README, AWS KMS)");
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, KmsProviders.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
