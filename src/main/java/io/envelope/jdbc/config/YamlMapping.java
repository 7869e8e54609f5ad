package io.envelope.jdbc.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping being read strictly: keys must be plain scalars and unique, every key must be read by the
 * parser ({@link #rejectUnknown(List)} reports the first one that was not), and every lookup knows its key path.
 */
final class YamlMapping {

    private final YamlContext context;
    private final MappingNode node;
    private final String path;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    YamlMapping(YamlContext context, MappingNode node, String path) throws SQLException {
        this.context = context;
        this.node = node;
        this.path = path;
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey) || scalarKey.getValue().isEmpty()) {
                throw context.error(keyNode, path, "keys must be plain names");
            }
            String key = scalarKey.getValue();
            NodeTuple earlier = entries.putIfAbsent(key, tuple);
            if (earlier != null) {
                throw context.error(keyNode, YamlContext.child(path, key), "duplicate key (first at line "
                        + (earlier.getKeyNode().getStartMark().getLine() + 1) + ")");
            }
        }
    }

    Node node() {
        return node;
    }

    String path() {
        return path;
    }

    String childPath(String key) {
        return YamlContext.child(path, key);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The keys in file order; reading them through {@link #value(String)} marks them read. */
    List<String> keys() {
        return new ArrayList<>(entries.keySet());
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Node keyNode(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getKeyNode();
    }

    /** The value node of a key without marking it read (to choose how to read the rest), or null. */
    Node peek(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** The value node of a key, or null when the key is absent. Marks the key read. */
    Node value(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return null;
        }
        read.add(key);
        return tuple.getValueNode();
    }

    /** The value node of a required key, or an error at this mapping. */
    Node required(String key) throws SQLException {
        Node value = value(key);
        if (value == null) {
            throw context.error(node, childPath(key), "is required but missing");
        }
        return value;
    }

    /** An error at a present key, e.g. a key that belongs to another provider or type. */
    SQLException errorAtKey(String key, String problem) {
        return context.error(keyNode(key), childPath(key), problem);
    }

    /**
     * Reports the first key that is not one of {@code accepted}, before anything else of this mapping is read: a
     * misspelt key ({@code colums}) is then reported as itself, with the name it was probably meant to be,
     * rather than as the key it should have been being missing. Never quotes its value.
     *
     * @param shown the keys listed in the message when no accepted key is close to the unknown one
     */
    void rejectUnknownKeys(Collection<String> accepted, List<String> shown) throws SQLException {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!accepted.contains(entry.getKey())) {
                String closest = Spelling.closest(entry.getKey(), accepted);
                throw context.error(entry.getValue().getKeyNode(), childPath(entry.getKey()), "unknown key ("
                        + (closest != null ? "did you mean " + closest + "?"
                        : "known here: " + String.join(", ", shown)) + ")");
            }
        }
    }

    /** Reports the first key that no reader asked for. Never quotes its value. */
    void rejectUnknown(List<String> known) throws SQLException {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!read.contains(entry.getKey())) {
                throw context.error(entry.getValue().getKeyNode(), childPath(entry.getKey()),
                        "unknown key (known here: " + String.join(", ", known) + ")");
            }
        }
    }
}
