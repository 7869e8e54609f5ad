package io.envelope.jdbc.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Statements on tables that are not configured reach the database unchanged (see README, What SQL does). */
class PassThroughIT {

    private static EncryptedDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        db = EncryptedDatabase.create("passthrough", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                """);
        db.executePlain("CREATE TABLE customers (id int PRIMARY KEY, email bytea)",
                "CREATE TABLE orders (id int PRIMARY KEY, sku text, qty int, data jsonb)");
    }

    @Test
    void literalsAndParametersOnOtherTablesAreStoredAsTheyAre() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO orders (id, sku, qty, data) VALUES (1, 'SKU-1', 3, '{\"a\": 1}')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, sku, qty) VALUES (?, ?, ?)")) {
                ps.setInt(1, 2);
                ps.setString(2, "SKU-2");
                ps.setInt(3, 5);
                ps.executeUpdate();
            }
        }
        try (Connection c = db.plain(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, sku, qty, data->>'a' FROM orders ORDER BY id")) {
            rs.next();
            assertThat(rs.getString(2)).isEqualTo("SKU-1");
            assertThat(rs.getInt(3)).isEqualTo(3);
            assertThat(rs.getString(4)).isEqualTo("1");
            rs.next();
            assertThat(rs.getString(2)).isEqualTo("SKU-2");
            assertThat(rs.getInt(3)).isEqualTo(5);
        }
    }

    @Test
    void sqlThatNamesNoConfiguredTableIsNotEvenParsed() throws Exception {
        // dollar quoting and a PostgreSQL-only operator: fine for the server, whatever a SQL parser thinks
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT $tag$it's $$ fine$tag$ AS text, '{1,2}'::int[] @> ARRAY[1] AS has")) {
            rs.next();
            assertThat(rs.getString("text")).isEqualTo("it's $$ fine");
            assertThat(rs.getBoolean("has")).isTrue();
        }
    }

    @Test
    void errorsOfTheDatabasePassThroughUnchanged() throws Exception {
        SQLException plain = null;
        try (Connection c = db.plain(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT no_such_column FROM orders");
        } catch (SQLException e) {
            plain = e;
        }
        SQLException wrapped = null;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT no_such_column FROM orders");
        } catch (SQLException e) {
            wrapped = e;
        }
        assertThat((Throwable) plain).isNotNull();
        assertThat((Throwable) wrapped).isNotNull().hasSameClassAs(plain);
        assertThat(wrapped.getSQLState()).isEqualTo(plain.getSQLState());
        assertThat(wrapped.getMessage()).isEqualTo(plain.getMessage());
    }

    @Test
    void sqlOnAConfiguredTableThatCannotBeAnalysedIsRefused() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            Throwable failure = catchThrowable(() -> s.executeQuery("SELECT id FROM customers ORDER BY email"));
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).startsWith("envelope-jdbc:").contains("email");
        }
    }

    @Test
    void wrappersHandBackWrappers() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE id = ?")) {
            assertThat(s.getConnection()).isSameAs(c);
            assertThat(ps.getConnection()).isSameAs(c);
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.getStatement()).isSameAs(ps);
            }
            assertThat(c.isWrapperFor(org.postgresql.PGConnection.class)).isTrue();
            assertThat(c.unwrap(org.postgresql.PGConnection.class)).isNotNull();
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
        }
    }
}
