package io.envelope.jdbc.sql;

import io.envelope.jdbc.sql.lexer.LexedSql;
import io.envelope.jdbc.sql.lexer.Token;
import io.envelope.jdbc.sql.lexer.TokenKind;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that JSqlParser read a statement's text as the database will: the analysis trusts JSqlParser's tree
 * only where the parser's tokens agree with the {@link io.envelope.jdbc.sql.lexer.SqlLexer}'s.
 *
 * <p>Why: the tree says which values go where. If the parser takes live SQL for the inside of a string or a
 * comment ({@code E'\''} ends one character later for PostgreSQL; {@code /* /* *}{@code / … *}{@code /} nests;
 * {@code $q$…$q$} quotes), it analyses a harmless statement while the server executes another. The check is
 * made on the parser's own token chain, the tokens its tree was built from (kept by {@link SqlAnalyzer}, no
 * second tokenisation), against the lexer's tokens:
 * <ol>
 *   <li>strings, quoted identifiers and comments: the same spans, of the same class, on both sides (a dollar
 *       quote that JSqlParser reads as an identifier, or an escape string it ends early, disagrees);</li>
 *   <li>every identifier token of the parser is exactly one identifier of the lexer (so {@code email@x},
 *       one word to JSqlParser and an operator between two to PostgreSQL, disagrees; so does {@code U&"…"});</li>
 *   <li>every parser token covers whole lexer tokens, and every lexer token is covered: nothing is split or
 *       skipped (operators excepted: PostgreSQL groups operator characters differently, and they hold no
 *       text).</li>
 * </ol>
 * Offsets: JSqlParser records each regular token's absolute offset ({@code absoluteBegin}, one-based); its
 * comments carry only line and column (one column per character, a tab included; {@code \r\n} one line end).
 */
final class ParserAgreement {

    private enum TextClass { STRING, QUOTED, COMMENT, OTHER }

    private record Span(int start, int end, TextClass kind, boolean operator, boolean identifier) {
    }

    private ParserAgreement() {
    }

    /**
     * @param head the token JSqlParser's token chain starts from (the parser's {@code token} before parsing)
     * @return null when the two readings agree; else what differs, without quoting the text
     */
    static String disagreement(LexedSql lexed, net.sf.jsqlparser.parser.Token head) {
        String sql = lexed.sql();
        List<Span> parsed = new ArrayList<>();
        int[] lineStarts = lineStarts(sql);
        for (net.sf.jsqlparser.parser.Token t = head.next; t != null; t = t.next) {
            List<net.sf.jsqlparser.parser.Token> specials = new ArrayList<>();
            for (net.sf.jsqlparser.parser.Token s = t.specialToken; s != null; s = s.specialToken) {
                specials.add(0, s);
            }
            for (net.sf.jsqlparser.parser.Token s : specials) {
                int start = offset(lineStarts, s.beginLine, s.beginColumn);
                if (start < 0 || s.image == null || !sql.startsWith(s.image, start)) {
                    return "the SQL parser placed a comment where the text has none";
                }
                parsed.add(new Span(start, start + s.image.length(), TextClass.COMMENT, false, false));
            }
            if (t.kind == CCJSqlParserConstants.EOF) {
                break;
            }
            String image = t.kind == CCJSqlParserConstants.S_HEX ? t.image.stripTrailing() : t.image;
            int start = t.absoluteBegin - 1;
            if (image == null || start < 0 || !sql.startsWith(image, start)) {
                return "the SQL parser read a token the text does not hold";
            }
            parsed.add(new Span(start, start + image.length(), classOf(t.kind, image), isOperator(image),
                    t.kind == CCJSqlParserConstants.S_IDENTIFIER));
        }

        parsed.sort(Comparator.comparingInt(Span::start));
        Set<Long> lexedOpaque = new HashSet<>();
        Set<Long> lexedIdentifiers = new HashSet<>();
        for (Token t : lexed.tokens()) {
            TextClass c = classOf(t.kind());
            if (c != TextClass.OTHER) {
                lexedOpaque.add(key(t.start(), t.end(), c));
            } else if (t.kind() == TokenKind.IDENTIFIER) {
                lexedIdentifiers.add(key(t.start(), t.end(), TextClass.OTHER));
            }
        }
        Set<Long> parsedOpaque = new HashSet<>();
        for (Span p : parsed) {
            if (p.kind() != TextClass.OTHER) {
                parsedOpaque.add(key(p.start(), p.end(), p.kind()));
            } else if (p.identifier() && !lexedIdentifiers.contains(key(p.start(), p.end(), TextClass.OTHER))) {
                return "the SQL parser and the database disagree on where an identifier begins or ends";
            }
        }
        if (!lexedOpaque.equals(parsedOpaque)) {
            return "the SQL parser and the database disagree on where a string, quoted identifier or comment "
                    + "begins or ends";
        }
        List<Token> tokens = lexed.tokens();
        boolean[] covered = new boolean[tokens.size()];
        int li = 0;
        for (Span p : parsed) {
            while (li < tokens.size() && tokens.get(li).end() <= p.start()) {
                li++;
            }
            for (int k = li; k < tokens.size() && tokens.get(k).start() < p.end(); k++) {
                Token l = tokens.get(k);
                covered[k] = true;
                boolean whole = l.start() >= p.start() && l.end() <= p.end();
                if (!whole && !(p.operator() && l.kind() == TokenKind.OPERATOR)) {
                    return "the SQL parser read a token across the database's token boundaries";
                }
            }
        }
        for (int k = 0; k < tokens.size(); k++) {
            if (!covered[k]) {
                return "the SQL parser skipped text the database reads";
            }
        }
        return null;
    }

    private static long key(int start, int end, TextClass c) {
        return ((long) start << 33) | ((long) end << 2) | c.ordinal();
    }

    private static TextClass classOf(TokenKind kind) {
        if (kind.isString()) {
            return TextClass.STRING;
        }
        if (kind == TokenKind.QUOTED_IDENTIFIER || kind == TokenKind.UNICODE_IDENTIFIER) {
            return TextClass.QUOTED;
        }
        if (kind.isComment()) {
            return TextClass.COMMENT;
        }
        return TextClass.OTHER;
    }

    private static TextClass classOf(int kind, String image) {
        if (kind == CCJSqlParserConstants.S_CHAR_LITERAL || kind == CCJSqlParserConstants.S_HEX
                && image.indexOf('\'') >= 0) {
            return TextClass.STRING;
        }
        if (kind == CCJSqlParserConstants.S_QUOTED_IDENTIFIER) {
            return TextClass.QUOTED;
        }
        return TextClass.OTHER;
    }

    private static boolean isOperator(String image) {
        if (image.isEmpty()) {
            return false;
        }
        for (int i = 0; i < image.length(); i++) {
            if ("~!@#^&|`?+-*/%<>=:".indexOf(image.charAt(i)) < 0 && !Character.isWhitespace(image.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int[] lineStarts(String sql) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** JavaCC's one-based line and column to a character offset, or -1. */
    private static int offset(int[] lineStarts, int line, int column) {
        if (line < 1 || line > lineStarts.length || column < 1) {
            return -1;
        }
        return lineStarts[line - 1] + column - 1;
    }
}
