package io.envelope.jdbc.it.conformance;

import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * A plaintext twin: table {@code plain} with columns of real SQL types (through plain pgJDBC) and table {@code enc}
 * with the same columns encrypted (through envelope-jdbc), written with the same setter and read with the same
 * getters, so each answer of the wrapper can be compared with pgJDBC's.
 */
final class Twin implements AutoCloseable {

    /** Binds one value to parameter 2 of {@code INSERT INTO t (id, column) VALUES (?, ?)}. */
    interface Setter {
        void set(PreparedStatement ps, int index) throws SQLException;
    }

    /** Reads one answer from column 1 of the current row. */
    interface Getter {
        Object get(ResultSet rs) throws SQLException;
    }

    record NamedGetter(String name, Getter getter) {
    }

    final EncryptedDatabase db;
    final Connection plain;
    final Connection wrapped;
    private int nextId;

    /**
     * @param columns column name to SQL type, e.g. {@code c_tz} to {@code timestamptz}
     * @param yaml    the {@code columns:} entries of table {@code enc} (indented by six spaces)
     */
    Twin(String prefix, List<String[]> columns, String yaml) throws Exception {
        db = EncryptedDatabase.create(prefix, "  enc:\n    columns:\n" + yaml);
        StringBuilder enc = new StringBuilder("CREATE TABLE enc (id int PRIMARY KEY");
        StringBuilder pl = new StringBuilder("CREATE TABLE plain (id int PRIMARY KEY");
        for (String[] c : columns) {
            enc.append(", ").append(c[0]).append(" bytea");
            pl.append(", ").append(c[0]).append(' ').append(c[1]);
        }
        db.executePlain(enc + ")", pl + ")");
        // text result format on both sides: pgJDBC's binary transfer (after prepareThreshold executions) changes
        // some of its own answers (getDouble on a real), which the wrapper does not follow
        plain = DriverManager.getConnection(TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema())
                + "&prepareThreshold=0");
        wrapped = db.connect();
        for (Connection c : List.of(plain, wrapped)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET synchronous_commit = off");
            }
        }
    }

    /** Sets the session time zone of both connections. */
    void sessionZone(String zone) throws SQLException {
        for (Connection c : List.of(plain, wrapped)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE '" + zone + "'");
            }
        }
    }

    /** What one side did: the answers of every getter, or the failure of the write. */
    record Side(String failure, String failureMessage, List<String> answers) {
        boolean failed() {
            return failure != null;
        }
    }

    /** Writes the value with the setter on both sides and reads it back with every getter. */
    Side[] run(String column, Setter setter, List<NamedGetter> getters) {
        int id = ++nextId;
        return new Side[] {side(plain, "plain", id, column, setter, getters),
                side(wrapped, "enc", id, column, setter, getters)};
    }

    private static Side side(Connection c, String table, int id, String column, Setter setter,
                             List<NamedGetter> getters) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, " + column + ") VALUES (?, ?)")) {
            ps.setInt(1, id);
            setter.set(ps, 2);
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            String state = e instanceof SQLException sql ? sql.getSQLState() : "runtime " + e.getClass().getName();
            return new Side(String.valueOf(state), String.valueOf(e.getMessage()), List.of());
        }
        List<String> answers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (NamedGetter g : getters) {
                    answers.add(g.name() + "=" + answer(rs, g.getter()));
                }
            }
        } catch (SQLException e) {
            return new Side("read " + e.getSQLState(), e.getMessage(), List.of());
        }
        return new Side(null, null, answers);
    }

    private static String answer(ResultSet rs, Getter getter) {
        try {
            Object v = getter.get(rs);
            if (v instanceof Timestamp ts) {
                return "Timestamp(" + ts.getTime() + "ms," + ts.getNanos() + "ns)";
            }
            if (v instanceof java.util.Date d) {
                return d.getClass().getSimpleName() + "(" + d.getTime() + "ms)";
            }
            return v == null ? "null" : v.getClass().getSimpleName() + "(" + v + ")";
        } catch (SQLException e) {
            return "threw " + e.getSQLState();
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName();
        }
    }

    @Override
    public void close() throws SQLException {
        plain.close();
        wrapped.close();
    }
}
