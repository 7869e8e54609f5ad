package io.envelope.jdbc.sql.lexer;

/**
 * One token of SQL text: its kind and its character range {@code [start, end)} in the text it was lexed from.
 * A token never carries its text (it may be a plaintext value); ask {@link LexedSql} for it.
 *
 * @param escape for a {@code U&} string or identifier, the escape character ({@code \} unless a
 *               {@code UESCAPE} clause says otherwise, the clause then belonging to the token); else 0
 */
public record Token(TokenKind kind, int start, int end, char escape) {

    public Token(TokenKind kind, int start, int end) {
        this(kind, start, end, (char) 0);
    }

    public int length() {
        return end - start;
    }

    @Override
    public String toString() {
        return kind + "[" + start + "," + end + ")"; // never the text
    }
}
