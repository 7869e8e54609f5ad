package io.envelope.jdbc.it.adversarial;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The real target driver (pgJDBC, MariaDB Connector/J) behind a recording proxy: every SQL text and every bound parameter value that the
 * wrapper hands the target driver is kept, so a test can check what the server received. Given to the wrapper
 * through {@code new EnvelopeDataSource(target, config)}.
 */
public final class RecordingTarget {

    private final String jdbcUrl;
    private final List<String> sent = new ArrayList<>();

    public RecordingTarget(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getConnection" -> wrap(DriverManager.getConnection(jdbcUrl), Connection.class);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "RecordingTarget";
                    case "isWrapperFor" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Everything sent since the last call (SQL texts, and parameter values as text), then forgotten. */
    public synchronized List<String> drain() {
        List<String> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    private synchronized void record(String text) {
        sent.add(text);
    }

    private <T> T wrap(Object real, Class<T> type) {
        InvocationHandler handler = (proxy, method, args) -> {
            recordCall(method, args);
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof CallableStatement) {
                return wrap(result, CallableStatement.class);
            }
            if (result instanceof PreparedStatement) {
                return wrap(result, PreparedStatement.class);
            }
            if (result instanceof Statement && !(result instanceof PreparedStatement)) {
                return wrap(result, Statement.class);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
    }

    private void recordCall(Method method, Object[] args) {
        if (args == null) {
            return;
        }
        String name = method.getName();
        boolean sqlCall = name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch")
                || name.equals("nativeSQL");
        if (sqlCall && args[0] instanceof String sql) {
            record(sql);
        } else if (name.startsWith("set") && args.length >= 2 && args[0] instanceof Integer) {
            Object value = args[1];
            if (value instanceof byte[] bytes) {
                record(new String(bytes, StandardCharsets.ISO_8859_1));
            } else if (value != null) {
                record(String.valueOf(value));
            }
        }
    }
}
