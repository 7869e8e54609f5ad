package io.envelope.jdbc.sql.lexer;

/**
 * The escapes of SQL's {@code U&'…'} strings and {@code U&"…"} identifiers: {@code <e>XXXX} (four hex digits),
 * {@code <e>+XXXXXX} (six), {@code <e><e>} for the escape character itself, where {@code <e>} is {@code \} or the
 * {@code UESCAPE} character; a UTF-16 surrogate pair written as two escapes is one character.
 */
final class UnicodeEscapes {

    private UnicodeEscapes() {
    }

    /** The decoded text, or null when an escape is malformed (the server refuses such text). */
    static String decode(String body, char escape) {
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        int pendingHigh = -1;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != escape) {
                if (pendingHigh >= 0) {
                    return null;
                }
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < body.length() && body.charAt(i + 1) == escape) {
                if (pendingHigh >= 0) {
                    return null;
                }
                out.append(escape);
                i += 2;
                continue;
            }
            int digits = i + 1 < body.length() && body.charAt(i + 1) == '+' ? 6 : 4;
            int from = digits == 6 ? i + 2 : i + 1;
            if (from + digits > body.length()) {
                return null;
            }
            int code;
            try {
                code = Integer.parseInt(body.substring(from, from + digits), 16);
            } catch (NumberFormatException notHex) {
                return null;
            }
            if (body.substring(from, from + digits).chars().anyMatch(ch -> ch == '+' || ch == '-')) {
                return null;
            }
            i = from + digits;
            if (Character.isHighSurrogate((char) code) && code <= 0xFFFF) {
                if (pendingHigh >= 0) {
                    return null;
                }
                pendingHigh = code;
                continue;
            }
            if (Character.isLowSurrogate((char) code) && code <= 0xFFFF) {
                if (pendingHigh < 0) {
                    return null;
                }
                out.appendCodePoint(Character.toCodePoint((char) pendingHigh, (char) code));
                pendingHigh = -1;
                continue;
            }
            if (pendingHigh >= 0 || code == 0 || code > Character.MAX_CODE_POINT) {
                return null;
            }
            out.appendCodePoint(code);
        }
        return pendingHigh >= 0 ? null : out.toString();
    }
}
