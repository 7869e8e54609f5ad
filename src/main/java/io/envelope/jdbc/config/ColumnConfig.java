package io.envelope.jdbc.config;

/**
 * One encrypted column as the YAML file declares it (see docs/configuration.md).
 *
 * @param name             the column name as written in the file (unquoted names are folded later, per database)
 * @param mode             randomized (default) or deterministic
 * @param type             the plaintext type (default text)
 * @param scale            decimal only: required digits after the point; null for other types
 * @param precision        decimal only: optional total digits; null when not declared
 * @param pad              pad plaintexts to a multiple of this many bytes; 0 = no padding
 * @param acceptPlaintext  migration window: stored values not in envelope format are returned as they are
 */
public record ColumnConfig(
        String name,
        EncryptionMode mode,
        PlaintextType type,
        Integer scale,
        Integer precision,
        int pad,
        boolean acceptPlaintext) {
}
