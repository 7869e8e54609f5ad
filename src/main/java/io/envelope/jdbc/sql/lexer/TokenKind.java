package io.envelope.jdbc.sql.lexer;

/**
 * What a token of SQL text is. Kinds are grouped into the classes the analysis cares about: text the server
 * does not execute (comments), text that holds a value (strings), names (identifiers), and the rest.
 */
public enum TokenKind {
    /** An unquoted word: a keyword or an identifier. */
    IDENTIFIER,
    /** {@code "name"} ({@code ""} inside for a quote); on H2 also {@code `name`}; on MySQL {@code `name`} (and {@code "name"} under ANSI_QUOTES). */
    QUOTED_IDENTIFIER,
    /** {@code U&"d\0061ta"}, with its {@code UESCAPE 'c'} clause when one follows. */
    UNICODE_IDENTIFIER,
    /**
     * {@code 'text'} ({@code ''} inside for a quote; a backslash is an ordinary character, except on MySQL, where it
     * escapes unless NO_BACKSLASH_ESCAPES, and where {@code "text"} is one too unless ANSI_QUOTES).
     */
    STRING,
    /** {@code N'text'}: a standard string with a national-character prefix. */
    NATIONAL_STRING,
    /** {@code E'te\'xt'}: backslash escapes. */
    ESCAPE_STRING,
    /** {@code U&'d\0061ta'}, with its {@code UESCAPE 'c'} clause when one follows. */
    UNICODE_STRING,
    /** {@code B'0101'}. */
    BIT_STRING,
    /** {@code X'0A1B'}. */
    HEX_STRING,
    /** {@code $tag$text$tag$} (the tag may be empty). */
    DOLLAR_STRING,
    /** A numeric constant (integer, decimal, exponent); no sign. */
    NUMBER,
    /** A server-side positional parameter ({@code $1}), which the JDBC driver does not bind. */
    SERVER_PARAMETER,
    /** A JDBC {@code ?} placeholder. */
    PLACEHOLDER,
    /** An operator ({@code =}, {@code ::}, {@code ->>}, pgJDBC's {@code ??} for the {@code ?} operator, ...). */
    OPERATOR,
    SEMICOLON,
    OPEN_PAREN,
    CLOSE_PAREN,
    COMMA,
    DOT,
    /** Any other single character ({@code [}, {@code ]}, <code>{</code>, a lone {@code $}, ...). */
    OTHER,
    /** {@code -- ...} to the end of the line (on H2 also {@code // ...}). */
    LINE_COMMENT,
    /**
     * {@code /* ... *}{@code /}, nested on PostgreSQL and H2, not on MySQL; on MySQL also the opening and closing
     * marks of an executable comment, whose content is lexed as code.
     */
    BLOCK_COMMENT,
    /** Text the server cannot lex: an unterminated string, identifier or comment, junk after a number. */
    ERROR;

    public boolean isComment() {
        return this == LINE_COMMENT || this == BLOCK_COMMENT;
    }

    /** A string constant of any syntax: text whose content is a value, not SQL. */
    public boolean isString() {
        return switch (this) {
            case STRING, NATIONAL_STRING, ESCAPE_STRING, UNICODE_STRING, BIT_STRING, HEX_STRING, DOLLAR_STRING -> true;
            default -> false;
        };
    }

    /** A name: unquoted, quoted or Unicode-escaped. */
    public boolean isIdentifier() {
        return this == IDENTIFIER || this == QUOTED_IDENTIFIER || this == UNICODE_IDENTIFIER;
    }
}
