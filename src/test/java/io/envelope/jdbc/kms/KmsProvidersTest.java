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
    void awsKmsWithAnUnreachableEndpointFailsClearlyAtCreation() {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "secret-example");
        // port 1 on loopback: nothing listens, connections are refused at once
        assertThatThrownBy(() -> KmsProviders.create(new KmsConfig("aws-kms", "alias/x", "us-east-1",
                "http://127.0.0.1:1", null, List.of(), null, null)))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: KMS DescribeKey of kms.key-id 'alias/x' failed: Unreachable");
    }
}
