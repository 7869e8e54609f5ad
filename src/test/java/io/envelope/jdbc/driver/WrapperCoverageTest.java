package io.envelope.jdbc.driver;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves by reflection over the JDK's java.sql interfaces that the wrappers leave no way around encryption:
 * every method that takes SQL text analyses it, every setter records encrypted parameters, every getter decrypts,
 * every execution encrypts first, and every method handing out a JDBC object hands out a wrapper.
 */
class WrapperCoverageTest {

    @Test
    void everyStatementMethodThatTakesSqlIsAnalysed() {
        List<String> missing = new ArrayList<>();
        for (Method m : Statement.class.getMethods()) {
            if (m.getParameterCount() > 0 && m.getParameterTypes()[0] == String.class
                    && (m.getName().startsWith("execute") || m.getName().equals("addBatch"))) {
                if (!declares(EnvelopeStatement.class, m)) {
                    missing.add(m.toString());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyPreparedStatementSetterAndExecutionIsIntercepted() {
        List<String> missing = new ArrayList<>();
        for (Method m : PreparedStatement.class.getDeclaredMethods()) {
            boolean setter = m.getName().startsWith("set") && m.getParameterCount() >= 2
                    && m.getParameterTypes()[0] == int.class;
            boolean execution = m.getName().startsWith("execute") || m.getName().equals("addBatch")
                    || m.getName().equals("clearParameters");
            if ((setter || execution) && !Modifier.isStatic(m.getModifiers())
                    && !declares(EnvelopePreparedStatement.class, m)) {
                missing.add(m.toString());
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyResultSetGetterDecrypts() {
        Set<String> notValueGetters = Set.of("getMetaData", "getStatement", "getFetchDirection", "getFetchSize",
                "getType", "getConcurrency", "getRow", "getWarnings", "getCursorName", "getHoldability");
        List<String> missing = new ArrayList<>();
        for (Method m : ResultSet.class.getMethods()) {
            if (m.getName().startsWith("get") && !notValueGetters.contains(m.getName())
                    && !declares(EnvelopeResultSet.class, m)) {
                missing.add(m.toString());
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyMethodHandingOutAJdbcObjectIsTheWrappersOwn() {
        List<Class<?>> jdbcObjects = List.of(Connection.class, Statement.class, PreparedStatement.class,
                java.sql.CallableStatement.class, ResultSet.class, java.sql.DatabaseMetaData.class,
                java.sql.ResultSetMetaData.class);
        List<Class<?>> wrappers = List.of(EnvelopeConnection.class, EnvelopeStatement.class,
                EnvelopePreparedStatement.class, EnvelopeCallableStatement.class, EnvelopeResultSet.class,
                EnvelopeDatabaseMetaData.class, EnvelopeResultSetMetaData.class);
        List<String> missing = new ArrayList<>();
        for (Class<?> wrapper : wrappers) {
            for (Method m : wrapper.getMethods()) {
                boolean routedThroughWrapper = wrapper == EnvelopeDatabaseMetaData.class
                        && m.getReturnType() == ResultSet.class; // proven by the next test
                if (jdbcObjects.contains(m.getReturnType()) && m.getDeclaringClass().getName().contains("Delegating")
                        && !m.getName().equals("unwrap") && !routedThroughWrapper) {
                    missing.add(wrapper.getSimpleName() + "." + m.getName());
                }
            }
            assertThat(Modifier.isAbstract(wrapper.getModifiers())).as(wrapper.getSimpleName()).isFalse();
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyMetaDataResultSetIsWrapped() throws Exception {
        ResultSet targetResult = (ResultSet) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResultSet.class}, (proxy, method, args) -> null);
        java.sql.DatabaseMetaData target = (java.sql.DatabaseMetaData) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {java.sql.DatabaseMetaData.class},
                (proxy, method, args) -> method.getReturnType() == ResultSet.class ? targetResult : null);
        EnvelopeDatabaseMetaData metaData = new EnvelopeDatabaseMetaData(null, target);
        int checked = 0;
        for (Method m : java.sql.DatabaseMetaData.class.getMethods()) {
            if (m.getReturnType() == ResultSet.class) {
                Object[] args = new Object[m.getParameterCount()];
                for (int i = 0; i < args.length; i++) {
                    Class<?> type = m.getParameterTypes()[i];
                    args[i] = type == int.class ? 0 : type == boolean.class ? false : null;
                }
                assertThat(m.invoke(metaData, args)).as(m.getName()).isInstanceOf(EnvelopeResultSet.class);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    private static boolean declares(Class<?> type, Method m) {
        for (Class<?> c = type; c != null && !c.getSimpleName().startsWith("Delegating"); c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(m.getName(), m.getParameterTypes()) != null;
            } catch (NoSuchMethodException e) {
                // look further up, but never in the generated pure-delegation classes
            }
            if (c == Object.class) {
                break;
            }
        }
        return Arrays.stream(type.getDeclaredMethods()).anyMatch(d -> d.getName().equals(m.getName())
                && Arrays.equals(d.getParameterTypes(), m.getParameterTypes()));
    }
}
