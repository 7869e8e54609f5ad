/**
 * Each database's lexical rules, as the server and its JDBC driver apply them: where strings, comments, quoted
 * identifiers, statements and {@code ?} placeholders begin and end. The lexer, not the SQL parser, is the authority
 * on these: a statement on which JSqlParser disagrees with it is refused. Tokens carry ranges, never text.
 */
package io.envelope.jdbc.sql.lexer;
