package io.envelope.jdbc.config;

import io.envelope.jdbc.EnvelopeErrors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns the text of a version 1 file (see docs/configuration.md) into an {@link EnvelopeConfig}, strictly: composes the YAML
 * into nodes (so every message can give a line), replaces {@code ${VAR}} per scalar, and checks every key,
 * type and value. Unknown keys, wrong types, missing required keys and bad values are errors naming the key
 * path, the offending value (never a secret) and the line.
 */
final class ConfigParser {

    static final int SUPPORTED_VERSION = 1;
    static final int MAX_SCALE = 1000;

    static final List<String> ROOT_KEYS = List.of(
            "version", "kms", "key-table", "create-key-table", "key-table-owner", "key-cache", "min-format-version",
            "tables");
    static final List<String> AWS_KEYS = List.of(
            "provider", "key-id", "region", "endpoint", "profile", "allowed-key-ids");
    static final List<String> LOCAL_KEYS = List.of("provider", "master-key-file", "master-key-env");
    private static final List<String> ANY_PROVIDER_KEYS = Stream.concat(AWS_KEYS.stream(),
            LOCAL_KEYS.stream()).distinct().toList();
    static final List<String> KEY_CACHE_KEYS = List.of("ttl");
    static final List<String> TABLE_KEYS = List.of("columns");
    static final List<String> COLUMN_KEYS = List.of(
            "mode", "type", "scale", "precision", "pad", "accept-plaintext");

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final YamlContext context;

    private ConfigParser(String origin, Function<String, String> environment) {
        this.context = new YamlContext(origin, environment);
    }

    static EnvelopeConfig parse(String yamlText, String origin, Function<String, String> environment)
            throws SQLException {
        return new ConfigParser(origin, environment).parseDocument(yamlText);
    }

    /**
     * Checks a configuration that did not come from YAML text (Spring Boot properties, turned into nodes by
     * {@link PropertyTree}): the same rules and messages as a file; its nodes carry no line numbers, so messages
     * name the origin instead.
     */
    static EnvelopeConfig parse(Node root, String origin, Function<String, String> environment) throws SQLException {
        return new ConfigParser(origin, environment).parseRoot(root);
    }

    private EnvelopeConfig parseDocument(String yamlText) throws SQLException {
        return parseRoot(compose(yamlText));
    }

    private EnvelopeConfig parseRoot(Node root) throws SQLException {
        if (root == null) {
            throw EnvelopeErrors.config("configuration " + context.origin()
                    + " is empty (it needs at least version: 1, kms: and tables:)");
        }
        YamlMapping top = context.mapping(root, "");
        top.rejectUnknownKeys(ROOT_KEYS, ROOT_KEYS);

        Node versionNode = top.required("version");
        int version = integer(context.scalar(versionNode, "version"), Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (version != SUPPORTED_VERSION) {
            throw context.error(versionNode, "version", "'" + version
                    + "' is not supported (this build of envelope-jdbc reads version 1)");
        }
        KmsConfig kms = kms(context.mapping(top.required("kms"), "kms"));
        String keyTable = keyTable(top);
        boolean createKeyTable = optionalBoolean(top, "create-key-table", true);
        String keyTableOwner = optionalString(top, "key-table-owner");
        Duration ttl = keyCache(top);
        int minFormatVersion = optionalInteger(top, "min-format-version", 1, Integer.MAX_VALUE, 1);
        Map<String, TableConfig> tables = tables(top);
        top.rejectUnknown(ROOT_KEYS);
        return new EnvelopeConfig(version, kms, keyTable, createKeyTable, ttl, minFormatVersion, tables,
                context.origin(), keyTableOwner);
    }

    private Node compose(String yamlText) throws SQLException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        try {
            return new Yaml(options).compose(new StringReader(yamlText));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String line = mark == null ? " (in " + context.origin() + ")"
                    : " (line " + (mark.getLine() + 1) + " of " + context.origin() + ")";
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw EnvelopeErrors.config("configuration is not valid YAML: " + problem + line);
        } catch (YAMLException e) {
            throw EnvelopeErrors.config("configuration " + context.origin() + " is not valid YAML: "
                    + e.getMessage());
        }
    }

    // ---- kms ----------------------------------------------------------------------------------------------

