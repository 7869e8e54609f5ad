import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Generates the Delegating* base classes of io.envelope.jdbc.driver from the JDK's java.sql interfaces, so the
 * wrappers delegate every JDBC method and a new JDBC version is one re-run away. From the project root:
 *
 *   java tools/GenerateDelegates.java src/main/java/io/envelope/jdbc/driver
 *
 * GeneratedDelegatesTest runs it into a temporary directory and fails on any difference from the committed classes.
 *
 * Parameter names come from tools/jdbc-parameter-names.txt (class files of the JDK carry none), made once from the
 * JDK's own sources:
 *
 *   java tools/GenerateDelegates.java --names-from $JAVA_HOME/lib/src.zip tools/jdbc-parameter-names.txt
 *
 * Rules: a method that hands out a Connection, Statement, ResultSet, DatabaseMetaData or ResultSetMetaData is
 * left abstract, so the compiler forces the hand-written wrapper to hand out its own wrapper; ResultSet
 * update* methods first call beforeUpdate(column) so updates of encrypted columns can be refused, its methods that
 * move the cursor, change the current row or close call leavingRow() first (a wrapper may keep values of the row), and
 * its getters
 * by label answer through the getter by index when answersByIndex() says so; DatabaseMetaData
 * result sets go through wrapMetaDataResult; unwrap/isWrapperFor check this first.
 *
 * PreparedStatement set* methods (by index) go to the ParameterSetters that parameters(index) picks: the
 * hand-written EncryptedParameters, which implements every method of that interface (a setter added to JDBC does
 * not compile until someone decides what it records), or the generated PlaintextParameters, which sets the value on
 * the target statement and remembers the call for a replay (values read from a stream or reader cannot be replayed;
 * byte arrays are copied when remembered, as the target driver copies them when set).
 */
public class GenerateDelegates {

    /** ResultSet methods after which the current row's values may be others (see leavingRow). */
    private static final Set<String> LEAVING_ROW = Set.of("absolute", "afterLast", "beforeFirst", "cancelRowUpdates",
            "close", "deleteRow", "first", "insertRow", "last", "moveToCurrentRow", "moveToInsertRow", "next",
            "previous", "refreshRow", "relative", "updateRow");

    private static final Set<Class<?>> WRAPPED = Set.of(Connection.class, Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class, ResultSetMetaData.class);

    private static final List<Class<?>> INTERFACES = List.of(Connection.class, Statement.class,
            PreparedStatement.class, CallableStatement.class, ResultSet.class, DatabaseMetaData.class,
            ResultSetMetaData.class);
    private static final Path NAMES = Path.of("tools", "jdbc-parameter-names.txt");

    /** "Interface.method(Type,Type)" to the parameter names the JDK's sources give that method. */
    private static Map<String, List<String>> names = Map.of();

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--names-from")) {
            writeNames(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        names = readNames(NAMES);
        Path dir = Path.of(args[0]);
        write(dir, "DelegatingConnection", Connection.class, null, null);
        write(dir, "DelegatingStatement", Statement.class, null, null);
        write(dir, "DelegatingPreparedStatement", PreparedStatement.class, Statement.class, "EnvelopeStatement");
        write(dir, "DelegatingCallableStatement", CallableStatement.class, PreparedStatement.class,
                "EnvelopePreparedStatement");
        write(dir, "DelegatingResultSet", ResultSet.class, null, null);
        write(dir, "DelegatingDatabaseMetaData", DatabaseMetaData.class, null, null);
        write(dir, "DelegatingResultSetMetaData", ResultSetMetaData.class, null, null);
        writeParameterSetters(dir);
        writePlaintextParameters(dir);
    }

    /** The PreparedStatement setters by parameter index, in the order the generated classes list them. */
    private static List<Method> indexSetters() {
        return Arrays.stream(PreparedStatement.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !declaredIn(Statement.class, m))
                .filter(GenerateDelegates::isIndexSetter)
                .sorted(Comparator.comparing(Method::getName).thenComparing(Method::toGenericString))
                .collect(Collectors.toList());
    }

