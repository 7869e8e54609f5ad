package io.envelope.jdbc.sql;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Visits every JSqlParser AST node under a root, whatever its type, by reading the nodes' fields.
 *
 * <p>Why reflection and not JSqlParser's visitors: the rule-specific analysis only has to understand the
 * shapes it allows; this walker is the safety net that finds every {@code Column}, {@code Table} and
 * {@code ?} anywhere in a statement — including node types the visitor adapters skip or that a future
 * JSqlParser adds — so that nothing naming an encrypted column slips through unexamined (fail closed).
 * It only runs on plan-cache misses.
 */
final class AstWalker {

    /** Called for every node; the ancestors run from the root (first) to the direct parent (last). */
    interface Visitor {
        /** @return false to skip the node's children */
        boolean enter(Object node, List<Object> ancestors) throws SQLException;
    }

    private static final String AST_PACKAGE = "net.sf.jsqlparser.";
    private static final String PARSER_PACKAGE = "net.sf.jsqlparser.parser.";

    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c.getName().startsWith(AST_PACKAGE); c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()
                            || f.getType().getName().startsWith(PARSER_PACKAGE)) {
                        continue; // parser tokens and tree nodes are not part of the statement's meaning
                    }
                    try {
                        f.setAccessible(true);
                    } catch (RuntimeException e) { // InaccessibleObjectException: JSqlParser on the module path
                        throw new IllegalStateException("envelope-jdbc reads JSqlParser's AST reflectively: open "
                                + c.getPackageName() + " to it (--add-opens " + c.getModule().getName() + "/"
                                + c.getPackageName() + "=ALL-UNNAMED, or to the envelope-jdbc module)", e);
                    }
                    fields.add(f);
                }
            }
            return fields.toArray(new Field[0]);
        }
    };

    private AstWalker() {
    }

    static void walk(Object root, Visitor visitor) throws SQLException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> path = new ArrayDeque<>();
        visit(root, visitor, seen, path);
    }

    private static void visit(Object node, Visitor visitor, Set<Object> seen, Deque<Object> path)
            throws SQLException {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Collection<?> || node instanceof Map<?, ?> || node instanceof Map.Entry<?, ?>
                || node.getClass().isArray()) {
            boolean astCollection = node.getClass().getName().startsWith(AST_PACKAGE);
            if (astCollection && !visitor.enter(node, List.copyOf(path))) {
                return;
            }
            if (astCollection) {
                path.addLast(node);
            }
            for (Object child : elements(node)) {
                visit(child, visitor, seen, path);
            }
            if (astCollection) {
                path.removeLast();
                visitFields(node, visitor, seen, path);
            }
            return;
        }
        if (!node.getClass().getName().startsWith(AST_PACKAGE) || node.getClass().isEnum()) {
            return; // strings, numbers, enums: leaves without structure
        }
        if (!visitor.enter(node, List.copyOf(path))) {
            return;
        }
        visitFields(node, visitor, seen, path);
    }

    private static void visitFields(Object node, Visitor visitor, Set<Object> seen, Deque<Object> path)
            throws SQLException {
        path.addLast(node);
        try {
            for (Field f : FIELDS.get(node.getClass())) {
                Object child;
                try {
                    child = f.get(node);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read JSqlParser field " + f, e);
                }
                visit(child, visitor, seen, path);
            }
        } finally {
            path.removeLast();
        }
    }

    private static Iterable<?> elements(Object container) {
        if (container instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (container instanceof Map<?, ?> m) {
            List<Object> all = new ArrayList<>(m.keySet());
            all.addAll(m.values());
            return all;
        }
        if (container instanceof Map.Entry<?, ?> entry) {
            // JsonExpression keeps its path operands (a ? parameter, a column) as Map.Entry keys.
            List<Object> both = new ArrayList<>();
            both.add(entry.getKey());
            both.add(entry.getValue());
            return both;
        }
        if (container instanceof Object[] array) {
            return Arrays.stream(array).filter(x -> x != null).toList();
        }
        return List.of(); // primitive arrays
    }
}
