package io.envelope.jdbc.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A configuration given as nested maps (as Spring Boot binds {@code envelope.*}) is read exactly as the same
 * settings in a file: same result, same error messages (naming the origin instead of a line), with relaxed key names
 * where the format fixes the key.
 */
class PropertyTreeTest {

    private static final Function<String, String> NO_ENV = name -> null;
    private static final String ORIGIN = "Spring Boot properties under envelope.";

    private static final String FULL = """
            version: 1
            kms:
              provider: aws-kms
              key-id: alias/app
              region: eu-west-1
              allowed-key-ids: [ "arn:aws:kms:eu-west-1:111122223333:key/a", "arn:aws:kms:eu-west-1:111122223333:key/b" ]
            key-table: security.envelope_keys
            create-key-table: false
            key-cache:
              ttl: 30s
            min-format-version: 1
            tables:
              customers:
                columns:
                  email: { mode: deterministic }
                  note:  { mode: randomized, pad: 64 }
                  plain_default:
                  balance: { type: decimal, scale: 2, precision: 12 }
                  legacy_phone: { mode: deterministic, accept-plaintext: true }
              billing.invoices:
                columns:
                  iban: { mode: deterministic }
            """;

    private static Map<String, Object> yamlAsTree(String yaml) {
        return new Yaml().load(yaml);
    }

    private static EnvelopeConfig fromTree(Map<String, ?> tree) throws SQLException {
        return ConfigLoader.loadTree(tree, ORIGIN, NO_ENV);
    }

    @Test
    void theSameSettingsAsATreeGiveTheSameConfigurationAsTheFile() throws SQLException {
        EnvelopeConfig file = ConfigLoader.parse(FULL, "envelope.yaml", NO_ENV);
        EnvelopeConfig tree = fromTree(yamlAsTree(FULL));
        assertThat(tree).usingRecursiveComparison().ignoringFields("origin").isEqualTo(file);
        assertThat(tree.origin()).isEqualTo(ORIGIN);
    }

    @Test
    void keysTheFormatFixesAreMatchedRelaxedAndNamesStayAsGiven() throws SQLException {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("version", 1);
        tree.put("KMS", Map.of("provider", "local", "masterKeyFile", "/run/secrets/k"));
        tree.put("key_table", "keys_Here");
        tree.put("keyCache", Map.of("TTL", "5m"));
        tree.put("tables", Map.of("Customers", Map.of("columns",
                Map.of("eMail", Map.of("MODE", "deterministic", "accept_plaintext", true)))));
        EnvelopeConfig config = fromTree(tree);
        assertThat(config.kms().masterKeyFile()).isEqualTo("/run/secrets/k");
        assertThat(config.keyTable()).isEqualTo("keys_Here");
        assertThat(config.keyCacheTtl()).isEqualTo(Duration.ofMinutes(5));
        ColumnConfig email = config.tables().get("Customers").columns().get("eMail");
        assertThat(email.mode()).isEqualTo(EncryptionMode.DETERMINISTIC);
        assertThat(email.acceptPlaintext()).isTrue();
    }

    @Test
    void listsMayComeAsIndexedMapsOrACommaSeparatedString() throws SQLException {
        String a = "arn:aws:kms:eu-west-1:111122223333:key/a";
        String b = "arn:aws:kms:eu-west-1:111122223333:key/b";
        Map<String, Object> kms = new LinkedHashMap<>(Map.of("provider", "aws-kms", "key-id", "alias/app"));
        kms.put("allowed-key-ids", Map.of("1", b, "0", a));
        assertThat(fromTree(Map.of("version", 1, "kms", kms, "tables", Map.of())).kms().allowedKeyIds())
                .containsExactly(a, b);
        kms.put("allowed-key-ids", a + ", " + b);
        assertThat(fromTree(Map.of("version", 1, "kms", kms, "tables", Map.of())).kms().allowedKeyIds())
                .containsExactly(a, b);
    }

