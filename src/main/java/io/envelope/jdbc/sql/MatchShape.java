package io.envelope.jdbc.sql;

/**
 * Where a value compared with a deterministic column sits in the SQL text, which decides how the driver can
 * widen it to several candidate ciphertexts (one per non-retired key version, plus the plaintext form while
 * {@code accept-plaintext} is on) without changing the statement's meaning:
 * {@code c = ?} becomes {@code c = ANY (ARRAY[?, ?])}, {@code c <> ?} becomes {@code c <> ALL (ARRAY[?, ?])},
 * and an item of {@code IN (…)} / {@code NOT IN (…)} becomes {@code ?, ?}. All three stay index-usable in
 * PostgreSQL (a btree scans {@code = ANY(array)} directly).
 */
public enum MatchShape {
    /** The right operand of {@code =}. */
    EQUALS,
    /** The right operand of {@code <>} or {@code !=}. */
    NOT_EQUALS,
    /** An item of an {@code IN} or {@code NOT IN} list. */
    LIST_ITEM,
    /**
     * Anywhere else ({@code ? = c}, {@code IS [NOT] DISTINCT FROM ?}, a parenthesised value): only one candidate
     * can be sent, so such a lookup is refused while its table has more than one candidate.
     */
    FIXED
}
