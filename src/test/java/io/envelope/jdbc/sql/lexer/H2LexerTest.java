package io.envelope.jdbc.sql.lexer;

import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** H2's lexical rules, as observed on H2 2.x (the engine the demo and the H2 tests run on). */
class H2LexerTest {

    private static String shape(String sql) {
        LexedSql lexed = H2Lexer.INSTANCE.lex(sql);
        return lexed.tokens().stream().map(t -> t.kind() + ":" + lexed.text(t)).collect(Collectors.joining(" "));
    }

    @Test
    void h2HasNoEscapeStringsAndSlashSlashComments() {
        // H2 reads E as a name and '\' as a whole string: the backslash escapes nothing.
        assertThat(shape("select E'\\'")).isEqualTo("IDENTIFIER:select IDENTIFIER:E STRING:'\\'");
        assertThat(shape("select 1 // insert\n")).isEqualTo("IDENTIFIER:select NUMBER:1 LINE_COMMENT:// insert");
    }

    @Test
    void adjacentStringsAreOneAndCommentsNest() {
        assertThat(shape("select 'a' 'b'")).isEqualTo("IDENTIFIER:select STRING:'a' 'b'");
        assertThat(shape("select /* a /* b */ c */ 1")).isEqualTo("IDENTIFIER:select BLOCK_COMMENT:/* a /* b */ c */ NUMBER:1");
        assertThat(shape("select $$ a'b $$, `x`")).isEqualTo("IDENTIFIER:select DOLLAR_STRING:$$ a'b $$ COMMA:, QUOTED_IDENTIFIER:`x`");
    }

    @Test
    void placeholdersAndStatements() {
        LexedSql lexed = H2Lexer.INSTANCE.lex("insert into t values (?, '?'); select ? -- ?");
        assertThat(lexed.placeholders()).hasSize(2);
        assertThat(lexed.statementCount()).isEqualTo(2);
    }
}
