package io.envelope.jdbc.sql;

import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.SqlLexer;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.parser.ASTNodeAccess;
import net.sf.jsqlparser.parser.SimpleNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a literal's character range in the SQL and its value. The parser's tree says which expression is a
 * literal and where it starts and ends; the lexer's tokens for that range say what it is and hold its value, so
 * a literal is rewritten only when both read the same text. Supported: {@code 'text'} (and {@code N'…'}),
 * integers and decimals with an optional sign, and a string literal cast to a type ({@code '2024-01-31'::date},
 * {@code DATE '2024-01-31'}) — the cast is replaced together with the literal, since the ciphertext is not of
 * that type. Anything else ({@code E'…'} escapes, {@code U&'…'}, dollar quoting, a continued string, a comment
 * inside, expressions) is not a literal the driver can encrypt, and the caller refuses it.
 */
final class Literals {

    record Found(int start, int end, String value) {
    }

    private final LexedSql lexed;
    private final SqlLexer lexer;

    Literals(LexedSql lexed, SqlLexer lexer) {
        this.lexed = lexed;
        this.lexer = lexer;
    }

    /** The literal {@code e} is, or null when it is not one the driver can rewrite. */
    Found find(Expression e) {
        if (e instanceof StringValue s) {
            return quoted(s, true);
        }
        if (e instanceof LongValue || e instanceof DoubleValue) {
            return numeric((ASTNodeAccess) e);
        }
        if (e instanceof SignedExpression signed
                && (signed.getExpression() instanceof LongValue || signed.getExpression() instanceof DoubleValue)) {
            return numeric(signed);
        }
        if (e instanceof CastExpression cast && cast.getLeftExpression() instanceof StringValue) {
            return quoted(cast, false);
        }
        return null;
    }

    /** Where a parsed node's text starts in the SQL, or -1 when the parser's range is not on lexer tokens. */
    int start(ASTNodeAccess node) {
        List<Token> tokens = tokens(node);
        return tokens == null || tokens.isEmpty() ? -1 : tokens.get(0).start();
    }

    /** A string literal (alone, or with the cast written around it): exactly one standard string token inside. */
    private Found quoted(ASTNodeAccess node, boolean alone) {
        List<Token> tokens = tokens(node);
        if (tokens == null) {
            return null;
        }
        Token string = null;
        for (Token t : tokens) {
            if (t.kind().isString()) {
                if (string != null) {
                    return null;
                }
                string = t;
            } else if (alone || t.kind().isComment() || t.kind() == TokenKind.PLACEHOLDER) {
                return null;
            }
        }
        String value = string == null ? null : lexer.standardStringValue(lexed, string);
        if (value == null) {
            return null;
        }
        return new Found(tokens.get(0).start(), tokens.get(tokens.size() - 1).end(), value);
    }

    /** An optional sign operator, then one number token, nothing else. */
    private Found numeric(ASTNodeAccess node) {
        List<Token> tokens = tokens(node);
        if (tokens == null || tokens.isEmpty() || tokens.size() > 2) {
            return null;
        }
        Token number = tokens.get(tokens.size() - 1);
        if (number.kind() != TokenKind.NUMBER) {
            return null;
        }
        String sign = "";
        if (tokens.size() == 2) {
            String op = lexed.text(tokens.get(0));
            if (tokens.get(0).kind() != TokenKind.OPERATOR || !(op.equals("-") || op.equals("+"))) {
                return null;
            }
            sign = op.equals("-") ? "-" : "";
        }
        return new Found(tokens.get(0).start(), number.end(), sign + lexed.text(number));
    }

    /**
     * The lexer tokens that exactly make up the node's text, from the parser's first and last token of it; null
     * when the parser's range does not begin and end on lexer token boundaries.
     */
    private List<Token> tokens(ASTNodeAccess node) {
        SimpleNode n = node.getASTNode();
        if (n == null || n.jjtGetFirstToken() == null || n.jjtGetLastToken() == null) {
            return null;
        }
        net.sf.jsqlparser.parser.Token first = n.jjtGetFirstToken();
        net.sf.jsqlparser.parser.Token last = n.jjtGetLastToken();
        int start = first.absoluteBegin - 1;
        int lastStart = last.absoluteBegin - 1;
        String sql = lexed.sql();
        if (start < 0 || lastStart < start || first.image == null || last.image == null
                || !sql.startsWith(first.image, start) || !sql.startsWith(last.image, lastStart)) {
            return null;
        }
        int end = lastStart + last.image.length();
        int from = lexed.indexStartingAt(start);
        if (from < 0) {
            return null;
        }
        List<Token> out = new ArrayList<>();
        List<Token> all = lexed.tokens();
        for (int i = from; i < all.size() && all.get(i).start() < end; i++) {
            out.add(all.get(i));
        }
        return out.isEmpty() || out.get(out.size() - 1).end() != end ? null : out;
    }
}