    private KmsConfig kms(YamlMapping kms) throws SQLException {
        kms.rejectUnknownKeys(ANY_PROVIDER_KEYS, providerKeys(kms));
        YamlContext.Scalar provider = context.scalar(kms.required("provider"), "kms.provider");
        if (KmsConfig.PROVIDER_AWS.equals(provider.text())) {
            for (String key : LOCAL_KEYS) {
                if (!key.equals("provider") && kms.has(key)) {
                    throw kms.errorAtKey(key, "belongs to provider local, not aws-kms");
                }
            }
            YamlContext.Scalar keyId = context.scalar(kms.required("key-id"), "kms.key-id");
            if (keyId.isNullOrEmpty() || keyId.text().chars().anyMatch(Character::isWhitespace)) {
                throw context.error(keyId.node(), keyId.path(), keyId.quoted()
                        + " is not a KMS key (a key ARN, key id or alias/NAME)");
            }
            String region = optionalString(kms, "region");
            if (region != null && !REGION.matcher(region).matches()) {
                YamlContext.Scalar s = context.scalar(kms.value("region"), "kms.region");
                throw context.error(s.node(), s.path(), s.quoted() + " is not an AWS region name (such as eu-west-1)");
            }
            String endpoint = optionalString(kms, "endpoint");
            if (endpoint != null) {
                checkEndpoint(kms, endpoint);
            }
            String profile = optionalString(kms, "profile");
            List<String> allowed = allowedKeyIds(kms);
            kms.rejectUnknown(AWS_KEYS);
            return new KmsConfig(KmsConfig.PROVIDER_AWS, keyId.text(), region, endpoint, profile, allowed,
                    null, null);
        }
        if (KmsConfig.PROVIDER_LOCAL.equals(provider.text())) {
            for (String key : AWS_KEYS) {
                if (!key.equals("provider") && kms.has(key)) {
                    throw kms.errorAtKey(key, "belongs to provider aws-kms, not local");
                }
            }
            String file = optionalString(kms, "master-key-file");
            String env = null;
            Node envNode = kms.value("master-key-env");
            if (envNode != null) {
                YamlContext.Scalar s = context.scalar(envNode, "kms.master-key-env");
                env = s.isNullOrEmpty() ? null : s.text();
                if (env != null && !ENV_NAME.matcher(env).matches()) {
                    // Never quoted: a key pasted here by mistake must not reach a log.
                    throw context.error(envNode, "kms.master-key-env", "is not an environment variable name"
                            + " (letters, digits and _); it names the variable that holds the key, not the key");
                }
            }
            if (file != null && env != null) {
                throw kms.errorAtKey("master-key-env", "give exactly one of master-key-file and master-key-env,"
                        + " not both");
            }
            if (file == null && env == null) {
                throw context.error(kms.node(), "kms", "provider local needs exactly one of master-key-file"
                        + " (a file with 32 bytes, raw or base64) and master-key-env (a variable with base64 of"
                        + " 32 bytes)");
            }
            kms.rejectUnknown(LOCAL_KEYS);
            return new KmsConfig(KmsConfig.PROVIDER_LOCAL, null, null, null, null, List.of(), file, env);
        }
        throw context.error(provider.node(), "kms.provider", provider.quoted() + " is not one of "
                + KmsConfig.PROVIDER_AWS + ", " + KmsConfig.PROVIDER_LOCAL);
    }

    /** The keys of the provider the mapping names, for messages; every provider's keys when it names none. */
    private List<String> providerKeys(YamlMapping kms) {
        if (kms.peek("provider") instanceof org.yaml.snakeyaml.nodes.ScalarNode provider) {
            if (KmsConfig.PROVIDER_AWS.equals(provider.getValue())) {
                return AWS_KEYS;
            }
            if (KmsConfig.PROVIDER_LOCAL.equals(provider.getValue())) {
                return LOCAL_KEYS;
            }
        }
        return ANY_PROVIDER_KEYS;
    }

