package io.envelope.jdbc.config;

import io.envelope.jdbc.EnvelopeErrors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A configuration given as nested maps instead of YAML text — Spring Boot's properties under {@code envelope.}, bound
 * as a tree — turned into the nodes {@link ConfigParser} reads, so that it is checked by the same rules, with the
 * same messages, as a file. Nothing is validated here but what only this form can get wrong (one key written two
 * ways).
 *
 * <p>Where the file format fixes a key ({@code key-cache}, {@code kms.master-key-file}, a column's
 * {@code accept-plaintext}…), the key is matched relaxed, as Spring Boot matches property names: case, dashes and
 * underscores are ignored, so {@code keyCache}, {@code key_cache} and {@code key-cache} are one key. Table and column
 * names are identifiers and stay exactly as given. A list is a list, an array, a map with index keys ({@code "0"},
 * {@code "1"}, as Spring binds {@code allowed-key-ids[0]}), or, for {@code allowed-key-ids}, a comma-separated
 * string. Every value is a plain scalar: numbers and booleans are read from their text, as in the file; an empty
 * value is "no value".
 */
final class PropertyTree {

    /** Where in the document a mapping sits: which keys it knows, and what its children are. */
    private enum Level {
        ROOT, KMS, KEY_CACHE, TABLES, TABLE, COLUMNS, COLUMN, VALUE;

        List<String> knownKeys() {
            return switch (this) {
                case ROOT -> ConfigParser.ROOT_KEYS;
                case KMS -> kmsKeys();
                case KEY_CACHE -> ConfigParser.KEY_CACHE_KEYS;
                case TABLE -> ConfigParser.TABLE_KEYS;
                case COLUMN -> ConfigParser.COLUMN_KEYS;
                case TABLES, COLUMNS, VALUE -> List.of();
            };
        }

        Level child(String key) {
            return switch (this) {
                case ROOT -> switch (key) {
                    case "kms" -> KMS;
                    case "key-cache" -> KEY_CACHE;
                    case "tables" -> TABLES;
                    default -> VALUE;
                };
                case TABLES -> TABLE;
                case TABLE -> key.equals("columns") ? COLUMNS : VALUE;
                case COLUMNS -> COLUMN;
                default -> VALUE;
            };
        }

        private static List<String> kmsKeys() {
            List<String> keys = new ArrayList<>(ConfigParser.AWS_KEYS);
            ConfigParser.LOCAL_KEYS.stream().filter(k -> !keys.contains(k)).forEach(keys::add);
            return keys;
        }
    }

    private static final String COMMA_LIST = "allowed-key-ids";

    private final String origin;

    private PropertyTree(String origin) {
        this.origin = origin;
    }

    /**
     * @param tree   the settings: keys to nested maps, lists or scalar values
     * @param origin where they came from, for messages
     */
    static Node toNode(Map<String, ?> tree, String origin) throws SQLException {
        return new PropertyTree(origin).mapping(tree, Level.ROOT, "");
    }

    private Node mapping(Map<?, ?> map, Level level, String path) throws SQLException {
        Map<String, String> spelledAs = new LinkedHashMap<>();
        List<NodeTuple> tuples = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String written = String.valueOf(entry.getKey());
            String key = canonical(written, level.knownKeys());
            String earlier = spelledAs.putIfAbsent(key, written);
            if (earlier != null) {
                throw EnvelopeErrors.config(YamlContext.child(path, key) + ": given twice, as '" + earlier
                        + "' and as '" + written + "' (in " + origin + "); keep one");
            }
            String childPath = YamlContext.child(path, key);
            tuples.add(new NodeTuple(scalar(key), value(entry.getValue(), level.child(key), key, childPath)));
        }
        return new MappingNode(Tag.MAP, tuples, DumperOptions.FlowStyle.BLOCK);
    }

    private Node value(Object value, Level level, String key, String path) throws SQLException {
        if (value instanceof Map<?, ?> map) {
            List<Object> indexed = indexed(map);
            return indexed != null ? sequence(indexed, path) : mapping(map, level, path);
        }
        if (value instanceof Collection<?> list) {
            return sequence(list, path);
        }
        if (value instanceof Object[] array) {
            return sequence(List.of(array), path);
        }
        if (value instanceof CharSequence text && key.equals(COMMA_LIST) && text.toString().contains(",")) {
            List<Object> items = new ArrayList<>();
            for (String item : text.toString().split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
            return sequence(items, path);
        }
        return scalar(value == null ? null : value.toString());
    }

    private Node sequence(Collection<?> items, String path) throws SQLException {
        List<Node> nodes = new ArrayList<>();
        int i = 0;
        for (Object item : items) {
            nodes.add(value(item, Level.VALUE, "", path + "[" + i++ + "]"));
        }
        return new SequenceNode(Tag.SEQ, nodes, DumperOptions.FlowStyle.BLOCK);
    }

    /** The values of a map whose keys are all list indexes, in index order; null for any other map. */
    private static List<Object> indexed(Map<?, ?> map) {
        if (map.isEmpty()) {
            return null;
        }
        TreeMap<Integer, Object> byIndex = new TreeMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (!key.matches("[0-9]{1,9}")) {
                return null;
            }
            byIndex.put(Integer.parseInt(key), entry.getValue());
        }
        return new ArrayList<>(byIndex.values());
    }

    private static ScalarNode scalar(String text) {
        if (text == null || text.isEmpty()) {
            return new ScalarNode(Tag.NULL, "", null, null, DumperOptions.ScalarStyle.PLAIN);
        }
        return new ScalarNode(Tag.STR, text, null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    /** The file format's spelling of a key written in any relaxed form; the key as written when it is not known. */
    private static String canonical(String written, List<String> known) {
        String uniform = uniform(written);
        for (String key : known) {
            if (uniform(key).equals(uniform)) {
                return key;
            }
        }
        return written;
    }

    private static String uniform(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
