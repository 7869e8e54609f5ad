package io.envelope.jdbc.sql;

import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.parser.ASTNodeAccess;
import net.sf.jsqlparser.parser.SimpleNode;
import net.sf.jsqlparser.parser.Token;

/**
 * Finds a literal's text and its character range in the SQL, from the parser's token positions (checked against
 * the text, so a position the parser got wrong fails closed). Supported: {@code 'text'} (and {@code N'…'}),
 * integers and decimals with an optional sign, and a string literal cast to a type ({@code '2024-01-31'::date},
 * {@code DATE '2024-01-31'}) — the cast is replaced together with the literal, since the ciphertext is not of
 * that type. Anything else ({@code E'…'} escapes, dollar quoting, expressions) is not a literal the driver can
 * encrypt, and the caller refuses it.
 */
final class Literals {

    record Found(int start, int end, String value) {
    }

    private final String sql;
    private int[] lineStarts;

    Literals(String sql) {
        this.sql = sql;
    }

    /** The literal {@code e} is, or null when it is not one the driver can rewrite. */
    Found find(Expression e) {
        if (e instanceof StringValue s) {
            String prefix = s.getPrefix();
            if (prefix != null && !prefix.equalsIgnoreCase("N")) {
                return null;
            }
            return span(s, s.getValue().replace("''", "'"), true);
        }
        if (e instanceof LongValue || e instanceof DoubleValue) {
            return numeric((ASTNodeAccess) e);
        }
        if (e instanceof SignedExpression signed
                && (signed.getExpression() instanceof LongValue || signed.getExpression() instanceof DoubleValue)) {
            return numeric(signed);
        }
        if (e instanceof CastExpression cast && cast.getLeftExpression() instanceof StringValue s
                && s.getPrefix() == null) {
            return span(cast, s.getValue().replace("''", "'"), false);
        }
        return null;
    }

    /** Where a parsed node's text starts in the SQL, or -1 when the parser's position does not check out. */
    int start(ASTNodeAccess node) {
        Found f = span(node, null, false);
        return f == null ? -1 : f.start();
    }

    private Found numeric(ASTNodeAccess node) {
        Found f = span(node, null, false);
        if (f == null) {
            return null;
        }
        String text = sql.substring(f.start(), f.end()).replaceAll("\\s+", "");
        if (!text.matches("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            return null; // a comment inside, or a shape we do not know: refuse rather than guess
        }
        return new Found(f.start(), f.end(), text);
    }

    private Found span(ASTNodeAccess node, String value, boolean quoted) {
        SimpleNode n = node.getASTNode();
        if (n == null || n.jjtGetFirstToken() == null || n.jjtGetLastToken() == null) {
            return null;
        }
        Token first = n.jjtGetFirstToken();
        Token last = n.jjtGetLastToken();
        int start = offset(first.beginLine, first.beginColumn);
        int lastStart = offset(last.beginLine, last.beginColumn);
        if (start < 0 || lastStart < 0 || first.image == null || last.image == null
                || !sql.startsWith(first.image, start) || !sql.startsWith(last.image, lastStart)) {
            return null;
        }
        int end = lastStart + last.image.length();
        if (quoted && (sql.charAt(end - 1) != '\'')) {
            return null;
        }
        return new Found(start, end, value);
    }

    /** JavaCC positions (1-based line and column; \n, \r\n and \r end a line; a tab is one column). */
    private int offset(int line, int column) {
        if (lineStarts == null) {
            java.util.List<Integer> starts = new java.util.ArrayList<>();
            starts.add(0);
            for (int i = 0; i < sql.length(); i++) {
                char c = sql.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n'))) {
                    starts.add(i + 1);
                }
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }
        if (line < 1 || line > lineStarts.length || column < 1) {
            return -1;
        }
        int offset = lineStarts[line - 1] + column - 1;
        return offset < sql.length() ? offset : -1;
    }
}
