package io.envelope.jdbc.sql.lexer;

import com.mysql.cj.QueryInfo;
import com.mysql.cj.Session;
import com.mysql.cj.conf.DefaultPropertySet;
import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.protocol.ServerSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MySqlConnectorJScan} against MySQL Connector/J's own client-side scan ({@code QueryInfo}, the class its
 * client-side prepared statements split their text with), run here on texts without a server: only the two facts
 * it reads from its session are given, whether the session has NO_BACKSLASH_ESCAPES and whether batched inserts
 * are rewritten (which makes it look for more keywords).
 */
class MySqlConnectorJScanTest {

    private static final MySqlTargetDriver CONNECTOR_J = MySqlTargetDriver.MYSQL_CONNECTOR_J;
    private static final MySqlLexer DEFAULT = MySqlLexer.of(false, false, CONNECTOR_J);
    private static final MySqlLexer ANSI = MySqlLexer.of(true, false, CONNECTOR_J);
    private static final MySqlLexer NO_BACKSLASH = MySqlLexer.of(false, true, CONNECTOR_J);
    private static final List<MySqlLexer> ALL = List.of(DEFAULT, NO_BACKSLASH, ANSI, MySqlLexer.of(true, true,
            CONNECTOR_J));

    /** Where the real driver puts the placeholders of {@code sql} (its parts are UTF-8 bytes, counted as text). */
    static int[] driverPlaceholders(String sql, boolean noBackslashEscapes, boolean rewriteBatches) {
        DefaultPropertySet properties = new DefaultPropertySet();
        properties.<Boolean>getProperty(PropertyKey.rewriteBatchedStatements).setValue(rewriteBatches);
        ServerSession server = (ServerSession) Proxy.newProxyInstance(ServerSession.class.getClassLoader(),
                new Class<?>[] {ServerSession.class}, (p, m, a) -> {
                    if (m.getName().equals("isNoBackslashEscapesSet")) {
                        return noBackslashEscapes;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, (p, m, a) -> switch (m.getName()) {
                    case "getServerSession" -> server;
                    case "getPropertySet" -> properties;
                    case "getExceptionInterceptor" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        byte[][] parts = new QueryInfo(sql, session, "UTF-8").getStaticSqlParts();
        int[] positions = new int[parts.length - 1];
        int at = 0;
        for (int k = 0; k < positions.length; k++) {
            at += new String(parts[k], StandardCharsets.UTF_8).length();
            positions[k] = at;
            at++; // the ? itself
        }
        return positions;
    }

    @Test
    void theTraceFindsExactlyTheDriversPlaceholders() {
        // Random texts over the characters either reader cares about, and over words the driver looks for.
        String alphabet = "?'\"`\\-#/*!+M\n\r\t ;a1(),\u0001\u007f";
        String[] words = {"select", "insert", "into", "t", "values", "value", "as", "on", "duplicate", "key",
            "update", "limit", "offset", "last_insert_id", "?", "'", "\"", "`", "\\", "-- ", "--", "#", "/*", "*/",
            "/*+", "/*!", "/*!50100", "(", ")", ",", ";", " ", "\n", "\r", "1",
            // what only one of the driver and the server takes for the end of a -- comment's dashes
            "--\t", "--\u000b", "--\u001c", "--\u2003", "--\u00a0", "--\u0001", "--\u007f", "\r\n"};
        Random random = new Random(29);
        int compared = 0;
        for (int n = 0; n < 40_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(16);
            for (int i = 0; i < length; i++) {
                if (n % 2 == 0) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                } else {
                    text.append(words[random.nextInt(words.length)]).append(random.nextInt(3) == 0 ? " " : "");
                }
            }
            String sql = text.toString();
            for (boolean noBackslashEscapes : new boolean[] {false, true}) {
                int[] traced = MySqlConnectorJScan.placeholders(sql, noBackslashEscapes);
                if (traced == null) {
                    continue; // an executable comment: always reported, the trace need not follow it
                }
                for (boolean rewrite : new boolean[] {false, true}) {
                    assertThat(traced).as("%s, NO_BACKSLASH_ESCAPES %s, rewrite %s", sql, noBackslashEscapes,
                            rewrite).isEqualTo(driverPlaceholders(sql, noBackslashEscapes, rewrite));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(100_000);
    }

    @Test
    void everyPlaceTheDriverDisagreesWithTheServerIsReported() {
        String alphabet = "?'\"`\\-#/*!M\n\r\t ;a1\u0001";
        Random random = new Random(31);
        int disagreements = 0;
        for (int n = 0; n < 30_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(14);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String sql = "select " + text;
            for (MySqlLexer lexer : ALL) {
                LexedSql lexed = lexer.lex(sql);
                int[] driver = driverPlaceholders(sql, lexer.noBackslashEscapes(), false);
                if (!Arrays.equals(driver, lexed.placeholders())) {
                    disagreements++;
                    assertThat(lexed.ambiguity()).as("%s under %s", sql, lexer).isNotNull();
                }
            }
        }
        assertThat(disagreements).as("the texts exercise real disagreements").isGreaterThan(20);
    }

    static Stream<Arguments> driverDisagreements() {
        return Stream.of(
                // A backslash escapes a backtick for the driver, never for the server.
                Arguments.of(DEFAULT, "select `a\\`, ? from t where b = '`'"),
                // With ANSI_QUOTES, the driver still reads a backslash in "..." as an escape.
                Arguments.of(ANSI, "select \"a\\\", ? from t where b = '\"'"),
                // A backslash outside a string: the quote after it opens nothing for the driver.
                Arguments.of(DEFAULT, "select \\'?' , ?"),
                // The statement's first word runs to the first space for the driver: no placeholder in it.
                Arguments.of(DEFAULT, "select? from t"),
                // A control character after -- makes a comment for the server, not for the driver.
                Arguments.of(DEFAULT, "select 1 --\u0001 ?\n, ?"),
                // A carriage return ends a # comment for the driver, not for the server.
                Arguments.of(DEFAULT, "select 1 # x\r ?\n, ?"),
                // The driver skips an executable comment's markers and loses track of its end.
                Arguments.of(DEFAULT, "select 1 /*! , ? */"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("driverDisagreements")
    void placeholdersTheDriverSeesElsewhereAreAnAmbiguity(MySqlLexer lexer, String sql) {
        LexedSql lexed = lexer.lex(sql);
        assertThat(lexed.ambiguity()).contains("MySQL Connector/J");
        if (!sql.contains("/*!")) {
            // The real driver's scan indeed differs from the server's reading.
            assertThat(driverPlaceholders(sql, lexer.noBackslashEscapes(), false))
                    .isNotEqualTo(lexed.placeholders());
        }
    }

    static Stream<String> ordinaryTexts() {
        return Stream.of(
                "select ? from t where a = 'x\\'?' and b = ?",
                "select `?`, \"?\\\"?\", '?''?' from t where c = ?",
                "select 1 # ? \n , ? -- ?\n , ?",
                "select 5--? from t where a = ?",
                "select /* ? */ ?, 'a\\\\', ?",
                "select ? /*+ hint(?) */, ?",
                "SELECT a FROM t WHERE b = ? ORDER BY c LIMIT ?, ?",
                "insert into t (a, b) values (?, 'it''s'), (?, \"q\\\"\")",
                "INSERT INTO t (a, b) VALUES (?, ?) AS new ON DUPLICATE KEY UPDATE b = new.b + ?",
                "UPDATE t SET a = ?, b = X'0a1b' WHERE c IN (?, ?, ?)",
                "DELETE FROM t WHERE a = ? -- the end");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ordinaryTexts")
    void ordinaryTextsCarryNoAmbiguityAndTheDriverBindsTheSamePlaceholders(String sql) {
        for (MySqlLexer lexer : List.of(DEFAULT, NO_BACKSLASH)) {
            LexedSql lexed = lexer.lex(sql);
            if (lexed.ambiguity() == null) {
                for (boolean rewrite : new boolean[] {false, true}) {
                    assertThat(driverPlaceholders(sql, lexer.noBackslashEscapes(), rewrite))
                            .isEqualTo(lexed.placeholders());
                }
            }
        }
        assertThat(DEFAULT.lex(sql).ambiguity()).isNull();
    }

    @Test
    void eachDriverHasItsOwnLexerInstances() {
        List<MySqlLexer> lexers = new ArrayList<>();
        for (MySqlTargetDriver driver : MySqlTargetDriver.values()) {
            for (int modes = 0; modes < 4; modes++) {
                MySqlLexer lexer = MySqlLexer.of((modes & 2) != 0, (modes & 1) != 0, driver);
                assertThat(lexer.driver()).isEqualTo(driver);
                assertThat(lexers).doesNotContain(lexer);
                lexers.add(lexer);
            }
        }
        assertThat(MySqlLexer.of(true, false)).isSameAs(MySqlLexer.of(true, false,
                MySqlTargetDriver.MARIADB_CONNECTOR_J));
        // A text only one driver misreads is an ambiguity under that driver alone.
        String sql = "select `a\\`, ? from t where b = '`'";
        assertThat(MySqlLexer.DEFAULT.lex(sql).ambiguity()).isNull();
        assertThat(DEFAULT.lex(sql).ambiguity()).isNotNull();
    }
}
