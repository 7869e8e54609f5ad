package io.envelope.jdbc.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigParserTest {

    private static final String ORIGIN = "/etc/app/envelope.yaml";
    private static final Function<String, String> NO_ENV = name -> null;

    private static EnvelopeConfig parse(String yaml) throws SQLException {
        return ConfigLoader.parse(yaml, ORIGIN, NO_ENV);
    }

    private static EnvelopeConfig parse(String yaml, Map<String, String> env) throws SQLException {
        return ConfigLoader.parse(yaml, ORIGIN, env::get);
    }

    private static final String LOCAL_HEAD = """
            version: 1
            kms:
              provider: local
              master-key-file: /run/secrets/envelope.key
            """;

    @Test
    void parsesAFullLocalConfig() throws SQLException {
        EnvelopeConfig config = parse("""
                version: 1
                kms:
                  provider: local
                  master-key-env: ENVELOPE_MASTER_KEY
                key-table: security.envelope_keys
                create-key-table: false
                key-cache:
                  ttl: 30s
                min-format-version: 2
                tables:
                  customers:
                    columns:
                      email: { mode: deterministic }
                      ssn:   { mode: deterministic, type: text }
                      note:  { mode: randomized, pad: 64 }
                      birth_date: { mode: randomized, type: date }
                      balance: { type: decimal, scale: 2, precision: 12 }
                      legacy_phone: { mode: deterministic, accept-plaintext: true }
                  billing.invoices:
                    columns:
                      iban:
                        mode: deterministic
                  '"Mixed Case"':
                    columns:
                      '"Some Column"': { type: bytes }
                """);
        assertThat(config.version()).isEqualTo(1);
        assertThat(config.kms()).isEqualTo(new KmsConfig("local", null, null, null, null, List.of(), null,
                "ENVELOPE_MASTER_KEY"));
        assertThat(config.keyTable()).isEqualTo("security.envelope_keys");
        assertThat(config.createKeyTable()).isFalse();
        assertThat(config.keyCacheTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.minFormatVersion()).isEqualTo(2);
        assertThat(config.origin()).isEqualTo(ORIGIN);
        assertThat(config.tables()).containsOnlyKeys("customers", "billing.invoices", "\"Mixed Case\"");
        assertThat(config.tables().keySet()).containsExactly("customers", "billing.invoices", "\"Mixed Case\"");
        TableConfig customers = config.tables().get("customers");
        assertThat(customers.name()).isEqualTo("customers");
        assertThat(customers.columns().keySet())
                .containsExactly("email", "ssn", "note", "birth_date", "balance", "legacy_phone");
        assertThat(customers.columns().get("email")).isEqualTo(new ColumnConfig("email",
                EncryptionMode.DETERMINISTIC, PlaintextType.TEXT, null, null, 0, false));
        assertThat(customers.columns().get("note")).isEqualTo(new ColumnConfig("note",
                EncryptionMode.RANDOMIZED, PlaintextType.TEXT, null, null, 64, false));
        assertThat(customers.columns().get("birth_date").type()).isEqualTo(PlaintextType.DATE);
        assertThat(customers.columns().get("balance")).isEqualTo(new ColumnConfig("balance",
                EncryptionMode.RANDOMIZED, PlaintextType.DECIMAL, 2, 12, 0, false));
        assertThat(customers.columns().get("legacy_phone").acceptPlaintext()).isTrue();
        assertThat(config.tables().get("billing.invoices").columns().get("iban").mode())
                .isEqualTo(EncryptionMode.DETERMINISTIC);
        assertThat(config.tables().get("\"Mixed Case\"").columns().get("\"Some Column\"").type())
                .isEqualTo(PlaintextType.BYTES);
    }

    @Test
    void parsesAFullAwsConfig() throws SQLException {
        EnvelopeConfig config = parse("""
                version: 1
                kms:
                  provider: aws-kms
                  key-id: alias/app-data
                  region: eu-west-1
                  endpoint: https://kms.eu-west-1.amazonaws.com
                  profile: app
                  allowed-key-ids:
                    - arn:aws:kms:eu-west-1:111122223333:key/old-1
                    - arn:aws:kms:eu-west-1:111122223333:key/old-2
                tables:
                  customers:
                    columns:
                      email: { mode: deterministic }
                """);
        assertThat(config.kms()).isEqualTo(new KmsConfig("aws-kms", "alias/app-data", "eu-west-1",
                "https://kms.eu-west-1.amazonaws.com", "app",
                List.of("arn:aws:kms:eu-west-1:111122223333:key/old-1", "arn:aws:kms:eu-west-1:111122223333:key/old-2"),
                null, null));
    }

    @Test
    void appliesDefaults() throws SQLException {
        EnvelopeConfig config = parse(LOCAL_HEAD + """
                tables:
                  t:
                    columns:
                      a: {}
                      b:
                """);
        assertThat(config.keyTable()).isEqualTo("envelope_data_keys");
        assertThat(config.createKeyTable()).isTrue();
        assertThat(config.keyCacheTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.minFormatVersion()).isEqualTo(1);
        ColumnConfig expectedA = new ColumnConfig("a", EncryptionMode.RANDOMIZED, PlaintextType.TEXT, null, null,
                0, false);
        assertThat(config.tables().get("t").columns().get("a")).isEqualTo(expectedA);
        assertThat(config.tables().get("t").columns().get("b").mode()).isEqualTo(EncryptionMode.RANDOMIZED);
        assertThat(config.kms().allowedKeyIds()).isEmpty();
    }

    @Test
    void tablesMayBeAbsentAndKeyCacheMayBeEmptyOfTtl() throws SQLException {
        EnvelopeConfig config = parse(LOCAL_HEAD + "key-cache: {}\n");
        assertThat(config.tables()).isEmpty();
        assertThat(config.keyCacheTtl()).isEqualTo(EnvelopeConfig.DEFAULT_KEY_CACHE_TTL);
    }

    @Test
    void flowStyleEverywhere() throws SQLException {
        EnvelopeConfig config = parse("{version: 1, kms: {provider: local, master-key-env: K},"
                + " tables: {t: {columns: {c: {mode: deterministic, type: bigint}}}}}");
        assertThat(config.tables().get("t").columns().get("c").type()).isEqualTo(PlaintextType.BIGINT);
    }

    @Test
    void everyPlaintextTypeIsAccepted() throws SQLException {
        for (PlaintextType type : PlaintextType.values()) {
            String extra = type == PlaintextType.DECIMAL ? ", scale: 0" : "";
            EnvelopeConfig config = parse(LOCAL_HEAD + "tables: {t: {columns: {c: {type: " + type.configName()
                    + extra + "}}}}\n");
            assertThat(config.tables().get("t").columns().get("c").type()).isEqualTo(type);
        }
    }

    // ---- validation errors -----------------------------------------------------------------------------------

    static Stream<Arguments> invalidConfigs() {
        String tables = "tables:\n  t:\n    columns:\n      c: {}\n";
        return Stream.of(
                Arguments.of("", "is empty"),
                Arguments.of("- 1\n", "configuration: expected a mapping"),
                Arguments.of("kms: {provider: local, master-key-env: K}\n", "version: is required but missing (line 1"),
                Arguments.of("version: 2\nkms: {provider: local, master-key-env: K}\n",
                        "version: '2' is not supported (this build of envelope-jdbc reads version 1) (line 1 of "
                                + ORIGIN + ")"),
                Arguments.of("version: '1'\nkms: {provider: local, master-key-env: K}\n",
                        "version: '1' is not a whole number (it is a quoted string) (line 1"),
                Arguments.of("version: one\n", "version: 'one' is not a whole number (line 1"),
                Arguments.of("version: 1\n", "kms: is required but missing (line 1"),
                Arguments.of("version: 1\nkms: local\n", "kms: expected a mapping (key: value lines or { key: value }),"
                        + " got 'local' (line 2"),
                Arguments.of("version: 1\nkms:\n  master-key-env: K\n", "kms.provider: is required but missing (line 3"),
                Arguments.of("version: 1\nkms:\n  provider: vault\n",
                        "kms.provider: 'vault' is not one of aws-kms, local (line 3"),
                Arguments.of("version: 1\nkms:\n  provider: local\n",
                        "kms: provider local needs exactly one of master-key-file"),
                Arguments.of("version: 1\nkms:\n  provider: local\n  master-key-file: /k\n  master-key-env: K\n",
                        "kms.master-key-env: give exactly one of master-key-file and master-key-env, not both (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: local\n  master-key-env: K\n  key-id: alias/x\n",
                        "kms.key-id: belongs to provider aws-kms, not local (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: local\n  master-key-env: K\n  region: eu-west-1\n",
                        "kms.region: belongs to provider aws-kms, not local (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: local\n  master-key-env: K\n  master-key: abc\n",
                        "kms.master-key: unknown key (known here: provider, master-key-file, master-key-env) (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: aws-kms\n", "kms.key-id: is required but missing (line 3"),
                Arguments.of("version: 1\nkms:\n  provider: aws-kms\n  key-id: alias/x\n  master-key-env: K\n",
                        "kms.master-key-env: belongs to provider local, not aws-kms (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: aws-kms\n  key-id: alias/x\n  allowed-key-ids: arn:x\n",
                        "kms.allowed-key-ids: expected a list ([a, b] or '- a' lines), got 'arn:x' (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: aws-kms\n  key-id: alias/x\n  allowed-key-ids: [alias/y]\n",
                        "kms.allowed-key-ids[0]: 'alias/y' is not a KMS key ARN (arn:aws:kms:...) (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: aws-kms\n  key-id: alias/x\n  endpoint: not a url\n",
                        "kms.endpoint: 'not a url' is not an http(s) URL (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: aws-kms\n  key-id: alias/x\n  region: EU West\n",
                        "kms.region: 'EU West' is not an AWS region name (such as eu-west-1) (line 5"),
                Arguments.of("version: 1\nkms:\n  provider: aws-kms\n  key-id: ''\n",
                        "kms.key-id: '' is not a KMS key"),
                Arguments.of(LOCAL_HEAD + "key-tables: x\n", "key-tables: unknown key (did you mean key-table?) (line 5"),
                Arguments.of(LOCAL_HEAD + "key-table: a.b.c\n",
                        "key-table: 'a.b.c' is not a table name (identifier or schema.identifier) (line 5"),
                Arguments.of(LOCAL_HEAD + "key-table: 'my-keys'\n", "key-table: 'my-keys' is not a table name"),
                Arguments.of(LOCAL_HEAD + "create-key-table: yes\n",
                        "create-key-table: 'yes' is not true or false (line 5"),
                Arguments.of(LOCAL_HEAD + "create-key-table: 'true'\n",
                        "create-key-table: 'true' is not true or false (it is a quoted string) (line 5"),
                Arguments.of(LOCAL_HEAD + "create-key-table:\n", "create-key-table: has no value (expected true or false)"),
                Arguments.of(LOCAL_HEAD + "key-cache: 10m\n", "key-cache: expected a mapping"),
                Arguments.of(LOCAL_HEAD + "key-cache:\n  ttl: 10 minutes\n",
                        "key-cache.ttl: '10 minutes' is not a duration (use 500ms, 30s, 10m, 2h, 1d or ISO-8601 such as"
                                + " PT10M) (line 6"),
                Arguments.of(LOCAL_HEAD + "key-cache:\n  ttl: -5s\n", "key-cache.ttl: '-5s' is not a duration (use"),
                Arguments.of(LOCAL_HEAD + "key-cache:\n  ttl: PT-5M\n", "key-cache.ttl: 'PT-5M' is negative (line 6"),
                Arguments.of(LOCAL_HEAD + "key-cache:\n  ttl: 10m\n  size: 5\n", "key-cache.size: unknown key (known here:"
                        + " ttl) (line 7"),
                Arguments.of(LOCAL_HEAD + "min-format-version: 0\n",
                        "min-format-version: '0' is out of range (expected at least 1) (line 5"),
                Arguments.of(LOCAL_HEAD + "min-format-version: 1.5\n", "min-format-version: '1.5' is not a whole number"),
                Arguments.of(LOCAL_HEAD + "tables: [t]\n", "tables: expected a mapping"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    cols: {c: {}}\n",
                        "tables.t.cols: unknown key (known here: columns) (line 7"),
                // a misspelt key is reported as itself, before the key it should have been is found missing
                Arguments.of(LOCAL_HEAD + "tables:\n  customers:\n    colums:\n      email: {}\n",
                        "tables.customers.colums: unknown key (did you mean columns?) (line 7"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {mode: deterministic, tpye: int}\n",
                        "tables.t.columns.c.tpye: unknown key (did you mean type?) (line 8"),
                Arguments.of("version: 1\nkms:\n  provder: local\n  master-key-env: K\n",
                        "kms.provder: unknown key (did you mean provider?) (line 3"),
                Arguments.of("verison: 1\nkms: {provider: local, master-key-env: K}\n",
                        "verison: unknown key (did you mean version?) (line 1"),
                Arguments.of(LOCAL_HEAD + "key-cache:\n  tll: 5m\n", "key-cache.tll: unknown key (did you mean ttl?)"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t: {}\n",
                        "tables.t.columns: is required but missing (a table needs at least one encrypted column) (line 6"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns: {}\n",
                        "tables.t.columns: a table needs at least one encrypted column (line 7"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n",
                        "tables.t.columns: expected a mapping (key: value lines or { key: value }), got no value (line 7"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns: {c: {}}\n    keys: 1\n",
                        "tables.t.keys: unknown key (known here: columns) (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  my-table:\n    columns: {c: {}}\n",
                        "tables.my-table: 'my-table' is not a table name (identifier or schema.identifier; double-quote"
                                + " names with other characters) (line 6"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      e-mail: {}\n",
                        "tables.t.columns.e-mail: 'e-mail' is not a column name (an identifier; double-quote names with other"
                                + " characters) (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  customers:\n    columns:\n      email:\n        mode: determinstic\n",
                        "tables.customers.columns.email.mode: 'determinstic' is not one of randomized, deterministic"
                                + " (line 9 of " + ORIGIN + ")"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {type: varchar}\n",
                        "tables.t.columns.c.type: 'varchar' is not one of text, bytes, smallint, int, bigint, decimal,"
                                + " double, real, boolean, date, time, timestamp, timestamptz, uuid (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {type: decimal}\n",
                        "tables.t.columns.c.scale: is required for type decimal (digits after the point, 0..1000) (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {type: decimal, scale: 1001}\n",
                        "tables.t.columns.c.scale: '1001' is out of range (expected 0..1000) (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {type: decimal, scale: -1}\n",
                        "tables.t.columns.c.scale: '-1' is out of range"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c:\n        type: decimal\n        scale: 4\n"
                                + "        precision: 3\n",
                        "tables.t.columns.c.precision: '3' is less than scale 4 (precision counts all digits, scale"
                                + " those after the point) (line 11"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {type: decimal, scale: 0, precision: 0}\n",
                        "tables.t.columns.c.precision: '0' is out of range (expected at least 1) (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c:\n        type: int\n        scale: 2\n",
                        "tables.t.columns.c.scale: is only for type decimal (this column's type is int) (line 10"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {precision: 5}\n",
                        "tables.t.columns.c.precision: is only for type decimal (this column's type is text) (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {pad: 0}\n",
                        "tables.t.columns.c.pad: '0' is out of range (expected at least 1) (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {pad: big}\n",
                        "tables.t.columns.c.pad: 'big' is not a whole number (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {accept-plaintext: 1}\n",
                        "tables.t.columns.c.accept-plaintext: '1' is not true or false (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {mode: deterministic, modes: x}\n",
                        "tables.t.columns.c.modes: unknown key (did you mean mode?) (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {mode: [a]}\n",
                        "tables.t.columns.c.mode: expected a single value, got a list (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: deterministic\n",
                        "tables.t.columns.c: expected a mapping (key: value lines or { key: value }), got 'deterministic'"
                                + " (line 8"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {}\n      c: {}\n",
                        "tables.t.columns.c: duplicate key (first at line 8) (line 9"),
                Arguments.of(LOCAL_HEAD + "tables:\n  t:\n    columns:\n      c: {mode: deterministic\n",
                        "configuration is not valid YAML"),
                Arguments.of("version: 1\n---\nversion: 1\n", "configuration is not valid YAML"),
                Arguments.of(LOCAL_HEAD + tables + "version: 1\n", "version: duplicate key (first at line 1) (line 9")
        );
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidConfigs")
    void rejectsInvalidConfig(String yaml, String expectedFragment) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining(expectedFragment)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    @Test
    void theLineIsTheOffendingValuesLineEvenAfterCommentsAndBlankLines() {
        String yaml = """
                # header comment
                version: 1   # ${NOT_A_VAR} in a comment is ignored

                kms:
                  provider: local        # ${ALSO_IGNORED}
                  master-key-env: K
                tables:
                  customers:
                    columns:
                      # a comment
                      email: { mode: deterministic }
                      phone: { mode: determinstic }
                """;
        assertThatThrownBy(() -> parse(yaml)).hasMessage("envelope-jdbc: tables.customers.columns.phone.mode:"
                + " 'determinstic' is not one of randomized, deterministic (line 12 of " + ORIGIN + ")");
    }

    @Test
    void masterKeyEnvThatIsNotANameIsNeverQuoted() {
        String key = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
        assertThatThrownBy(() -> parse("version: 1\nkms:\n  provider: local\n  master-key-env: " + key + "\n"))
                .hasMessageContaining("kms.master-key-env: is not an environment variable name")
                .hasMessageContaining("line 4")
                .hasMessageNotContaining(key)
                .hasMessageNotContaining("q83v");
    }

    // ---- interpolation ---------------------------------------------------------------------------------------

    @Test
    void interpolatesFromTheEnvironmentWithAndWithoutDefault() throws SQLException {
        EnvelopeConfig config = parse("""
                version: ${VERSION}
                kms:
                  provider: aws-kms
                  key-id: ${KMS_KEY}
                  region: ${REGION:-eu-west-1}
                  endpoint: ${KMS_ENDPOINT:-}
                key-table: ${SCHEMA:-app}.keys
                create-key-table: ${CREATE:-false}
                key-cache:
                  ttl: ${TTL:-2h}
                tables:
                  t:
                    columns:
                      c: { pad: "${PAD}" }
                """, Map.of("VERSION", "1", "KMS_KEY", "arn:aws:kms:eu-west-1:1:key/abc", "REGION", "",
                "PAD", "16"));
        assertThat(config.kms().keyId()).isEqualTo("arn:aws:kms:eu-west-1:1:key/abc");
        assertThat(config.kms().region()).isEqualTo("eu-west-1"); // set but empty: the default, as in the shell
        assertThat(config.kms().endpoint()).isNull();
        assertThat(config.keyTable()).isEqualTo("app.keys");
        assertThat(config.createKeyTable()).isFalse();
        assertThat(config.keyCacheTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(config.tables().get("t").columns().get("c").pad()).isEqualTo(16);
    }

    @Test
    void anUnsetVariableWithoutDefaultNamesTheKeyAndTheVariable() {
        assertThatThrownBy(() -> parse("version: 1\nkms:\n  provider: aws-kms\n  key-id: ${KMS_KEY}\n"))
                .hasMessage("envelope-jdbc: kms.key-id: environment variable KMS_KEY is not set (write"
                        + " ${KMS_KEY:-default} for a default) (line 4 of " + ORIGIN + ")");
    }

    @Test
    void aMalformedReferenceIsAnError() {
        assertThatThrownBy(() -> parse("version: 1\nkms:\n  provider: aws-kms\n  key-id: ${KMS KEY}\n"))
                .hasMessageContaining("kms.key-id: '${KMS KEY}' '${KMS KEY}' is not a ${VAR} or ${VAR:-default}"
                        + " reference (line 4");
        assertThatThrownBy(() -> parse("version: 1\nkms:\n  provider: aws-kms\n  key-id: ${KMS_KEY\n"))
                .hasMessageContaining("kms.key-id: '${KMS_KEY' has a '${' without its closing '}' (line 4");
    }

    @Test
    void aBadValueFromTheEnvironmentIsQuotedAsWrittenNotAsSubstituted() {
        String secretish = "c2VjcmV0LXZhbHVlLWZyb20tdGhlLWVudmlyb25tZW50";
        assertThatThrownBy(() -> parse(LOCAL_HEAD + "key-cache:\n  ttl: ${TTL}\n", Map.of("TTL", secretish)))
                .hasMessageContaining("key-cache.ttl: '${TTL}' (after substitution) is not a duration")
                .hasMessageNotContaining(secretish);
    }

    @Test
    void substitutedValuesNeverAppearInMessages() {
        String value = "Q0hBTkdFLU1FLXRoaXMtbG9va3MtbGlrZS1hLWtleQ==";
        Map<String, String> env = Map.of("V", value);
        List<String> snippets = List.of(
                "version: 1\nkms: {provider: aws-kms, key-id: alias/x, region: '${V}'}\n",
                "version: 1\nkms: {provider: aws-kms, key-id: alias/x, endpoint: '${V}'}\n",
                "version: 1\nkms: {provider: aws-kms, key-id: '${V} x'}\n",
                "version: 1\nkms: {provider: aws-kms, key-id: alias/x, allowed-key-ids: ['${V}']}\n",
                "version: 1\nkms: {provider: '${V}'}\n",
                "version: 1\nkms: {provider: local, master-key-env: '${V}'}\n",
                "version: ${V}\n",
                LOCAL_HEAD + "key-table: ${V}\n",
                LOCAL_HEAD + "create-key-table: ${V}\n",
                LOCAL_HEAD + "min-format-version: ${V}\n",
                LOCAL_HEAD + "tables: {t: {columns: {c: {mode: '${V}'}}}}\n",
                LOCAL_HEAD + "tables: {t: {columns: {c: {type: '${V}'}}}}\n",
                LOCAL_HEAD + "tables: {t: {columns: {c: {pad: '${V}'}}}}\n",
                LOCAL_HEAD + "tables: {t: {columns: {c: {type: decimal, scale: '${V}'}}}}\n");
        for (String yaml : snippets) {
            assertThatThrownBy(() -> parse(yaml, env)).as(yaml)
                    .isInstanceOf(SQLException.class)
                    .hasMessageNotContaining(value)
                    .hasMessageNotContaining(value.substring(0, 12));
        }
    }

    @Test
    void tableAndColumnNamesAreNotInterpolated() {
        assertThatThrownBy(() -> parse(LOCAL_HEAD + "tables:\n  ${T}:\n    columns: {c: {}}\n", Map.of("T", "t")))
                .hasMessageContaining("tables.${T}: '${T}' is not a table name");
    }

    // ---- the shipped examples ----------------------------------------------------------------------------------

    @Test
    void theShippedExamplesAreValid() throws Exception {
        EnvelopeConfig local = ConfigLoader.parse(Files.readString(Path.of("config-examples/local.yaml")),
                "config-examples/local.yaml", NO_ENV);
        assertThat(local.kms().provider()).isEqualTo("local");
        assertThat(local.kms().masterKeyFile()).isEqualTo("/run/secrets/envelope.key");
        assertThat(local.tables()).containsKeys("customers", "billing.invoices");
        assertThat(local.tables().get("customers").columns().get("balance").precision()).isEqualTo(12);

        EnvelopeConfig aws = ConfigLoader.parse(Files.readString(Path.of("config-examples/aws-kms.yaml")),
                "config-examples/aws-kms.yaml", NO_ENV);
        assertThat(aws.kms().provider()).isEqualTo("aws-kms");
        assertThat(aws.kms().keyId()).isEqualTo("alias/app-data");
        assertThat(aws.kms().endpoint()).isNull();
    }
}
