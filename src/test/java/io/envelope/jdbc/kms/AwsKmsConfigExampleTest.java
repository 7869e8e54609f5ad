package io.envelope.jdbc.kms;

import io.envelope.jdbc.config.ConfigLoader;
import io.envelope.jdbc.config.EnvelopeConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AwsKmsConfigExampleTest {

    @Test
    void theProductionExampleIsValid() throws Exception {
        String arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        Path file = Path.of("config-examples/aws-kms-production.yaml");
        EnvelopeConfig config = ConfigLoader.parse(Files.readString(file), file.toString(),
                Map.of("ENVELOPE_KMS_KEY_ARN", arn)::get);
        assertThat(config.kms().provider()).isEqualTo("aws-kms");
        assertThat(config.kms().keyId()).isEqualTo(arn);
        assertThat(config.kms().region()).isEqualTo("eu-west-1");
        assertThat(config.kms().allowedKeyIds()).isEmpty();
        assertThat(config.createKeyTable()).isFalse();
        assertThat(config.tables()).containsKey("app.customers");
    }
}
