package io.envelope.jdbc.it.adversarial;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Runs attacker-chosen SQL through a connection and returns what it threw (null when it ran), so a test can then
 * look at what was refused and what reached the database.
 */
public final class Attempts {

    private Attempts() {
    }

    /** The SQL on a plain Statement. */
    public static SQLException plain(Connection connection, String sql) {
        return run(connection, sql, List.of());
    }

    /** The SQL prepared, with {@code values} bound as strings to its parameters in order. */
    public static SQLException prepared(Connection connection, String sql, String... values) {
        return run(connection, sql, List.of(values));
    }

    /** The SQL on a plain Statement when there are no values, else prepared with the values bound as strings. */
    public static SQLException run(Connection connection, String sql, List<String> values) {
        try {
            if (values.isEmpty()) {
                try (Statement s = connection.createStatement()) {
                    s.execute(sql);
                }
            } else {
                try (PreparedStatement ps = connection.prepareStatement(sql)) {
                    for (int i = 0; i < values.size(); i++) {
                        ps.setString(i + 1, values.get(i));
                    }
                    ps.execute();
                }
            }
            return null;
        } catch (SQLException e) {
            return e;
        }
    }
}
