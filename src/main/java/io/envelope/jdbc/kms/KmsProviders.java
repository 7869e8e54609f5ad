package io.envelope.jdbc.kms;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.config.KmsConfig;

import java.sql.SQLException;
import java.util.function.Function;

/** Makes the {@link KmsProvider} a {@code kms:} section names. */
public final class KmsProviders {

    private KmsProviders() {
    }

    /** The provider for a validated {@code kms:} section, with the process environment. */
    public static KmsProvider create(KmsConfig config) throws SQLException {
        return create(config, System::getenv);
    }

    /** {@link #create(KmsConfig)} with the environment given (tests). */
    public static KmsProvider create(KmsConfig config, Function<String, String> environment) throws SQLException {
        String provider = config.provider();
        if (KmsConfig.PROVIDER_LOCAL.equals(provider)) {
            return LocalKmsProvider.fromConfig(config, environment);
        }
        if (KmsConfig.PROVIDER_AWS.equals(provider)) {
            throw EnvelopeException.config("kms.provider: 'aws-kms' is not available in this build of"
                    + " envelope-jdbc yet (the AWS KMS provider is still to be added); use provider: local for now");
        }
        throw EnvelopeException.config("kms.provider: '" + provider + "' is not one of "
                + KmsConfig.PROVIDER_AWS + ", " + KmsConfig.PROVIDER_LOCAL);
    }
}