    private static boolean isIndexSetter(Method m) {
        return m.getDeclaringClass() == PreparedStatement.class && m.getName().startsWith("set")
                && m.getParameterCount() >= 2 && m.getParameterTypes()[0] == int.class;
    }

    private static String header(String from) {
        return "package io.envelope.jdbc.driver;\n\n// GENERATED by tools/GenerateDelegates.java from java.sql." + from
                + ". Do not edit; re-run the generator (GeneratedDelegatesTest checks).\n\n";
    }

    private static void writeParameterSetters(Path dir) throws IOException {
        StringBuilder out = new StringBuilder(header("PreparedStatement"));
        out.append("/**\n * The setters of {@link java.sql.PreparedStatement} by parameter index. A prepared statement"
                + " hands each call to the\n * implementation that serves that parameter: {@link EncryptedParameters}"
                + " or {@link PlaintextParameters}.\n */\n");
        out.append("@SuppressWarnings({\"deprecation\", \"removal\"})\n");
        out.append("interface ParameterSetters {\n");
        for (Method m : indexSetters()) {
            out.append("\n    ").append(signature(m)).append(";\n");
        }
        out.append("}\n");
        Files.writeString(dir.resolve("ParameterSetters.java"), out.toString());
    }

    private static void writePlaintextParameters(Path dir) throws IOException {
        StringBuilder out = new StringBuilder(header("PreparedStatement"));
        out.append("/**\n * The parameters of a prepared statement that are not bound to an encrypted column: each is set"
                + " on the target\n * statement at its index there (shifted where lookups before it were widened)"
                + " and, when the statement has a\n * {@link PlaintextReplay}, remembered so that it can be set again"
                + " on a target prepared with wider SQL.\n */\n");
        out.append("@SuppressWarnings({\"deprecation\", \"removal\"})\n");
        out.append("final class PlaintextParameters implements ParameterSetters {\n\n");
        out.append("    private java.sql.PreparedStatement target;\n");
        out.append("    /** Where each parameter sits in the target's SQL; null: as written. */\n");
        out.append("    private io.envelope.jdbc.sql.StatementPlan.Rendered rendered;\n");
        out.append("    /** Null for statements that are never prepared again. */\n");
        out.append("    private final PlaintextReplay replay;\n\n");
        out.append("    PlaintextParameters(PlaintextReplay replay) {\n        this.replay = replay;\n    }\n\n");
        out.append("    /** The target statement the parameters go to from now on, and where they sit in its SQL. */\n");
        out.append("    void target(java.sql.PreparedStatement target, io.envelope.jdbc.sql.StatementPlan.Rendered"
                + " rendered) {\n        this.target = target;\n        this.rendered = rendered;\n    }\n\n");
        out.append("    private int at(int parameterIndex) {\n        return rendered == null ? parameterIndex"
                + " : rendered.first(parameterIndex);\n    }\n");
        for (Method m : indexSetters()) {
            String[] names = paramNames(m);
            List<String> args = new ArrayList<>(Arrays.asList(names));
            args.set(0, "at(" + names[0] + ")");
            out.append("\n    @Override\n    public ").append(signature(m)).append(" {\n");
            out.append("        target.").append(m.getName()).append("(").append(String.join(", ", args))
                    .append(");\n");
            out.append("        if (replay != null) {\n");
            boolean streamed = Arrays.stream(m.getParameterTypes())
                    .anyMatch(t -> t == InputStream.class || t == java.io.Reader.class);
            if (streamed) {
                out.append("            replay.fromStream(").append(names[0]).append(");\n");
            } else {
                List<String> replayed = new ArrayList<>(Arrays.asList(names));
                replayed.set(0, "index");
                for (int i = 1; i < names.length; i++) {
                    if (m.getParameterTypes()[i] == byte[].class) {
                        out.append("            byte[] kept = ").append(names[i]).append(" == null ? null : ")
                                .append(names[i]).append(".clone();\n");
                        replayed.set(i, "kept");
                    }
                }
                out.append("            replay.remember(").append(names[0]).append(", (statement, index) -> statement.")
                        .append(m.getName()).append("(").append(String.join(", ", replayed)).append("));\n");
            }
            out.append("        }\n    }\n");
        }
        out.append("}\n");
        Files.writeString(dir.resolve("PlaintextParameters.java"), out.toString());
    }

