package io.envelope.jdbc.sql;

import io.envelope.jdbc.schema.IdentifierCase;
import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.SqlLexer;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;

import java.util.Locale;
import java.util.Set;

/**
 * The names of a lexed statement as the database resolves them: unquoted words folded, quoted and
 * {@code U&"…"} names decoded, all cut to the database's identifier length ({@link IdentifierCase}), so they can
 * be compared with the configuration's names.
 */
final class LexedNames {

    private final LexedSql lexed;
    private final SqlLexer lexer;
    private final IdentifierCase folding;

    LexedNames(LexedSql lexed, SqlLexer lexer, IdentifierCase folding) {
        this.lexed = lexed;
        this.lexer = lexer;
        this.folding = folding;
    }

    LexedSql lexed() {
        return lexed;
    }

    /** The resolved name of an identifier token; null for other tokens and for a malformed {@code U&} name. */
    String name(Token t) {
        if (!t.kind().isIdentifier()) {
            return null;
        }
        String decoded = lexer.identifier(lexed, t);
        if (decoded == null) {
            return null;
        }
        return t.kind() == TokenKind.IDENTIFIER ? folding.fold(decoded) : folding.exact(decoded);
    }

    /** An unquoted word in upper case (a keyword, if it is one), or null for any other token. */
    String keyword(Token t) {
        return t != null && t.kind() == TokenKind.IDENTIFIER ? lexed.text(t).toUpperCase(Locale.ROOT) : null;
    }

    /** True when any identifier token names one of {@code names} (a malformed {@code U&} name counts: unknown). */
    boolean namesAny(Set<String> names) {
        for (Token t : lexed.tokens()) {
            if (t.kind().isIdentifier()) {
                String name = name(t);
                if (name == null || names.contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
