package io.envelope.jdbc.config;

import io.envelope.jdbc.EnvelopeErrors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.sql.SQLException;
import java.util.function.Function;

/**
 * What every step of reading one composed YAML document shares: the file's origin (for messages), the
 * environment (for {@code ${VAR}}) and the one error format, {@code key.path: problem (line N of origin)}.
 */
final class YamlContext {

    private final String origin;
    private final Function<String, String> environment;

    YamlContext(String origin, Function<String, String> environment) {
        this.origin = origin;
        this.environment = environment;
    }

    String origin() {
        return origin;
    }

    /** A config error at a node: {@code path: problem (line N of origin)}. */
    SQLException error(Node node, String path, String problem) {
        return EnvelopeErrors.config(describe(path) + ": " + problem + where(node));
    }

    String where(Node node) {
        if (node == null || node.getStartMark() == null) {
            return " (in " + origin + ")";
        }
        return " (line " + (node.getStartMark().getLine() + 1) + " of " + origin + ")";
    }

    static String describe(String path) {
        return path == null || path.isEmpty() ? "configuration" : path;
    }

    static String child(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    /** The mapping at a node, or an error naming what is there instead. */
    YamlMapping mapping(Node node, String path) throws SQLException {
        if (node instanceof MappingNode mapping) {
            return new YamlMapping(this, mapping, path);
        }
        throw error(node, path, "expected a mapping (key: value lines or { key: value }), got " + kind(node));
    }

    /** The sequence at a node, or an error. */
    SequenceNode sequence(Node node, String path) throws SQLException {
        if (node instanceof SequenceNode sequence) {
            return sequence;
        }
        throw error(node, path, "expected a list ([a, b] or '- a' lines), got " + kind(node));
    }

    /** The scalar at a node, with {@code ${VAR}} references replaced. */
    Scalar scalar(Node node, String path) throws SQLException {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, path, "expected a single value, got " + kind(node));
        }
        String raw = scalar.getValue();
        boolean plain = scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
        if (plain && Tag.NULL.equals(scalar.getTag())) {
            return new Scalar(null, raw, false, true, node, path);
        }
        if (!Interpolator.hasReference(raw)) {
            return new Scalar(raw, raw, false, plain, node, path);
        }
        try {
            return new Scalar(Interpolator.interpolate(raw, environment), raw, true, plain, node, path);
        } catch (Interpolator.UnsetVariableException e) {
            throw error(node, path, "environment variable " + e.variable()
                    + " is not set (write ${" + e.variable() + ":-default} for a default)");
        } catch (Interpolator.MalformedReferenceException e) {
            throw error(node, path, "'" + raw + "' " + e.getMessage());
        }
    }

    private static String kind(Node node) {
        if (node == null) {
            return "nothing";
        }
        if (node.getNodeId() == NodeId.mapping) {
            return "a mapping";
        }
        if (node.getNodeId() == NodeId.sequence) {
            return "a list";
        }
        if (node instanceof ScalarNode s) {
            if (s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && Tag.NULL.equals(s.getTag())) {
                return "no value";
            }
            return "'" + s.getValue() + "'";
        }
        return "something else";
    }

    /**
     * One scalar value.
     *
     * @param text         the value after substitution; null for a YAML null (an empty value)
     * @param raw          the value as written in the file
     * @param interpolated whether a {@code ${VAR}} was replaced (then messages quote {@link #raw()} only, because
     *                     the environment may hold secrets)
     * @param plain        written without quotes
     */
    record Scalar(String text, String raw, boolean interpolated, boolean plain, Node node, String path) {

        boolean isNullOrEmpty() {
            return text == null || text.isEmpty();
        }

        /** The value quoted for a message: as written when it came from the environment. */
        String quoted() {
            if (text == null) {
                return "(no value)";
            }
            return interpolated ? "'" + raw + "' (after substitution)" : "'" + text + "'";
        }

        /** For ints and booleans: plain scalars, or values substituted from the environment. */
        boolean untypedOk() {
            return plain || interpolated;
        }
    }
}