    @Test
    void aKeyGivenTwoWaysIsAnError() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("version", 1);
        tree.put("kms", Map.of("provider", "local", "master-key-env", "K"));
        tree.put("key-table", "a");
        tree.put("keyTable", "b");
        assertThatThrownBy(() -> fromTree(tree))
                .hasMessage("envelope-jdbc: key-table: given twice, as 'key-table' and as 'keyTable' (in " + ORIGIN
                        + "); keep one");
    }

    /** Each bad configuration fails with the file's message, the location aside. */
    @ParameterizedTest
    @ValueSource(strings = {
            "kms: { provider: local, master-key-file: /k }\ntables: {}",
            "version: 2\nkms: { provider: local, master-key-file: /k }",
            "version: 1\nkms: { provider: locl }",
            "version: 1\nkms: { provider: local }",
            "version: 1\nkms: { provider: local, master-key-file: /k, key-id: alias/x }",
            "version: 1\nkms: { provider: aws-kms, key-id: alias/x, region: 'EU WEST' }",
            "version: 1\nkms: { provider: aws-kms, key-id: alias/x, allowed-key-ids: [ 'alias/y' ] }",
            "version: 1\nkms: { provider: local, master-key-file: /k }\nkey-cache: { ttl: 10 parsecs }",
            "version: 1\nkms: { provider: local, master-key-file: /k }\nkey-table: 'no spaces'",
            "version: 1\nkms: { provider: local, master-key-file: /k }\ncreate-key-table: maybe",
            "version: 1\nkms: { provider: local, master-key-file: /k }\ntables: { customers: { colums: {} } }",
            "version: 1\nkms: { provider: local, master-key-file: /k }\ntables: { customers: { columns: {} } }",
            "version: 1\nkms: { provider: local, master-key-file: /k }\n"
                    + "tables: { customers: { columns: { email: { mode: determinstic } } } }",
            "version: 1\nkms: { provider: local, master-key-file: /k }\n"
                    + "tables: { customers: { columns: { email: { mdoe: deterministic } } } }",
            "version: 1\nkms: { provider: local, master-key-file: /k }\n"
                    + "tables: { customers: { columns: { balance: { type: decimal } } } }",
            "version: 1\nkms: { provider: local, master-key-file: /k }\n"
                    + "tables: { customers: { columns: { note: { pad: lots } } } }",
            "version: 1\nkms: { provider: local, master-key-file: /k }\nfavourite-colour: blue",
    })
    void errorsAreTheFilesErrors(String yaml) {
        String fileMessage = messageOf(() -> ConfigLoader.parse(yaml, "envelope.yaml", NO_ENV));
        String treeMessage = messageOf(() -> fromTree(yamlAsTree(yaml)));
        assertThat(fileMessage).as("the file is refused").startsWith("envelope-jdbc: ");
        assertThat(withoutLocation(treeMessage)).isEqualTo(withoutLocation(fileMessage));
        assertThat(treeMessage).endsWith("(in " + ORIGIN + ")");
    }

    private interface Load {
        EnvelopeConfig run() throws SQLException;
    }

    private static String messageOf(Load load) {
        try {
            load.run();
        } catch (SQLException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a configuration error");
    }

    private static String withoutLocation(String message) {
        return message.replaceAll(" \\((line \\d+ of|in) [^)]*\\)$", "");
    }

    @Test
    void theSpringOnlyFormOfAnEmptyColumnIsAllDefaults() throws SQLException {
        Map<String, Object> tree = yamlAsTree("version: 1\nkms: { provider: local, master-key-file: /k }\n");
        tree.put("tables", Map.of("customers", Map.of("columns", Map.of("note", ""))));
        ColumnConfig note = fromTree(tree).tables().get("customers").columns().get("note");
        assertThat(note.mode()).isEqualTo(EncryptionMode.RANDOMIZED);
        assertThat(note.type()).isEqualTo(PlaintextType.TEXT);
        assertThat(List.of(note.pad())).containsExactly(0);
    }
}
