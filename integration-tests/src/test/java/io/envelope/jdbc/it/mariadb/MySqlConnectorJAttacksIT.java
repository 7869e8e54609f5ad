package io.envelope.jdbc.it.mariadb;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link AttackScenarios} (canary attacks and session changes) with MySQL Connector/J as the target driver: its
 * own placeholder scan and its own reading of the session (it takes sql_mode as it was when it connected, does
 * not notice a USE run as SQL, and runs each statement in the database current when the statement was created).
 */
class MySqlConnectorJAttacksIT extends AttackScenarios {

    MySqlConnectorJAttacksIT() {
        super(TargetDriver.MYSQL_CONNECTOR_J);
    }

    @Test
    void aStatementRunsInTheDatabaseItWasCreatedInAndIsAnalysedThere() throws Exception {
        QualifiedCustomers setup = QualifiedCustomers.create("cj_use");
        EncryptedMariaDb qualified = setup.place();
        String other = setup.other();
        try (Connection c = driver.connect(qualified)) {
            c.setCatalog(other);
            try (Statement early = c.createStatement();
                 PreparedStatement earlyPrepared = c.prepareStatement(
                         "INSERT INTO customers (id, note) VALUES (?, ?)")) {
                c.setCatalog(qualified.database());
                // Both still run in the other database, where customers is configured.
                early.execute("INSERT INTO customers (id, note) VALUES (1, '" + CANARY + "')");
                earlyPrepared.setInt(1, 2);
                earlyPrepared.setString(2, CANARY);
                earlyPrepared.executeUpdate();
                try (Statement now = c.createStatement()) {
                    now.execute("INSERT INTO customers (id, note) VALUES (3, 'not configured here')");
                    // A USE run as SQL, which the driver does not notice by itself: the wrapper sets the driver's
                    // record to it, so this statement, made before, now runs in the database it was made in.
                    now.execute("USE " + other);
                    now.execute("INSERT INTO customers (id, note) VALUES (6, 'made before the USE')");
                }
                try (Statement afterUse = c.createStatement()) {
                    afterUse.execute("INSERT INTO customers (id, note) VALUES (4, '" + CANARY + "')");
                }
                try (Statement later = c.createStatement()) {
                    later.execute("INSERT INTO customers (id, note) VALUES (5, '" + CANARY + "')");
                }
            }
            c.setCatalog(other);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM customers")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(4);
            }
        }
        try (Connection plain = qualified.plain(); Statement s = plain.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, note FROM " + other + ".customers ORDER BY id")) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    assertThat(rs.getString(2)).as("row " + rs.getInt(1)).doesNotContain(CANARY);
                }
                assertThat(rows).isEqualTo(4);
            }
            try (ResultSet rs = s.executeQuery("SELECT group_concat(id ORDER BY id) FROM customers")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("3,6");
            }
        }
    }
}
