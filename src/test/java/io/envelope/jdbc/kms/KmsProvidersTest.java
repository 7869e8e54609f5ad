package io.envelope.jdbc.kms;

import io.envelope.jdbc.config.KmsConfig;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KmsProvidersTest {

    @Test
    void localMakesALocalProvider() throws SQLException {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        KmsProvider kms = KmsProviders.create(
                new KmsConfig("local", null, null, null, null, List.of(), null, "MK"), Map.of("MK", key)::get);
        assertThat(kms).isInstanceOf(LocalKmsProvider.class);
        assertThat(kms.providerName()).isEqualTo("local");
    }

    @Test
    void awsKmsIsNotInThisBuildYet() {
        assertThatThrownBy(() -> KmsProviders.create(
                new KmsConfig("aws-kms", "alias/x", null, null, null, List.of(), null, null)))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: kms.provider: 'aws-kms' is not available in this build");
    }
}
