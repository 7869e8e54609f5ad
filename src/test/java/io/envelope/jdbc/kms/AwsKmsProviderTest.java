package io.envelope.jdbc.kms;

import io.envelope.jdbc.EnvelopeMetrics;
import io.envelope.jdbc.config.KmsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The aws-kms provider with the real SDK KmsClient over HTTP against {@link TestKmsEndpoint}. */
class AwsKmsProviderTest {

    private static TestKmsEndpoint kms;
    private String keyArn;

    @BeforeAll
    static void startEndpoint() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
        kms = TestKmsEndpoint.start();
    }

    @AfterAll
    static void stopEndpoint() {
        kms.close();
    }

    @BeforeEach
    void freshKey() throws Exception {
        kms.restart();
        keyArn = kms.createKey();
        kms.alias("alias/app-data", keyArn);
        kms.throttleNext(0);
        kms.resetCounts();
    }

    private KmsConfig config(String keyId, String... allowed) {
        return new KmsConfig("aws-kms", keyId, "us-east-1", kms.url(), null, List.of(allowed), null, null);
    }

    private AwsKmsProvider provider() throws SQLException {
        return (AwsKmsProvider) KmsProviders.create(config("alias/app-data"));
    }

    @Test
    void resolvesTheAliasToItsArnOnceWithDescribeKey() throws SQLException {
        try (AwsKmsProvider provider = provider()) {
            assertThat(provider.providerName()).isEqualTo("aws-kms");
            assertThat(provider.masterKeyId()).isEqualTo(keyArn);
            EncryptionContext context = new EncryptionContext("public.customers", 1);
            GeneratedDataKey generated = provider.generateDataKey(context);
            assertThat(generated.kmsKeyId()).isEqualTo(keyArn);
            provider.decrypt(keyArn, generated.wrapped(), context);
            provider.decrypt(keyArn, generated.wrapped(), context);
            assertThat(kms.callCounts()).containsEntry("DescribeKey", 1).containsEntry("GenerateDataKey", 1)
                    .containsEntry("Decrypt", 2);
        }
    }

    @Test
    void aKeyIdOrArnResolvesToTheSameArn() throws SQLException {
        String keyId = keyArn.substring(keyArn.indexOf("key/") + 4);
        try (KmsProvider byId = KmsProviders.create(config(keyId));
             KmsProvider byArn = KmsProviders.create(config(keyArn));
             KmsProvider byAliasArn = KmsProviders.create(config("arn:aws:kms:us-east-1:111122223333:alias/app-data"))) {
            assertThat(byId.masterKeyId()).isEqualTo(keyArn);
            assertThat(byArn.masterKeyId()).isEqualTo(keyArn);
            assertThat(byAliasArn.masterKeyId()).isEqualTo(keyArn);
        }
    }

    @Test
    void generatesA256BitKeyThatDecryptsOnlyWithItsOwnContext() throws SQLException {
        try (AwsKmsProvider provider = provider()) {
            EncryptionContext context = new EncryptionContext("public.customers", 1);
            GeneratedDataKey generated = provider.generateDataKey(context);
            assertThat(generated.plaintext()).hasSize(32);
            assertThat(provider.decrypt(keyArn, generated.wrapped(), context)).isEqualTo(generated.plaintext());

            for (EncryptionContext other : List.of(new EncryptionContext("public.orders", 1),
                    new EncryptionContext("public.customers", 2))) {
                assertThatThrownBy(() -> provider.decrypt(keyArn, generated.wrapped(), other))
                        .isInstanceOf(SQLException.class)
                        .hasMessageStartingWith("envelope-jdbc: KMS Decrypt of the data key of table "
                                + other.tableIdentity() + " key version " + other.keyVersion() + " under KMS key "
                                + keyArn + " failed: InvalidCiphertextException")
                        .hasCauseInstanceOf(KmsException.class);
            }
        }
    }

    @Test
    void isAllowedIsTheResolvedArnOrAnAllowedKeyOnly() throws SQLException {
        String old = kms.createKey();
        try (KmsProvider provider = KmsProviders.create(config("alias/app-data", old))) {
            assertThat(provider.isAllowed(keyArn)).isTrue();
            assertThat(provider.isAllowed(old)).isTrue();
            assertThat(provider.isAllowed("alias/app-data")).isFalse();
            assertThat(provider.isAllowed(kms.createKey())).isFalse();
            assertThat(provider.isAllowed(null)).isFalse();
        }
    }

    @Test
    void decryptNamesTheRowsArnSoABlobOfAnotherKeyIsRefused() throws SQLException {
        String other = kms.createKey();
        try (AwsKmsProvider provider = provider()) {
            EncryptionContext context = new EncryptionContext("public.customers", 1);
            GeneratedDataKey generated = provider.generateDataKey(context);
            assertThatThrownBy(() -> provider.decrypt(other, generated.wrapped(), context))
                    .hasMessageContaining("KMS Decrypt of the data key of table public.customers key version 1 under"
                            + " KMS key " + other + " failed: IncorrectKeyException");
        }
    }

    @Test
    void accessDeniedIsAClearErrorWithTheCauseChained() throws SQLException {
        try (AwsKmsProvider provider = provider()) {
            EncryptionContext context = new EncryptionContext("billing.invoices", 3);
            GeneratedDataKey generated = provider.generateDataKey(context);
            kms.deny("Decrypt");
            try {
                assertThatThrownBy(() -> provider.decrypt(keyArn, generated.wrapped(), context))
                        .isInstanceOf(SQLException.class)
                        .hasMessageStartingWith("envelope-jdbc: KMS Decrypt of the data key of table billing.invoices"
                                + " key version 3 under KMS key " + keyArn + " failed: AccessDeniedException")
                        .hasMessageContaining("key policy")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("58000"))
                        .hasCauseInstanceOf(KmsException.class);
                assertThat(kms.calls("Decrypt")).as("AccessDenied is not retried").isEqualTo(1);
            } finally {
                kms.allow("Decrypt");
            }
        }
    }

    @Test
    void aDisabledKeyOrOnePendingDeletionIsAClearError() throws SQLException {
        try (AwsKmsProvider provider = provider()) {
            EncryptionContext context = new EncryptionContext("public.customers", 1);
            GeneratedDataKey generated = provider.generateDataKey(context);
            kms.disable(keyArn);
            assertThatThrownBy(() -> provider.decrypt(keyArn, generated.wrapped(), context))
                    .hasMessageContaining("under KMS key " + keyArn + " failed: DisabledException (the KMS key is"
                            + " disabled)");
            assertThatThrownBy(() -> provider.generateDataKey(new EncryptionContext("public.orders", 1)))
                    .hasMessageContaining("GenerateDataKey of the data key of table public.orders key version 1")
                    .hasMessageContaining("DisabledException");
            kms.scheduleDeletion(keyArn);
            assertThatThrownBy(() -> provider.decrypt(keyArn, generated.wrapped(), context))
                    .hasMessageContaining("KMSInvalidStateException");
        }
    }

    @Test
    void anUnknownAliasFailsAtCreationNamingTheConfigKey() {
        assertThatThrownBy(() -> KmsProviders.create(config("alias/nope")))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: KMS DescribeKey of kms.key-id 'alias/nope' failed:"
                        + " NotFoundException");
    }

    @Test
    void throttlingIsAnsweredByRetriesThatSucceed() throws SQLException {
        try (AwsKmsProvider provider = provider()) {
            kms.resetCounts();
            kms.throttleNext(3);
            EncryptionContext context = new EncryptionContext("public.customers", 1);
            GeneratedDataKey generated = provider.generateDataKey(context);
            assertThat(generated.plaintext()).hasSize(32);
            assertThat(kms.calls("GenerateDataKey")).as("3 throttled attempts, then success").isEqualTo(4);
        }
    }

    @Test
    void retriesAreBoundedAndPersistentThrottlingIsAClearError() throws SQLException {
        try (AwsKmsProvider provider = provider()) {
            kms.resetCounts();
            kms.throttleNext(100);
            try {
                assertThatThrownBy(() -> provider.generateDataKey(new EncryptionContext("public.customers", 1)))
                        .hasMessageContaining("GenerateDataKey of the data key of table public.customers key version 1"
                                + " under KMS key " + keyArn + " failed: ThrottlingException");
                assertThat(kms.calls("GenerateDataKey")).isEqualTo(AwsKmsProvider.MAX_ATTEMPTS);
            } finally {
                kms.throttleNext(0);
            }
        }
    }

    @Test
    void anOutageFailsClearlyAfterBoundedRetries() throws Exception {
        try (AwsKmsProvider provider = provider()) {
            EncryptionContext context = new EncryptionContext("public.customers", 1);
            GeneratedDataKey generated = provider.generateDataKey(context);
            kms.stop();
            long started = System.nanoTime();
            assertThatThrownBy(() -> provider.decrypt(keyArn, generated.wrapped(), context))
                    .hasMessageContaining("KMS Decrypt of the data key of table public.customers key version 1 under"
                            + " KMS key " + keyArn + " failed: Unreachable");
            assertThat((System.nanoTime() - started) / 1_000_000_000L).isLessThan(20);
            kms.restart();
            assertThat(provider.decrypt(keyArn, generated.wrapped(), context)).isEqualTo(generated.plaintext());
        }
    }

    @Test
    void reEncryptMovesAKeyToAnotherKmsKeyWithTheSameContext() throws SQLException {
        String newArn = kms.createKey();
        try (AwsKmsProvider provider = provider()) {
            EncryptionContext context = new EncryptionContext("public.customers", 2);
            GeneratedDataKey generated = provider.generateDataKey(context);
            byte[] rewrapped = provider.reEncrypt(keyArn, generated.wrapped(), newArn, context);
            assertThat(provider.decrypt(newArn, rewrapped, context)).isEqualTo(generated.plaintext());
            assertThatThrownBy(() -> provider.decrypt(newArn, rewrapped, new EncryptionContext("public.customers", 1)))
                    .hasMessageContaining("InvalidCiphertextException");
            assertThatThrownBy(() -> provider.reEncrypt(keyArn, generated.wrapped(), "alias/app-data", context))
                    .hasMessageContaining("is not a key ARN");
            assertThat(provider.resolveKeyArn("alias/app-data")).isEqualTo(keyArn);
        }
    }

    @Test
    void concurrentCallsShareOneClient() throws Exception {
        try (AwsKmsProvider provider = provider()) {
            EncryptionContext context = new EncryptionContext("public.customers", 1);
            GeneratedDataKey generated = provider.generateDataKey(context);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<byte[]>> results = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    results.add(pool.submit(() -> provider.decrypt(keyArn, generated.wrapped(), context)));
                }
                for (Future<byte[]> result : results) {
                    assertThat(result.get()).isEqualTo(generated.plaintext());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void everyCallIsAuditedAndCountedOnceWithoutKeyMaterial() throws Exception {
        EnvelopeMetrics.Snapshot before = EnvelopeMetrics.snapshot();
        List<byte[]> secrets = new ArrayList<>();
        String text;
        List<String> lines;
        try (AuditCapture audit = AuditCapture.start(); AwsKmsProvider provider = provider()) {
            EncryptionContext context = new EncryptionContext("public.customers", 1);
            GeneratedDataKey generated = provider.generateDataKey(context);
            secrets.add(generated.plaintext().clone());
            secrets.add(generated.wrapped());
            provider.decrypt(keyArn, generated.wrapped(), context);
            kms.deny("Decrypt");
            try {
                assertThatThrownBy(() -> provider.decrypt(keyArn, generated.wrapped(), context))
                        .satisfies(e -> secrets.forEach(s -> assertThat(e.getMessage()).doesNotContain(
                                Base64.getEncoder().encodeToString(s))));
            } finally {
                kms.allow("Decrypt");
            }
            text = audit.text();
            lines = audit.kmsCallLines();
        }
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).contains("operation=DescribeKey", "kms_key_id=" + keyArn, "outcome=ok", "latency_ms=");
        assertThat(lines.get(1)).contains("operation=GenerateDataKey", "kms_key_id=" + keyArn,
                "table=public.customers", "version=1", "outcome=ok");
        assertThat(lines.get(2)).contains("operation=Decrypt", "outcome=ok");
        assertThat(lines.get(3)).contains("WARN", "operation=Decrypt", "outcome=failed",
                "error_code=AccessDeniedException");
        for (byte[] secret : secrets) {
            assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(secret))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(secret));
        }
        EnvelopeMetrics.Snapshot after = EnvelopeMetrics.snapshot();
        assertThat(after.kmsCalls("Decrypt") - before.kmsCalls("Decrypt")).isEqualTo(2);
        assertThat(after.kmsCalls("GenerateDataKey") - before.kmsCalls("GenerateDataKey")).isEqualTo(1);
        assertThat(after.kmsFailures() - before.kmsFailures()).isEqualTo(1);
    }

    @Test
    void toStringShowsWhereButNoSecrets() throws SQLException {
        try (AwsKmsProvider provider = provider()) {
            assertThat(provider.toString()).contains("alias/app-data", keyArn, "us-east-1")
                    .doesNotContain("test-secret-not-real");
        }
    }
}
