package io.envelope.jdbc.sql.lexer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresLexerTest {

    private static LexedSql lex(String sql) {
        return PostgresLexer.INSTANCE.lex(sql);
    }

    /** "KIND:text KIND:text ..." of the tokens. */
    private static String shape(String sql) {
        LexedSql lexed = lex(sql);
        return lexed.tokens().stream().map(t -> t.kind() + ":" + lexed.text(t)).collect(Collectors.joining(" "));
    }

    static Stream<Arguments> placeholderCases() {
        return Stream.of(
                Arguments.of("select ? from t where a = ?", 2),
                Arguments.of("select '?' , \"?\" from t where a = ?", 1),
                Arguments.of("select 'it''s ?' from t where a = ?", 1),
                Arguments.of("select E'\\' ?' from t where a = ?", 1),
                Arguments.of("select 'a\\' , ? from t", 1), // standard string: the backslash is a character
                Arguments.of("select 1 -- ?\n from t where a = ?", 1),
                Arguments.of("select /* ? /* ? */ ? */ 1 from t where a = ?", 1),
                Arguments.of("select $$ ? $$, $tag$ ? $ ? $tag$ from t where a = ?", 1),
                Arguments.of("select x from t where j ?? 'k' and a = ?", 1),
                Arguments.of("select x from t where a = $1 and b = ?", 1),
                Arguments.of("select x::text from t where a = ?::int", 1),
                Arguments.of("select x from t where j @? '$.a' and a=?", 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placeholderCases")
    void findsPlaceholdersLikePgJdbc(String sql, int expected) {
        assertThat(lex(sql).placeholders()).hasSize(expected);
    }

    @Test
    void escapeStringEndsWhereThePostgresServerEndsIt() {
        String sql = "SELECT E'\\''; INSERT INTO customers (email) VALUES ($$plain@x$$); -- '";
        LexedSql lexed = lex(sql);
        assertThat(lexed.statementCount()).isEqualTo(2);
        assertThat(shape(sql)).startsWith("IDENTIFIER:SELECT ESCAPE_STRING:E'\\'' SEMICOLON:; IDENTIFIER:INSERT");
        assertThat(shape(sql)).contains("DOLLAR_STRING:$$plain@x$$").endsWith("LINE_COMMENT:-- '");
    }

    @Test
    void nestedCommentsAndTaggedDollarQuotes() {
        assertThat(shape("select /* a /* b */ c */ 1")).isEqualTo("IDENTIFIER:select BLOCK_COMMENT:/* a /* b */ c */ NUMBER:1");
        assertThat(shape("select $q$ a $$ b $q$, $1")).isEqualTo("IDENTIFIER:select DOLLAR_STRING:$q$ a $$ b $q$ COMMA:, SERVER_PARAMETER:$1");
        assertThat(shape("select a$q$")).isEqualTo("IDENTIFIER:select IDENTIFIER:a$q$");
    }

    @Test
    void stringsContinueAcrossANewline() {
        assertThat(shape("select 'a'\n  'b', 'c' 'd'")).isEqualTo("IDENTIFIER:select STRING:'a'\n  'b' COMMA:, STRING:'c' STRING:'d'");
        assertThat(shape("select 'a' -- x\n'b'")).isEqualTo("IDENTIFIER:select STRING:'a' -- x\n'b'");
    }

    @Test
    void unicodeIdentifiersDecodeWithTheirEscape() {
        String sql = "select U&\"\\0065mail\", u&\"d!0061t!+000061\" UESCAPE '!' from t";
        LexedSql lexed = lex(sql);
        List<Token> idents = lexed.tokens().stream().filter(t -> t.kind() == TokenKind.UNICODE_IDENTIFIER).toList();
        assertThat(idents).hasSize(2);
        assertThat(PostgresLexer.INSTANCE.identifier(lexed, idents.get(0))).isEqualTo("email");
        assertThat(PostgresLexer.INSTANCE.identifier(lexed, idents.get(1))).isEqualTo("data");
        assertThat(lexed.text(idents.get(1))).endsWith("UESCAPE '!'");
    }

    @Test
    void operatorsSplitLikePostgres() {
        assertThat(shape("a=-1")).isEqualTo("IDENTIFIER:a OPERATOR:= OPERATOR:- NUMBER:1");
        assertThat(shape("a->>'k'")).isEqualTo("IDENTIFIER:a OPERATOR:->> STRING:'k'");
        assertThat(shape("a+/*c*/b")).isEqualTo("IDENTIFIER:a OPERATOR:+ BLOCK_COMMENT:/*c*/ IDENTIFIER:b");
    }

    @Test
    void unterminatedTextAndNumberJunkAreErrors() {
        assertThat(lex("select 'a").firstError()).isNotNull();
        assertThat(lex("select /* a /* b */").firstError()).isNotNull();
        assertThat(lex("select 1abc").firstError()).isNotNull();
        assertThat(lex("select \"\"").firstError()).isNotNull();
    }

    @Test
    void pgJdbcAndServerDisagreementsAreFlagged() {
        assertThat(lex("select /*/ ? */ 1").ambiguity()).isNotNull(); // pgJDBC ends the comment at /*/
        assertThat(lex("select 1$$ ? $$").ambiguity()).isNotNull(); // pgJDBC: no dollar quote after a digit
        assertThat(lex("select {E'\\' ?'}").ambiguity()).isNotNull(); // pgJDBC: no E string after {
        assertThat(lex("select E'\\' ?' from t where a = ?").ambiguity()).isNull();
    }
}