    private void checkEndpoint(YamlMapping kms, String endpoint) throws SQLException {
        try {
            URI uri = new URI(endpoint);
            String scheme = uri.getScheme();
            if (scheme != null && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                    && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        YamlContext.Scalar s = context.scalar(kms.value("endpoint"), "kms.endpoint");
        throw context.error(s.node(), s.path(), s.quoted() + " is not an http(s) URL");
    }

    private List<String> allowedKeyIds(YamlMapping kms) throws SQLException {
        Node node = kms.value("allowed-key-ids");
        if (node == null) {
            return List.of();
        }
        if (node instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
            YamlContext.Scalar s = context.scalar(node, "kms.allowed-key-ids");
            if (s.isNullOrEmpty()) {
                return List.of();
            }
        }
        SequenceNode list = context.sequence(node, "kms.allowed-key-ids");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            String path = "kms.allowed-key-ids[" + i + "]";
            YamlContext.Scalar s = context.scalar(list.getValue().get(i), path);
            if (s.isNullOrEmpty() || !s.text().startsWith("arn:")) {
                throw context.error(s.node(), path, s.quoted() + " is not a KMS key ARN (arn:aws:kms:...)");
            }
            ids.add(s.text());
        }
        return ids;
    }

    // ---- key table and cache ---------------------------------------------------------------------------------

    private String keyTable(YamlMapping top) throws SQLException {
        Node node = top.value("key-table");
        if (node == null) {
            return EnvelopeConfig.DEFAULT_KEY_TABLE;
        }
        YamlContext.Scalar s = context.scalar(node, "key-table");
        if (s.isNullOrEmpty() || !Identifiers.isQualifiedName(s.text())) {
            throw context.error(node, "key-table", s.quoted() + " is not a table name (identifier or"
                    + " schema.identifier)");
        }
        return s.text();
    }

    private Duration keyCache(YamlMapping top) throws SQLException {
        Node node = top.value("key-cache");
        if (node == null) {
            return EnvelopeConfig.DEFAULT_KEY_CACHE_TTL;
        }
        YamlMapping cache = context.mapping(node, "key-cache");
        cache.rejectUnknownKeys(KEY_CACHE_KEYS, KEY_CACHE_KEYS);
        Duration ttl = EnvelopeConfig.DEFAULT_KEY_CACHE_TTL;
        Node ttlNode = cache.value("ttl");
        if (ttlNode != null) {
            YamlContext.Scalar s = context.scalar(ttlNode, "key-cache.ttl");
            if (s.text() == null) {
                throw context.error(ttlNode, s.path(), "has no value (use " + DurationParser.FORMS + ")");
            }
            try {
                ttl = DurationParser.parse(s.text());
            } catch (IllegalArgumentException e) {
                throw context.error(ttlNode, s.path(), s.quoted() + " " + e.getMessage());
            }
        }
        cache.rejectUnknown(KEY_CACHE_KEYS);
        return ttl;
    }

    // ---- tables ------------------------------------------------------------------------------------------------

    private Map<String, TableConfig> tables(YamlMapping top) throws SQLException {
        Node node = top.value("tables");
        Map<String, TableConfig> tables = new LinkedHashMap<>();
        if (node == null) {
            return tables;
        }
        YamlMapping all = context.mapping(node, "tables");
        for (String name : all.keys()) {
            String path = all.childPath(name);
            if (!Identifiers.isQualifiedName(name)) {
                throw context.error(all.keyNode(name), path, "'" + name + "' is not a table name (identifier or"
                        + " schema.identifier; double-quote names with other characters)");
            }
            YamlMapping table = context.mapping(all.value(name), path);
            table.rejectUnknownKeys(TABLE_KEYS, TABLE_KEYS);
            Node columnsNode = table.value("columns");
            if (columnsNode == null) {
                throw context.error(table.node(), YamlContext.child(path, "columns"),
                        "is required but missing (a table needs at least one encrypted column)");
            }
            YamlMapping columns = context.mapping(columnsNode, YamlContext.child(path, "columns"));
            if (columns.isEmpty()) {
                throw context.error(columnsNode, columns.path(), "a table needs at least one encrypted column");
            }
            Map<String, ColumnConfig> parsed = new LinkedHashMap<>();
            for (String column : columns.keys()) {
                parsed.put(column, column(columns, column));
            }
            table.rejectUnknown(TABLE_KEYS);
            tables.put(name, new TableConfig(name, parsed));
        }
        return tables;
    }

    private ColumnConfig column(YamlMapping columns, String name) throws SQLException {
        String path = columns.childPath(name);
        if (!Identifiers.isName(name)) {
            throw context.error(columns.keyNode(name), path, "'" + name + "' is not a column name (an identifier;"
                    + " double-quote names with other characters)");
        }
        Node node = columns.value(name);
        if (node instanceof org.yaml.snakeyaml.nodes.ScalarNode && context.scalar(node, path).text() == null) {
            // "email:" with nothing after it: every setting at its default
            return new ColumnConfig(name, EncryptionMode.RANDOMIZED, PlaintextType.TEXT, null, null, 0, false);
        }
        YamlMapping column = context.mapping(node, path);
        column.rejectUnknownKeys(COLUMN_KEYS, COLUMN_KEYS);

        EncryptionMode mode = EncryptionMode.RANDOMIZED;
        Node modeNode = column.value("mode");
        if (modeNode != null) {
            YamlContext.Scalar s = context.scalar(modeNode, column.childPath("mode"));
            mode = EncryptionMode.fromConfigName(s.text());
            if (mode == null) {
                throw context.error(modeNode, s.path(), s.quoted() + " is not one of " + Arrays.stream(
                        EncryptionMode.values()).map(EncryptionMode::configName).collect(Collectors.joining(", ")));
            }
        }
        PlaintextType type = PlaintextType.TEXT;
        Node typeNode = column.value("type");
        if (typeNode != null) {
            YamlContext.Scalar s = context.scalar(typeNode, column.childPath("type"));
            type = PlaintextType.fromConfigName(s.text());
            if (type == null) {
                throw context.error(typeNode, s.path(), s.quoted() + " is not one of " + Arrays.stream(
                        PlaintextType.values()).map(PlaintextType::configName).collect(Collectors.joining(", ")));
            }
        }
        Integer scale = null;
        Integer precision = null;
        if (type == PlaintextType.DECIMAL) {
            Node scaleNode = column.value("scale");
            if (scaleNode == null) {
                throw context.error(column.node(), column.childPath("scale"),
                        "is required for type decimal (digits after the point, 0.." + MAX_SCALE + ")");
            }
            scale = integer(context.scalar(scaleNode, column.childPath("scale")), 0, MAX_SCALE);
            Node precisionNode = column.value("precision");
            if (precisionNode != null) {
                YamlContext.Scalar s = context.scalar(precisionNode, column.childPath("precision"));
                precision = integer(s, 1, Integer.MAX_VALUE);
                if (precision < scale) {
                    throw context.error(precisionNode, s.path(), s.quoted() + " is less than scale " + scale
                            + " (precision counts all digits, scale those after the point)");
                }
            }
        } else {
            for (String key : List.of("scale", "precision")) {
                if (column.has(key)) {
                    throw column.errorAtKey(key, "is only for type decimal (this column's type is "
                            + type.configName() + ")");
                }
            }
        }
        int pad = optionalInteger(column, "pad", 1, Integer.MAX_VALUE, 0);
        boolean acceptPlaintext = optionalBoolean(column, "accept-plaintext", false);
        column.rejectUnknown(COLUMN_KEYS);
        return new ColumnConfig(name, mode, type, scale, precision, pad, acceptPlaintext);
    }

    // ---- typed scalars -----------------------------------------------------------------------------------------

    /** An optional string: absent, empty ({@code key:}) or substituted to "" all mean not set. */
    private String optionalString(YamlMapping mapping, String key) throws SQLException {
        Node node = mapping.value(key);
        if (node == null) {
            return null;
        }
        YamlContext.Scalar s = context.scalar(node, mapping.childPath(key));
        return s.isNullOrEmpty() ? null : s.text();
    }

    private int optionalInteger(YamlMapping mapping, String key, int min, int max, int defaultValue)
            throws SQLException {
        Node node = mapping.value(key);
        if (node == null) {
            return defaultValue;
        }
        return integer(context.scalar(node, mapping.childPath(key)), min, max);
    }

    private int integer(YamlContext.Scalar s, int min, int max) throws SQLException {
        String range = max == Integer.MAX_VALUE ? "at least " + min : min + ".." + max;
        if (s.text() == null) {
            throw context.error(s.node(), s.path(), "has no value (expected a whole number, " + range + ")");
        }
        String text = s.text().trim();
        if (!s.untypedOk() || !INTEGER.matcher(text).matches()) {
            throw context.error(s.node(), s.path(), s.quoted() + " is not a whole number" + (s.untypedOk() ? ""
                    : " (it is a quoted string)"));
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (value < min || value > max) {
            throw context.error(s.node(), s.path(), s.quoted() + " is out of range (expected " + range + ")");
        }
        return (int) value;
    }

    private boolean optionalBoolean(YamlMapping mapping, String key, boolean defaultValue) throws SQLException {
        Node node = mapping.value(key);
        if (node == null) {
            return defaultValue;
        }
        YamlContext.Scalar s = context.scalar(node, mapping.childPath(key));
        if (s.text() == null) {
            throw context.error(node, s.path(), "has no value (expected true or false)");
        }
        if (s.untypedOk()) {
            String text = s.text().trim();
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw context.error(node, s.path(), s.quoted() + " is not true or false" + (s.untypedOk() ? ""
                : " (it is a quoted string)"));
    }
}
