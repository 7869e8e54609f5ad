package io.envelope.jdbc.sql.lexer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mariadb.jdbc.util.ClientParser;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MySqlLexerTest {

    private static final MySqlLexer DEFAULT = MySqlLexer.DEFAULT;
    private static final MySqlLexer ANSI = MySqlLexer.of(true, false);
    private static final MySqlLexer NO_BACKSLASH = MySqlLexer.of(false, true);

    /** "KIND:text KIND:text ..." of the tokens. */
    private static String shape(MySqlLexer lexer, String sql) {
        LexedSql lexed = lexer.lex(sql);
        return lexed.tokens().stream().map(t -> t.kind() + ":" + lexed.text(t)).collect(Collectors.joining(" "));
    }

    private static String shape(String sql) {
        return shape(DEFAULT, sql);
    }

    private static String onlyStringValue(MySqlLexer lexer, String sql) {
        LexedSql lexed = lexer.lex(sql);
        List<Token> strings = lexed.tokens().stream().filter(t -> t.kind().isString()).toList();
        assertThat(strings).hasSize(1);
        return lexer.standardStringValue(lexed, strings.get(0));
    }

    static Stream<Arguments> placeholderCases() {
        return Stream.of(
                Arguments.of("select ? from t where a = ?", 2),
                Arguments.of("select '?', \"?\", `?` from t where a = ?", 1),
                Arguments.of("select 'it''s ?' from t where a = ?", 1),
                Arguments.of("select 'it\\'s ?' from t where a = ?", 1),
                Arguments.of("select 1 # ?\n from t where a = ?", 1),
                Arguments.of("select 1 -- ?\n from t where a = ?", 1),
                Arguments.of("select 1 /* ? */ from t where a = ?", 1),
                Arguments.of("select `a``?` from t where a = ?", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placeholderCases")
    void findsPlaceholdersLikeTheServerAndTheDriver(String sql, int expected) {
        LexedSql lexed = DEFAULT.lex(sql);
        assertThat(lexed.placeholders()).hasSize(expected);
        assertThat(lexed.ambiguity()).isNull();
        assertThat(lexed.hazard()).isNull();
    }

    @Test
    void backslashEscapesAQuoteSoTheStringGoesOn() {
        // The classic: to a lexer without backslash escapes the string ends after the backslash and the INSERT
        // is code; to MySQL the whole rest up to the next quote is one string, and the INSERT is inside it.
        String sql = "SELECT 'a\\'; INSERT INTO customers (email) VALUES (''plain@x'') -- '";
        LexedSql lexed = DEFAULT.lex(sql);
        assertThat(lexed.statementCount()).isEqualTo(1);
        assertThat(shape(sql)).startsWith("IDENTIFIER:SELECT STRING:'a\\'; INSERT INTO customers (email) VALUES ('");
        // The reverse trick: with NO_BACKSLASH_ESCAPES the string ends at the quote after the backslash.
        String reverse = "SELECT 'a\\'; INSERT INTO customers (email) VALUES ('plain@x'); -- '";
        LexedSql plain = NO_BACKSLASH.lex(reverse);
        assertThat(plain.statementCount()).isEqualTo(2);
        assertThat(shape(NO_BACKSLASH, reverse)).startsWith("IDENTIFIER:SELECT STRING:'a\\' SEMICOLON:; IDENTIFIER:INSERT");
        assertThat(DEFAULT.lex(reverse).statementCount()).isEqualTo(1);
    }

    @Test
    void stringValuesDecodeAsTheServerDecodesThem() {
        assertThat(onlyStringValue(DEFAULT, "select 'it''s'")).isEqualTo("it's");
        assertThat(onlyStringValue(DEFAULT, "select 'it\\'s'")).isEqualTo("it's");
        assertThat(onlyStringValue(DEFAULT, "select 'a\\nb\\tc\\0d\\Ze\\\\f\\qg'")).isEqualTo("a\nb\tc\0d\u001ae\\fqg");
        assertThat(onlyStringValue(DEFAULT, "select 'a\\%b\\_c'")).isEqualTo("a\\%b\\_c"); // kept for LIKE
        assertThat(onlyStringValue(DEFAULT, "select \"say \"\"hi\"\" \\\"x\\\"\"")).isEqualTo("say \"hi\" \"x\"");
        assertThat(onlyStringValue(DEFAULT, "select N'caf\\'e'")).isEqualTo("caf'e");
        assertThat(onlyStringValue(NO_BACKSLASH, "select 'a\\nb'")).isEqualTo("a\\nb");
        assertThat(onlyStringValue(NO_BACKSLASH, "select 'a\\''b'")).isEqualTo("a\\'b");
    }

    @Test
    void doubleQuotesAreStringsUnlessAnsiQuotes() {
        assertThat(shape("select \"email\" from t")).isEqualTo("IDENTIFIER:select STRING:\"email\" IDENTIFIER:from IDENTIFIER:t");
        assertThat(shape(ANSI, "select \"email\" from t")).isEqualTo("IDENTIFIER:select QUOTED_IDENTIFIER:\"email\" IDENTIFIER:from IDENTIFIER:t");
        LexedSql lexed = ANSI.lex("select \"a\"\"b\\\" from t");
        Token ident = lexed.tokens().get(1);
        assertThat(ident.kind()).isEqualTo(TokenKind.QUOTED_IDENTIFIER);
        assertThat(ANSI.identifier(lexed, ident)).isEqualTo("a\"b\\"); // no escapes in identifiers
        assertThat(ANSI.standardStringValue(lexed, ident)).isNull();
    }

    @Test
    void backtickIdentifiersDoubleTheirBacktickAndKnowNoEscapes() {
        String sql = "select `a``b`, `c\\`, `it's` from `customers`";
        LexedSql lexed = DEFAULT.lex(sql);
        List<String> names = lexed.tokens().stream().filter(t -> t.kind() == TokenKind.QUOTED_IDENTIFIER)
                .map(t -> DEFAULT.identifier(lexed, t)).toList();
        assertThat(names).containsExactly("a`b", "c\\", "it's", "customers");
        assertThat(shape("select ``")).isEqualTo("IDENTIFIER:select ERROR:``");
        assertThat(shape("select `abc")).isEqualTo("IDENTIFIER:select ERROR:`abc");
    }

    @Test
    void hashCommentsRunToTheNewline() {
        assertThat(shape("select 1 # a 'b\nfrom t")).isEqualTo("IDENTIFIER:select NUMBER:1 LINE_COMMENT:# a 'b IDENTIFIER:from IDENTIFIER:t");
        // A carriage return does not end it: only a newline does.
        assertThat(DEFAULT.lex("select 1 # x\r; delete from t").statementCount()).isEqualTo(1);
    }

    @Test
    void doubleDashIsACommentOnlyBeforeASpaceOrControlCharacter() {
        assertThat(shape("select 5--1")).isEqualTo("IDENTIFIER:select NUMBER:5 OPERATOR:- OPERATOR:- NUMBER:1");
        assertThat(shape("select 5-- 1\n,2")).isEqualTo("IDENTIFIER:select NUMBER:5 LINE_COMMENT:-- 1 COMMA:, NUMBER:2");
        assertThat(shape("select 5--\t1")).isEqualTo("IDENTIFIER:select NUMBER:5 LINE_COMMENT:--\t1");
        assertThat(shape("select 5--")).isEqualTo("IDENTIFIER:select NUMBER:5 LINE_COMMENT:--");
        // An attacker's '--x ; second statement': not a comment, so the server sees two statements.
        assertThat(DEFAULT.lex("select 1 --x ; delete from customers").statementCount()).isEqualTo(2);
    }

    @Test
    void blockCommentsDoNotNest() {
        assertThat(shape("select /* a /* b */ c */ 1"))
                .isEqualTo("IDENTIFIER:select BLOCK_COMMENT:/* a /* b */ IDENTIFIER:c OPERATOR:* OPERATOR:/ NUMBER:1");
        assertThat(shape("select /* 'x */ 1")).isEqualTo("IDENTIFIER:select BLOCK_COMMENT:/* 'x */ NUMBER:1");
        assertThat(shape("select 1 /* open")).isEqualTo("IDENTIFIER:select NUMBER:1 ERROR:/* open");
    }

    @Test
    void optimizerHintsAreComments() {
        LexedSql lexed = DEFAULT.lex("select /*+ MAX_EXECUTION_TIME(1000) */ * from t");
        assertThat(lexed.hazard()).isNull();
        assertThat(lexed.tokens().get(1).kind()).isEqualTo(TokenKind.BLOCK_COMMENT);
    }

    static Stream<String> executableComments() {
        return Stream.of(
                "select 1 /*! , email from customers */",
                "select 1 /*!50100 , email from customers */",
                "select 1 /*!999999 , email from customers */",
                "select 1 /*M! , email from customers */",
                "select 1 /*M!100500 , email from customers */",
                "insert into t values (1 /*!, 'x' */)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("executableComments")
    void executableCommentsAreCodeAndAHazard(String sql) {
        LexedSql lexed = DEFAULT.lex(sql);
        assertThat(lexed.hazard()).contains("executable comment");
        // Their content is lexed as code: the names inside are tokens the analysis sees.
        List<Token> significant = lexed.significant();
        assertThat(significant.stream().anyMatch(t -> t.kind() == TokenKind.COMMA)).isTrue();
        assertThat(lexed.tokens().stream().filter(t -> t.kind() == TokenKind.BLOCK_COMMENT).map(lexed::text))
                .contains("*/");
    }

    @Test
    void anExecutableCommentHidingItsEndInAStringIsStillAHazard() {
        // A server that skips the versioned comment ends it at the first */, inside what a code reading takes
        // for a string: the two readings differ, which is why such text is refused outright.
        String sql = "select /*!99999 '*/ ; insert into customers (email) values ('plain') -- '*/";
        assertThat(DEFAULT.lex(sql).hazard()).isNotNull();
        assertThat(shape("select /*! 1 /* c */ */")).isEqualTo(
                "IDENTIFIER:select BLOCK_COMMENT:/*! NUMBER:1 BLOCK_COMMENT:/* c */ BLOCK_COMMENT:*/");
        assertThat(shape("select /*! 1")).endsWith("ERROR:");
        assertThat(shape("select /*! /*! 1 */ */")).contains("ERROR:");
    }

    @Test
    void aNulCharacterIsAnError() {
        assertThat(shape("select 1 # x\0\ndelete from t")).isEqualTo("IDENTIFIER:select NUMBER:1 LINE_COMMENT:# x ERROR:\0\ndelete from t");
        assertThat(shape("select 1 /* \0 */ 2")).contains("ERROR:");
        assertThat(DEFAULT.lex("select 1 \0 2").firstError()).isNotNull();
    }

    @Test
    void constantsAndNames() {
        assertThat(shape("select X'0A1b', x'', b'0101', 0x1F, 0b11, N'a'"))
                .isEqualTo("IDENTIFIER:select HEX_STRING:X'0A1b' COMMA:, HEX_STRING:x'' COMMA:, BIT_STRING:b'0101' "
                        + "COMMA:, HEX_STRING:0x1F COMMA:, BIT_STRING:0b11 COMMA:, NATIONAL_STRING:N'a'");
        assertThat(shape("select X'0A1'")).isEqualTo("IDENTIFIER:select ERROR:X'0A1'");
        assertThat(shape("select X'0G'")).isEqualTo("IDENTIFIER:select ERROR:X'0G'");
        assertThat(shape("select 1, 1.5, .5, 1e5, 1.5e-3, 123abc, 1e, 0x1G, 0X1F, $a, été"))
                .isEqualTo("IDENTIFIER:select NUMBER:1 COMMA:, NUMBER:1.5 COMMA:, NUMBER:.5 COMMA:, NUMBER:1e5 COMMA:, "
                        + "NUMBER:1.5e-3 COMMA:, IDENTIFIER:123abc COMMA:, IDENTIFIER:1e COMMA:, IDENTIFIER:0x1G COMMA:, "
                        + "IDENTIFIER:0X1F COMMA:, IDENTIFIER:$a COMMA:, IDENTIFIER:été");
        assertThat(shape("select 1.5abc")).isEqualTo("IDENTIFIER:select ERROR:1.5abc");
        assertThat(shape("select _utf8mb4'x', @@sql_mode, @v := 1"))
                .isEqualTo("IDENTIFIER:select IDENTIFIER:_utf8mb4 STRING:'x' COMMA:, OPERATOR:@ OPERATOR:@ "
                        + "IDENTIFIER:sql_mode COMMA:, OPERATOR:@ IDENTIFIER:v OPERATOR::= NUMBER:1");
    }

    @Test
    void operatorsAreLexedOneAtATimeSoASignStaysASign() {
        assertThat(shape("a=-1 and b<=>c and d->>'$.x' and e<>f"))
                .isEqualTo("IDENTIFIER:a OPERATOR:= OPERATOR:- NUMBER:1 IDENTIFIER:and IDENTIFIER:b OPERATOR:<=> "
                        + "IDENTIFIER:c IDENTIFIER:and IDENTIFIER:d OPERATOR:->> STRING:'$.x' IDENTIFIER:and "
                        + "IDENTIFIER:e OPERATOR:<> IDENTIFIER:f");
    }

    @Test
    void unterminatedStringsAreErrors() {
        assertThat(shape("select 'abc")).isEqualTo("IDENTIFIER:select ERROR:'abc");
        assertThat(shape("select 'abc\\'")).isEqualTo("IDENTIFIER:select ERROR:'abc\\'");
        assertThat(shape(NO_BACKSLASH, "select 'abc\\'")).isEqualTo("IDENTIFIER:select STRING:'abc\\'");
        assertThat(shape("select \"abc")).isEqualTo("IDENTIFIER:select ERROR:\"abc");
    }

    @Test
    void adjacentStringsStaySeparateTokensSoNoneIsRewrittenAlone() {
        assertThat(shape("select 'a' 'b', 'c' \"d\"")).isEqualTo(
                "IDENTIFIER:select STRING:'a' STRING:'b' COMMA:, STRING:'c' STRING:\"d\"");
    }

    static Stream<Arguments> driverDisagreements() {
        return Stream.of(
                // DEL after -- makes a comment for the server, not for the driver.
                Arguments.of(DEFAULT, "select 5--\u007f? from t"),
                // With ANSI_QUOTES, the driver still reads a backslash in "..." as an escape.
                Arguments.of(ANSI, "select \"a\\\", ? from t where b = '\"'"),
                // The driver closes a comment at /*/.
                Arguments.of(DEFAULT, "select /*/ ? */ 1, ?"),
                // The driver skips an executable comment's placeholders; the server runs them.
                Arguments.of(DEFAULT, "select 1 /*! , ? */"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("driverDisagreements")
    void placeholdersTheDriverSeesElsewhereAreAnAmbiguity(MySqlLexer lexer, String sql) {
        LexedSql lexed = lexer.lex(sql);
        assertThat(lexed.ambiguity()).contains("Connector/J");
        // The real driver's scan indeed differs from the server's reading.
        ClientParser driver = ClientParser.parameterParts(sql, lexer.noBackslashEscapes());
        assertThat(driver.getParamCount()).isNotEqualTo(lexed.placeholders().length);
    }

    /**
     * Random texts over the characters that matter to either reader: wherever MariaDB Connector/J's real
     * client-side scan puts its placeholders elsewhere than the server-accurate lexer, the lexer must report an
     * ambiguity (which the analysis refuses), in both backslash modes and with ANSI_QUOTES.
     */
    @Test
    void everyPlaceMariaDbConnectorJDisagreesIsReported() {
        String alphabet = "?'\"`\\-#/*!M\n\t ;a1";
        Random random = new Random(13);
        int disagreements = 0;
        for (int n = 0; n < 30_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(14);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String sql = text.toString();
            for (MySqlLexer lexer : List.of(DEFAULT, NO_BACKSLASH, ANSI, MySqlLexer.of(true, true))) {
                LexedSql lexed = lexer.lex(sql);
                int[] driver = ClientParser.parameterParts(sql, lexer.noBackslashEscapes()).getParamPositions()
                        .stream().mapToInt(Integer::intValue).toArray();
                if (!Arrays.equals(driver, lexed.placeholders())) {
                    disagreements++;
                    assertThat(lexed.ambiguity()).as("%s under %s", sql, lexer).isNotNull();
                }
            }
        }
        assertThat(disagreements).as("the texts exercise real disagreements").isGreaterThan(20);
    }

    static Stream<String> trickyTexts() {
        return Stream.of(
                "select ? from t where a = 'x\\'?' and b = ?",
                "select `?`, \"?\\\"?\", '?''?' from t where c = ?",
                "select 1 # ? \n , ? -- ?\n , ?",
                "select 5--? from t where a = ?",
                "select 5--\t? , ?",
                "select /* ? */ ?, 'a\\\\', ?",
                "select ? /*+ hint(?) */, ?",
                "insert into t (a, b) values (?, 'it''s'), (?, \"q\\\"\")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trickyTexts")
    void whenNoAmbiguityIsReportedTheRealDriverBindsTheSamePlaceholders(String sql) {
        for (MySqlLexer lexer : List.of(DEFAULT, NO_BACKSLASH)) {
            LexedSql lexed = lexer.lex(sql);
            if (lexed.ambiguity() == null) {
                assertThat(ClientParser.parameterParts(sql, lexer.noBackslashEscapes()).getParamCount())
                        .isEqualTo(lexed.placeholders().length);
            }
        }
        assertThat(DEFAULT.lex(sql).ambiguity()).isNull();
    }
}