    private static String[] paramNames(Method m) {
        String[] paramNames = new String[m.getParameterCount()];
        for (int i = 0; i < paramNames.length; i++) {
            paramNames[i] = paramName(m, i);
        }
        return paramNames;
    }

    private static String signature(Method m) {
        String typeParams = "";
        if (m.getTypeParameters().length > 0) {
            typeParams = "<" + Arrays.stream(m.getTypeParameters()).map(TypeVariable::getName)
                    .collect(Collectors.joining(", ")) + "> ";
        }
        return typeParams + typeName(m.getGenericReturnType()) + " " + m.getName() + "("
                + joinParams(m.getGenericParameterTypes(), paramNames(m)) + ")" + throwsClause(m);
    }

    /** The key of a method in the names table: its interface, name and erased parameter types. */
    private static String key(String iface, String method, List<String> erasedTypes) {
        return iface + "." + method + "(" + String.join(",", erasedTypes) + ")";
    }

    private static String erased(String sourceType) {
        String t = sourceType.replaceAll("<.*>", "").replace("...", "[]").trim();
        int dot = t.lastIndexOf('.');
        return dot < 0 ? t : t.substring(dot + 1);
    }

    private static Map<String, List<String>> readNames(Path file) throws IOException {
        Map<String, List<String>> table = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf(" = ");
            table.put(line.substring(0, eq), List.of(line.substring(eq + 3).split(",")));
        }
        return table;
    }

    /** Parses the java.sql interfaces' sources with the JDK's compiler and writes every method's parameter names. */
    private static void writeNames(Path srcZip, Path out) throws IOException {
        List<JavaFileObject> sources = new ArrayList<>();
        try (ZipFile zip = new ZipFile(srcZip.toFile())) {
            for (Class<?> iface : INTERFACES) {
                ZipEntry entry = zip.getEntry("java.sql/java/sql/" + iface.getSimpleName() + ".java");
                String text;
                try (InputStream in = zip.getInputStream(entry)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                sources.add(new SimpleJavaFileObject(URI.create("string:///" + iface.getSimpleName() + ".java"),
                        JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return text;
                    }
                });
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        JavacTask task = (JavacTask) compiler.getTask(null, null, null, null, null, sources);
        Map<String, String> lines = new TreeMap<>();
        for (CompilationUnitTree unit : task.parse()) {
            for (Tree type : unit.getTypeDecls()) {
                ClassTree iface = (ClassTree) type;
                for (Tree member : iface.getMembers()) {
                    if (member instanceof MethodTree method && !method.getParameters().isEmpty()) {
                        List<String> types = new ArrayList<>();
                        List<String> params = new ArrayList<>();
                        for (VariableTree p : method.getParameters()) {
                            types.add(erased(p.getType().toString()));
                            params.add(p.getName().toString());
                        }
                        lines.put(key(iface.getSimpleName().toString(), method.getName().toString(), types),
                                String.join(",", params));
                    }
                }
            }
        }
        StringBuilder text = new StringBuilder("# Parameter names of the java.sql interfaces, from the JDK's sources"
                + " (see tools/GenerateDelegates.java).\n");
        lines.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(out, text.toString());
    }

    private static void write(Path dir, String name, Class<?> iface, Class<?> inheritedFrom, String superclass)
            throws IOException {
        String field = inheritedFrom == null ? "delegate" : decapitalize(iface.getSimpleName()) + "Delegate";
        StringBuilder out = new StringBuilder(header(iface.getSimpleName()));
        out.append("/**\n * Delegates every {@link java.sql.").append(iface.getSimpleName())
                .append("} method")
                .append(inheritedFrom == null ? "" : " not inherited from {@link java.sql." + inheritedFrom.getSimpleName() + "}")
                .append(" to the target driver's object.\n * Methods that hand out JDBC objects are abstract:"
                        + " the wrapper hands out its own wrappers.\n */\n");
        out.append("@SuppressWarnings({\"deprecation\", \"removal\"})\n");
        out.append("abstract class ").append(name)
                .append(superclass == null ? "" : " extends " + superclass)
                .append(" implements java.sql.").append(iface.getSimpleName()).append(" {\n\n");
        // a prepared statement may be prepared again with other SQL (a lookup widened for a new key version), so
        // the statement's target can be replaced
        boolean replaceable = iface == Statement.class || iface == PreparedStatement.class;
        out.append(replaceable ? "    protected java.sql." : "    protected final java.sql.").append(iface.getSimpleName())
                .append(' ').append(field).append(";\n\n");
        if (superclass == null) {
            out.append("    protected ").append(name).append("(java.sql.").append(iface.getSimpleName())
                    .append(" delegate) {\n        this.delegate = delegate;\n    }\n\n");
        } else {
            // a prepared or callable statement is made for one SQL string, so it carries that string's plan
            boolean planned = iface == CallableStatement.class;
            out.append("    protected ").append(name).append("(EnvelopeConnection connection, java.sql.")
                    .append(iface.getSimpleName()).append(" delegate")
                    .append(planned ? ", io.envelope.jdbc.sql.StatementPlan plan" : "")
                    .append(") {\n        super(connection, delegate").append(planned ? ", plan" : "").append(");\n")
                    .append("        this.").append(field).append(" = delegate;\n    }\n\n");
        }
        if (iface == DatabaseMetaData.class) {
            out.append("    /** Wraps a result set handed out by a metadata method. */\n");
            out.append("    protected abstract java.sql.ResultSet wrapMetaDataResult(java.sql.ResultSet result)"
                    + " throws java.sql.SQLException;\n\n");
        }
        if (iface == PreparedStatement.class) {
            out.append("    /** Who takes the value of parameter {@code parameterIndex}: a setter call goes there. */\n");
            out.append("    protected abstract ParameterSetters parameters(int parameterIndex);\n\n");
        }
        if (iface == ResultSet.class) {
            out.append("    /**\n     * True when a getter by label must answer through the getter by index (after {@code findColumn}), because\n"
                    + "     * the wrapper answers some columns itself; false sends it to the target as it is.\n     */\n");
            out.append("    protected abstract boolean answersByIndex();\n\n");
            out.append("    /** Called before every update* method, with the 1-based column it updates. */\n");
            out.append("    protected abstract void beforeUpdate(int column) throws java.sql.SQLException;\n\n");
            out.append("    /** Called before every method that moves the cursor, changes the current row or closes. */\n");
            out.append("    protected abstract void leavingRow();\n\n");
        }
        List<Method> methods = Arrays.stream(iface.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> inheritedFrom == null || !declaredIn(inheritedFrom, m))
                .sorted(Comparator.comparing(Method::getName).thenComparing(Method::toGenericString))
                .collect(Collectors.toList());
        for (Method m : methods) {
            appendMethod(out, iface, field, m, inheritedFrom == null);
        }
        out.append("}\n");
        Files.writeString(dir.resolve(name + ".java"), out.toString());
    }

    private static boolean declaredIn(Class<?> type, Method m) {
        try {
            type.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static void appendMethod(StringBuilder out, Class<?> iface, String field, Method m, boolean root) {
        String name = m.getName();
        String[] paramNames = paramNames(m);
        String signature = signature(m);
        boolean wrapsResult = WRAPPED.contains(m.getReturnType());
        if (name.equals("unwrap") && root) {
            out.append("    @Override\n    public ").append(signature).append(" {\n")
                    .append("        if (iface.isInstance(this)) {\n            return iface.cast(this);\n        }\n")
                    .append("        return ").append(field).append(".unwrap(iface);\n    }\n\n");
            return;
        }
        if (name.equals("isWrapperFor") && root) {
            out.append("    @Override\n    public ").append(signature).append(" {\n")
                    .append("        return iface.isInstance(this) || ").append(field).append(".isWrapperFor(iface);\n    }\n\n");
            return;
        }
        if (iface == DatabaseMetaData.class && m.getReturnType() == ResultSet.class) {
            out.append("    @Override\n    public ").append(signature).append(" {\n")
                    .append("        return wrapMetaDataResult(").append(field).append(".").append(name).append("(")
                    .append(String.join(", ", paramNames)).append("));\n    }\n\n");
            return;
        }
        if (wrapsResult) {
            out.append("    @Override\n    public abstract ").append(signature).append(";\n\n");
            return;
        }
        if (isIndexSetter(m)) {
            out.append("    @Override\n    public ").append(signature).append(" {\n")
                    .append("        parameters(").append(paramNames[0]).append(").").append(name).append("(")
                    .append(String.join(", ", paramNames)).append(");\n    }\n\n");
            return;
        }
        String call = field + "." + name + "(" + String.join(", ", paramNames) + ")";
        if (iface == ResultSet.class && name.startsWith("get") && paramNames.length >= 1
                && m.getParameterTypes()[0] == String.class) {
            List<String> byIndex = new ArrayList<>(Arrays.asList(paramNames));
            byIndex.set(0, field + ".findColumn(" + paramNames[0] + ")");
            out.append("    @Override\n    public ").append(signature).append(" {\n")
                    .append("        return answersByIndex() ? ").append(name).append("(")
                    .append(String.join(", ", byIndex)).append(")\n                : ").append(call).append(";\n    }\n\n");
            return;
        }
        out.append("    @Override\n    public ").append(signature).append(" {\n");
        if (iface == ResultSet.class && LEAVING_ROW.contains(name)) {
            out.append("        leavingRow();\n");
        }
        if (iface == ResultSet.class && name.startsWith("update") && paramNames.length >= 1) {
            Class<?> first = m.getParameterTypes()[0];
            if (first == int.class) {
                out.append("        beforeUpdate(").append(paramNames[0]).append(");\n");
            } else if (first == String.class) {
                out.append("        beforeUpdate(").append(field).append(".findColumn(").append(paramNames[0]).append("));\n");
            }
        }
        out.append("        ").append(m.getReturnType() == void.class ? "" : "return ").append(call).append(";\n");
        out.append("    }\n\n");
    }

    private static String paramName(Method m, int i) {
        List<String> erasedTypes = Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList();
        List<String> known = names.get(key(m.getDeclaringClass().getSimpleName(), m.getName(), erasedTypes));
        if (known != null) {
            return known.get(i);
        }
        Class<?> t = m.getParameterTypes()[i];
        String n = m.getName();
        if (i == 0 && t == int.class && (n.startsWith("get") || n.startsWith("update") || n.startsWith("set")
                || n.startsWith("register") || n.equals("wasNull") || n.startsWith("is"))
                && m.getDeclaringClass() != Connection.class && m.getDeclaringClass() != DatabaseMetaData.class
                && m.getDeclaringClass() != Statement.class) {
            if (m.getDeclaringClass() == ResultSet.class || m.getDeclaringClass() == ResultSetMetaData.class) {
                return "columnIndex";
            }
            return "parameterIndex";
        }
        if (i == 0 && t == String.class && m.getDeclaringClass() == ResultSet.class
                && (n.startsWith("get") || n.startsWith("update") || n.equals("findColumn"))) {
            return "columnLabel";
        }
        if (t == Class.class && (n.equals("unwrap") || n.equals("isWrapperFor"))) {
            return "iface";
        }
        return "arg" + i;
    }

    private static String joinParams(Type[] params, String[] names) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(typeName(params[i])).append(' ').append(names[i]);
        }
        return s.toString();
    }

    private static String throwsClause(Method m) {
        if (m.getExceptionTypes().length == 0) {
            return "";
        }
        return " throws " + Arrays.stream(m.getExceptionTypes()).map(Class::getName).collect(Collectors.joining(", "));
    }

    private static String typeName(Type t) {
        return t.getTypeName().replace('$', '.');
    }

    private static String decapitalize(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
