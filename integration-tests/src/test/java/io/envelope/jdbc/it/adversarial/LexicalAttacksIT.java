package io.envelope.jdbc.it.adversarial;

import io.envelope.jdbc.EnvelopeDataSource;
import io.envelope.jdbc.it.EncryptedDatabase;
import io.envelope.jdbc.it.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, findings 1, 2 and 8, each as its own test against the real server: a canary plaintext aimed at an
 * encrypted column through text that PostgreSQL reads differently from JSqlParser, through identifiers only
 * PostgreSQL resolves, or after a rename. Each either is refused before anything is sent, or stores ciphertext;
 * a raw scan of every column of every table (plain pgJDBC) and of everything the wrapper handed pgJDBC finds no
 * canary. On 0.1.0 each of these left the canary readable in a configured column.
 */
class LexicalAttacksIT {

    /** A configured column whose name is exactly 63 bytes: PostgreSQL cuts longer spellings to it. */
    static final String LONG_COLUMN = "secret_" + "x".repeat(56);
    static final String CANARY = "zqcanary-lexical";

    private EncryptedDatabase db;
    private RecordingTarget target;
    private Connection connection;

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedDatabase.create("adv_lex", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                      note:  { mode: randomized }
                  ledger:
                    columns:
                      %s: { mode: deterministic }
                """.formatted(LONG_COLUMN));
        db.executePlain("CREATE TABLE customers (id serial PRIMARY KEY, email bytea, note text, name text, meta jsonb)",
                "CREATE TABLE ledger (id serial PRIMARY KEY, " + LONG_COLUMN + " text, memo text)");
        target = new RecordingTarget(TestDatabase.withSchema(TestDatabase.jdbcUrl(), db.schema()));
        connection = new EnvelopeDataSource(target.dataSource(), db.configFile().toString()).getConnection();
    }

    @AfterEach
    void tearDown() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        db.executePlain("DROP SCHEMA " + db.schema() + " CASCADE");
    }

    /** Runs the SQL on a plain Statement through the wrapper; returns the exception, or null when it ran. */
    private Throwable plain(String sql) {
        return Attempts.plain(connection, sql);
    }

    private Throwable prepared(String sql, String... values) {
        return Attempts.prepared(connection, sql, values);
    }

    private void assertRefusedAndNoCanary(Throwable thrown) throws SQLException {
        assertThat(thrown).isInstanceOf(SQLException.class).hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageNotContaining(CANARY);
        assertNoCanary();
    }

    private void assertNoCanary() throws SQLException {
        assertThat(target.drain()).noneMatch(sent -> sent.contains(CANARY));
        try (Connection plainConnection = db.plain()) {
            assertThat(RawScan.find(plainConnection, db.schema(), CANARY)).isEmpty();
        }
    }

    // ------------------------------------------------------------------ finding 1: lexer differential

    @Test
    void escapeStringHidesASecondStatement() throws SQLException {
        assertRefusedAndNoCanary(plain(
                "SELECT E'\\''; INSERT INTO customers (email) VALUES ($$" + CANARY + "$$); -- '"));
    }

    @Test
    void escapeStringHidesASecondStatementWithABoundParameter() throws SQLException {
        assertRefusedAndNoCanary(prepared("SELECT E'\\''; INSERT INTO customers (email) VALUES (?); -- '", CANARY));
    }

    @Test
    void escapeStringHidesALiteralFromTheAnalyser() throws SQLException {
        assertRefusedAndNoCanary(plain("INSERT INTO customers (name, email) VALUES (E'x\\'', '" + CANARY + "')"));
    }

    @Test
    void nestedCommentHidesAStatementFromTheAnalyser() throws SQLException {
        assertRefusedAndNoCanary(plain("SELECT 1 /* /* */ , ' */ ; INSERT INTO customers (email) VALUES ($$"
                + CANARY + "$$) ; -- '"));
    }

    @Test
    void taggedDollarQuoteHidesAStatementFromTheAnalyser() throws SQLException {
        assertRefusedAndNoCanary(plain("SELECT $q$ ' $q$; INSERT INTO customers (note) VALUES ('" + CANARY
                + "'); -- '"));
    }

    @Test
    void dollarQuotedValueForAnEncryptedColumn() throws SQLException {
        assertRefusedAndNoCanary(plain("INSERT INTO customers (email) VALUES ($tag$" + CANARY + "$tag$)"));
    }

    @Test
    void stringContinuedAcrossANewline() throws SQLException {
        assertRefusedAndNoCanary(plain("INSERT INTO customers (email) VALUES ('zqcanary'\n'-lexical')"));
    }

    /**
     * JDBC escape syntax, which pgJDBC rewrites into SQL before sending: a value built inside an escape, or a
     * literal after one whose braces hide a quote, is refused or encrypted, never stored as the canary.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO customers (note) VALUES ({fn concat('zqcanary', '-lexical')})",
        "INSERT INTO customers (note) VALUES ({fn lcase('ZQCANARY-LEXICAL')})",
        "INSERT INTO customers (email) VALUES ({fn lcase('ZQCANARY-LEXICAL')})",
        "INSERT INTO customers (name, note) VALUES ({fn concat('a', '}')}, '" + CANARY + "')",
        "INSERT INTO customers (name, note) VALUES ({fn concat('a', '{')}, '" + CANARY + "')",
        "INSERT INTO customers (name, email) VALUES ({fn ucase('n')}, '" + CANARY + "')",
        "INSERT INTO customers (email) SELECT '" + CANARY + "' FROM {oj customers c LEFT OUTER JOIN ledger l"
                + " ON l.id = c.id} WHERE false",
        "UPDATE customers SET note = {fn concat('zqcanary', '-lexical')}",
        "INSERT INTO customers (name, note) VALUES ('n', '" + CANARY + "') {escape '\\'}",
    })
    void jdbcEscapesDoNotCarryACanaryPastTheWrapper(String sql) throws SQLException {
        db.executePlain("INSERT INTO customers (id, name) VALUES (1000, 'row for the UPDATE')");
        Throwable thrown = plain(sql);
        if (thrown != null) {
            assertThat(thrown).hasMessageNotContaining(CANARY);
        }
        assertNoCanary();
    }

    @Test
    void commentThatPgJdbcAndTheServerEndDifferently() throws SQLException {
        assertRefusedAndNoCanary(prepared("INSERT INTO customers (email, name) VALUES (/*/ ? */ ?, 'n')", CANARY));
    }

    @Test
    void ddlWithABoundParameterFoundByTheFuzzer() throws SQLException {
        assertRefusedAndNoCanary(prepared("CREATE INDEX ON customers (email) WHERE email = ?", CANARY));
    }

    // ------------------------------------------------------------------ finding 2: identifiers

    @Test
    void unicodeEscapedColumnName() throws SQLException {
        assertRefusedAndNoCanary(plain("INSERT INTO customers (U&\"\\0065mail\") VALUES ('" + CANARY + "')"));
    }

    @Test
    void unicodeEscapedColumnNameWithUescape() throws SQLException {
        assertRefusedAndNoCanary(prepared("UPDATE customers SET U&\"n!006Fte\" UESCAPE '!' = ?", CANARY));
    }

    @Test
    void unicodeEscapedTableName() throws SQLException {
        assertRefusedAndNoCanary(prepared("INSERT INTO U&\"\\0063ustomers\" (email) VALUES (?)", CANARY));
    }

    @Test
    void overLongColumnNameIsCutToTheConfiguredOneAndEncrypted() throws SQLException {
        String longer = LONG_COLUMN + "_and_then_some";
        assertThat(prepared("INSERT INTO ledger (" + longer + ", memo) VALUES (?, 'm')", CANARY)).isNull();
        assertThat(plain("INSERT INTO ledger (" + longer.toUpperCase() + ") VALUES ('" + CANARY + "')")).isNull();
        assertNoCanary();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + longer + " FROM ledger ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(CANARY);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(CANARY);
        }
    }

    @Test
    void overLongQuotedTableNameIsCutAsWell() throws SQLException {
        db.executePlain("CREATE TABLE \"" + "t".repeat(63) + "\" (id int)"); // an unrelated long name still works
        assertThat(prepared("INSERT INTO \"ledger\" (\"" + LONG_COLUMN + "\") VALUES (?)", CANARY)).isNull();
        assertThat(plain("INSERT INTO \"" + "t".repeat(70) + "\" (id) VALUES (1)")).isNull();
        assertNoCanary();
    }

    // ------------------------------------------------------------------ finding 8: renames

    @Test
    void renamingAnEncryptedColumnIsRefusedAndValuesStayReadable() throws SQLException {
        assertThat(prepared("INSERT INTO customers (email) VALUES (?)", CANARY)).isNull();
        Throwable thrown = plain("ALTER TABLE customers RENAME COLUMN email TO email2");
        assertThat(thrown).hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("envelope.yaml");
        assertNoCanary();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT email FROM customers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(CANARY);
        }
    }

    @Test
    void renamingAConfiguredTableIsRefused() throws SQLException {
        Throwable thrown = plain("ALTER TABLE customers RENAME TO clients");
        assertThat(thrown).hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("envelope.yaml");
        assertThat(prepared("INSERT INTO customers (email) VALUES (?)", CANARY)).isNull(); // still configured
        assertNoCanary();
    }

    @Test
    void movingAConfiguredTableToAnotherSchemaIsRefused() throws SQLException {
        db.executePlain("CREATE SCHEMA " + db.schema() + "_b");
        try {
            Throwable thrown = plain("ALTER TABLE customers SET SCHEMA " + db.schema() + "_b");
            assertThat(thrown).hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("SET SCHEMA");
            assertNoCanary();
        } finally {
            db.executePlain("DROP SCHEMA " + db.schema() + "_b CASCADE");
        }
    }

    @Test
    void renamingAnUnencryptedColumnOfAConfiguredTablePasses() throws SQLException {
        assertThat(plain("ALTER TABLE customers RENAME COLUMN name TO full_name")).isNull();
        assertThat(prepared("INSERT INTO customers (email, full_name) VALUES (?, 'n')", CANARY)).isNull();
        assertNoCanary();
    }
}
