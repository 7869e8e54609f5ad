package io.envelope.jdbc.it.mariadb;

import io.envelope.jdbc.it.adversarial.Attempts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A canary plaintext aimed at an encrypted column through what MySQL and MariaDB read in their own way:
 * executable comments, {@code #} comments, backslash escapes, double-quoted strings, hex and bit literals,
 * charset introducers, dynamic SQL, and session changes ({@code sql_mode}, {@code USE}) after the connection
 * opened. Each statement either is refused before anything is sent or stores ciphertext; a scan of every column
 * of every table of the test's database (plain MariaDB Connector/J) finds no canary. Through whichever target
 * driver a subclass names ({@link TargetDriver}): {@link MariaDbAttacksIT}, {@link MySqlConnectorJAttacksIT}.
 */
abstract class AttackScenarios {

    static final String CANARY = "zqcanary-mysql";
    /** The canary's bytes in hex (checked in a test below: annotation values must be constants). */
    private static final String CANARY_HEX = "7a7163616e6172792d6d7973716c";

    protected final TargetDriver driver;
    private EncryptedMariaDb db;
    private Connection connection;

    protected AttackScenarios(TargetDriver driver) {
        this.driver = driver;
    }

    @BeforeEach
    void setUp() throws Exception {
        db = EncryptedMariaDb.create("adv_mysql", """
                  customers:
                    columns:
                      email: { mode: deterministic }
                      note:  { mode: randomized }
                """);
        db.executePlain("CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, email VARBINARY(255), "
                + "note TEXT, name VARCHAR(100))", "CREATE TABLE drafts (id INT PRIMARY KEY, body TEXT)");
        connection = driver.connect(db);
    }

    @AfterEach
    void tearDown() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs the SQL on a plain Statement through the wrapper; returns the exception, or null when it ran. */
    private Throwable plain(String sql) {
        return Attempts.plain(connection, sql);
    }

    private Throwable prepared(String sql, String... values) {
        return Attempts.prepared(connection, sql, values);
    }

    /** Refused (by the wrapper, or by the server) or stored encrypted: either way no canary anywhere. */
    private void assertNoCanary(Throwable thrown) throws SQLException {
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(SQLException.class).hasMessageNotContaining(CANARY);
        }
        assertThat(db.find(CANARY)).isEmpty();
    }

    private void assertRefusedByTheWrapper(Throwable thrown) throws SQLException {
        assertThat(thrown).isInstanceOf(SQLException.class).hasMessageStartingWith("envelope-jdbc: ");
        assertNoCanary(thrown);
    }

    private String noteOf(int id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT note FROM customers WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("row " + id).isTrue();
                return rs.getString(1);
            }
        }
    }

    // ------------------------------------------------------------------ literals MySQL reads its own way

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO `customers` (`id`, `NoTe`) VALUES (1, '" + CANARY + "')",
        "INSERT INTO customers SET id = 1, note = '" + CANARY + "'",
        "INSERT INTO customers (id, note) VALUES (1, 'x'), (1, 'y') ON DUPLICATE KEY UPDATE note = '" + CANARY
                + "'",
        "REPLACE INTO customers (id, note) VALUES (1, '" + CANARY + "')",
        "INSERT INTO customers (id, note) VALUES (1, 'it\\'s " + CANARY + "')",
    })
    void aLiteralMySqlReadsItsWayIsEncrypted(String sql) throws SQLException {
        assertThat(plain(sql)).isNull();
        assertNoCanary(null);
        assertThat(noteOf(1)).contains(CANARY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO customers (id, note) VALUES (1, \"" + CANARY + "\")",
        "INSERT INTO customers (id, note) VALUES (1, # a comment with a quote '\n'" + CANARY + "')",
        "INSERT INTO customers (id, note) VALUES (1, X'" + CANARY_HEX + "')",
        "INSERT INTO customers (id, note) VALUES (1, 0x" + CANARY_HEX + ")",
        "INSERT INTO customers (id, note) VALUES (1, _binary'" + CANARY + "')",
        "INSERT INTO customers (id, note) VALUES (1, _utf8mb4'" + CANARY + "')",
        "INSERT INTO customers (id, note) VALUES (1, N'" + CANARY + "')",
        "INSERT INTO customers (id, note) VALUES (1, 'zqcanary' '-mysql')",
        "INSERT INTO customers (id, note) VALUES (1, CONCAT('zqcanary', '-mysql'))",
        // JDBC escape syntax, which the drivers rewrite before sending
        "INSERT INTO customers (id, note) VALUES (1, {fn concat('zqcanary', '-mysql')})",
        "INSERT INTO customers (id, name, note) VALUES (1, {fn concat('a', '}')}, '" + CANARY + "')",
        "INSERT INTO customers (id, note) VALUES (1, /*! '" + CANARY + "' */ '')",
        "INSERT INTO customers (id, note) VALUES (1, /*!100000 '" + CANARY + "' */ '')",
        "INSERT INTO customers (id, note) VALUES (1, /*M! '" + CANARY + "' */ '')",
        "INSERT INTO customers (id, note) VALUES (1, /*M!100000 '" + CANARY + "' */ '')",
        "INSERT INTO customers (id, /*! note) VALUES (1, '" + CANARY + "') -- */ name) VALUES (1, 'n')",
        "INSERT INTO customers (id, name) VALUES (1, 'a\\', '" + CANARY + "')",
        "SELECT '\\''; INSERT INTO customers (note) VALUES ('" + CANARY + "'); -- '",
        "INSERT INTO customers (note) SELECT body FROM drafts",
        "SET STATEMENT sql_mode = 'NO_BACKSLASH_ESCAPES' FOR INSERT INTO customers (id, name, note) "
                + "VALUES (1, 'p\\', '" + CANARY + "')",
    })
    void aLiteralTheAnalysisCannotEncryptIsRefusedOrStoresNothing(String sql) throws SQLException {
        db.executePlain("INSERT INTO drafts VALUES (1, '" + CANARY + "')");
        Throwable thrown = plain(sql);
        db.executePlain("DELETE FROM drafts");
        assertNoCanary(thrown);
    }

    @Test
    void theHexFormOfTheCanaryIsRight() {
        assertThat(HexFormat.of().formatHex(CANARY.getBytes(StandardCharsets.US_ASCII))).isEqualTo(CANARY_HEX);
    }

    @Test
    void dynamicSqlNamingAConfiguredTableIsRefused() throws SQLException {
        Throwable prepare = plain("PREPARE s FROM 'INSERT INTO customers (note) VALUES (''" + CANARY + "'')'");
        assertRefusedByTheWrapper(prepare);
        plain("EXECUTE s");
        assertNoCanary(null);
    }

    // ------------------------------------------------------------------ session changes after connect

    @Test
    void noBackslashEscapesSetAfterConnectIsFollowed() throws SQLException {
        assertThat(plain("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")).isNull();
        if (!driver.followsALaterNoBackslashEscapes()) {
            // The driver still escapes (and scans) as it did when it connected: refused until it is set back.
            assertRefusedByTheWrapper(plain("INSERT INTO customers (id, name, note) VALUES (7, 'back\\', '"
                    + CANARY + "')"));
            assertThat(plain("SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '')")).isNull();
            assertThat(prepared("INSERT INTO customers (id, note) VALUES (7, ?)", CANARY)).isNull();
            assertNoCanary(null);
            assertThat(noteOf(7)).isEqualTo(CANARY);
            return;
        }
        // Read with backslash escapes this is one unterminated string; the session reads two strings.
        assertThat(plain("INSERT INTO customers (id, name, note) VALUES (7, 'back\\', '" + CANARY + "')")).isNull();
        assertNoCanary(null);
        assertThat(noteOf(7)).isEqualTo(CANARY);
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM customers WHERE id = 7")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("back\\");
        }
    }

    @Test
    void ansiQuotesSetAfterConnectIsFollowed() throws SQLException {
        assertThat(prepared("INSERT INTO customers (id, note) VALUES (8, ?)", CANARY)).isNull();
        assertThat(plain("SET sql_mode = 'ANSI_QUOTES,STRICT_TRANS_TABLES'")).isNull();
        // "note" is now the column, not a string: its values are decrypted
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"note\" FROM \"customers\" WHERE \"id\" = 8")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(CANARY);
        }
        assertThat(plain("INSERT INTO \"customers\" (\"id\", \"note\") VALUES (9, '" + CANARY + "')")).isNull();
        assertNoCanary(null);
        assertThat(noteOf(9)).isEqualTo(CANARY);
    }

    @Test
    void aSessionModeTheAnalysisDoesNotModelRefusesStatementsUntilItIsUndone() throws SQLException {
        assertThat(plain("SET sql_mode = 'PIPES_AS_CONCAT'")).isNull();
        Throwable refused = plain("INSERT INTO customers (id, note) VALUES (10, '" + CANARY + "')");
        assertThat(refused).hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("PIPES_AS_CONCAT");
        assertNoCanary(refused);
        assertThat(plain("SET sql_mode = DEFAULT")).isNull();
        assertThat(plain("INSERT INTO customers (id, note) VALUES (10, '" + CANARY + "')")).isNull();
        assertNoCanary(null);
    }

    @Test
    void aMultiByteClientCharacterSetIsRefused() throws SQLException {
        // MariaDB Connector/J closes the connection itself; MySQL Connector/J lets it change, and then the next
        // analysis reads the session again and refuses it.
        Throwable set = plain("SET NAMES gbk");
        assertThat(set != null).as("the driver refuses the change itself")
                .isEqualTo(driver.closesTheConnectionOnAMultiByteCharacterSet());
        if (set != null) {
            assertThat(set).hasMessageContaining("gbk");
            assertThat(connection.isClosed()).isTrue();
        } else {
            Throwable refused = prepared("INSERT INTO customers (id, note) VALUES (11, ?)", CANARY);
            assertThat(refused).hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("gbk");
        }
        assertNoCanary(null);
    }

    @Test
    void useOfAnotherDatabaseMovesUnqualifiedNames() throws Exception {
        // The connection opens in the test's database.
        QualifiedCustomers setup = QualifiedCustomers.create("adv_use");
        EncryptedMariaDb qualified = setup.place();
        String other = setup.other();
        // A new statement after each change of database: MySQL Connector/J runs a statement in the database its
        // own record named when the statement was created (MySqlConnectorJAttacksIT).
        try (Connection c = driver.connect(qualified)) {
            execute(c, "INSERT INTO customers (id, note) VALUES (1, 'not configured here')");
            execute(c, "USE " + other);
            execute(c, "INSERT INTO customers (id, note) VALUES (2, '" + CANARY + "')");
            c.setCatalog(qualified.database());
            execute(c, "INSERT INTO customers (id, note) VALUES (3, 'not configured here either')");
            c.setCatalog(other);
            try (Statement t = c.createStatement();
                 ResultSet rs = t.executeQuery("SELECT note FROM customers WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(CANARY);
            }
        }
        try (Connection plain = qualified.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM " + other + ".customers WHERE id = 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).doesNotContain(CANARY);
        }
    }

    @Test
    void aSessionChangeCannotJoinABatch() throws SQLException {
        Throwable thrown = catchThrowable(() -> {
            try (Statement s = connection.createStatement()) {
                s.addBatch("SET sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
                s.addBatch("INSERT INTO customers (id, name, note) VALUES (12, 'a\\', '" + CANARY + "')");
                s.executeBatch();
            }
        });
        assertRefusedByTheWrapper(thrown);
    }

    /**
     * A place whose configured table is qualified, {@code other.customers} (id, note randomized), while its own
     * database has an unconfigured {@code customers} of the same shape: which one an unqualified name means
     * depends on the database the statement runs in.
     */
    protected record QualifiedCustomers(EncryptedMariaDb place, String other) {

        static QualifiedCustomers create(String prefix) throws Exception {
            String other = MariaDbDatabase.freshDatabase(prefix);
            EncryptedMariaDb place = EncryptedMariaDb.create(prefix + "_cfg", """
                      %s.customers:
                        columns:
                          note: { mode: randomized }
                    """.formatted(other));
            place.executePlain("CREATE TABLE " + other + ".customers (id INT PRIMARY KEY, note TEXT)",
                    "CREATE TABLE customers (id INT PRIMARY KEY, note TEXT)");
            return new QualifiedCustomers(place, other);
        }
    }

    // ------------------------------------------------------------------ widths

    @Test
    void aValueTooLongForItsColumnIsRefusedEvenWhereMySqlWouldTruncate() throws Exception {
        db.executePlain("CREATE TABLE narrow (id INT PRIMARY KEY, code VARBINARY(100), tag VARCHAR(100))");
        EncryptedMariaDb.appendTable(db, """
                  narrow:
                    columns:
                      code: { mode: deterministic }
                      tag:  { mode: randomized }
                """);
        try (Connection c = driver.connect(db)) {
            connection.close();
            connection = c;
            String longValue = CANARY + "-" + "y".repeat(100);
            for (String mode : new String[] {"STRICT_TRANS_TABLES", ""}) {
                assertThat(plain("SET sql_mode = '" + mode + "'")).isNull();
                for (String column : new String[] {"code", "tag"}) {
                    Throwable p = prepared("INSERT INTO narrow (id, " + column + ") VALUES (1, ?)", longValue);
                    assertThat(p).isInstanceOf(SQLException.class).hasMessageStartingWith("envelope-jdbc: ")
                            .hasMessageContaining("narrow." + column).hasMessageNotContaining(CANARY);
                    assertThat(((SQLException) p).getSQLState()).isEqualTo("22001");
                    Throwable l = plain("INSERT IGNORE INTO narrow (id, " + column + ") VALUES (1, '"
                            + longValue + "')");
                    assertThat(l).hasMessageStartingWith("envelope-jdbc: ").hasMessageContaining("narrow." + column);
                }
            }
            assertThat(prepared("INSERT INTO narrow (id, code, tag) VALUES (1, ?, ?)", "short", "short")).isNull();
        }
        try (Connection plain = db.plain(); Statement s = plain.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM narrow")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("only the value that fits was stored").isEqualTo(1);
        }
        assertNoCanary(null);
    }
}
