package io.envelope.jdbc.kms;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.config.KmsConfig;

import java.sql.SQLException;
import java.util.function.Function;

/** Makes the {@link KmsProvider} a {@code kms:} section names. */
public final class KmsProviders {

    private static final String KMS_CLIENT = "software.amazon.awssdk.services.kms.KmsClient";

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
        throw EnvelopeErrors.config("kms.provider: '" + provider + "' is not one of "
                + KmsConfig.PROVIDER_AWS + ", " + KmsConfig.PROVIDER_LOCAL);
    }

    /** The AWS SDK is an optional dependency: say what is missing instead of a NoClassDefFoundError. */
    private static void checkAwsSdkPresent() throws SQLException {
        if (!present(KMS_CLIENT)) {
            throw EnvelopeErrors.config("kms.provider: 'aws-kms' needs the AWS SDK for Java v2 on the class path,"
                    + " and software.amazon.awssdk:kms is missing: add it (version from software.amazon.awssdk:bom;"
                    + " see the README, AWS KMS)");
        }
        if (!KmsHttpClients.anyPresent()) {
            throw EnvelopeErrors.config("kms.provider: 'aws-kms' needs a synchronous HTTP client of the AWS SDK"
                    + " on the class path, and none is there (were they excluded?): add"
                    + " software.amazon.awssdk:url-connection-client, or keep the apache-client that"
                    + " software.amazon.awssdk:kms brings (see the README, AWS KMS)");
        }
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, KmsProviders.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
