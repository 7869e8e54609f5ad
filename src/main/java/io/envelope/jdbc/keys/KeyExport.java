package io.envelope.jdbc.keys;

import io.envelope.jdbc.EnvelopeErrors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The key table's rows as a JSON file ({@code keys export} / {@code keys import}): wrapped keys only, so the file is
 * as safe to keep beside database backups as the key table itself. Format version 1:
 *
 * <pre>
 * {"format": "envelope-jdbc-key-export", "version": 1, "key_table": "...", "exported_at": "...",
 *  "rows": [{"table_name": ..., "key_version": ..., "kms_provider": ..., "kms_key_id": ...,
 *            "encrypted_key": base64, "status": ..., "created_at": "uuuu-MM-ddTHH:mm:ss.SSSSSS",
 *            "state_seq": n or null, "state_mac": base64 or null}, ...],
 *  "checksum": "sha256:" + hex of SHA-256 over the rows' canonical text}
 * </pre>
 *
 * The checksum catches a truncated or edited file; it is not a signature (each row is checked to unwrap through
 * the KMS on import, and authenticated rows carry their MAC).
 */
public final class KeyExport {

    static final String FORMAT = "envelope-jdbc-key-export";
    static final int VERSION = 1;

    private KeyExport() {
    }

    /** The export file's text for these rows. */
    public static String write(String keyTable, List<KeyRow> rows, LocalDateTime exportedAt) {
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"format\": ").append(quote(FORMAT)).append(",\n  \"version\": ").append(VERSION)
                .append(",\n  \"key_table\": ").append(quote(keyTable))
                .append(",\n  \"exported_at\": ").append(quote(KeyRowStates.time(exportedAt)))
                .append(",\n  \"rows\": [");
        for (int i = 0; i < rows.size(); i++) {
            KeyRow r = rows.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"table_name\": ").append(quote(r.tableName()))
                    .append(", \"key_version\": ").append(r.keyVersion())
                    .append(", \"kms_provider\": ").append(quote(r.kmsProvider()))
                    .append(", \"kms_key_id\": ").append(quote(r.kmsKeyId()))
                    .append(", \"encrypted_key\": ").append(quote(base64(r.encryptedKey())))
                    .append(", \"status\": ").append(quote(r.status().dbValue()))
                    .append(", \"created_at\": ").append(quote(KeyRowStates.time(r.createdAt())))
                    .append(", \"state_seq\": ").append(r.stateSeq() == null ? "null" : r.stateSeq().toString())
                    .append(", \"state_mac\": ").append(r.stateMac() == null ? "null" : quote(base64(r.stateMac())))
                    .append('}');
        }
        json.append("\n  ],\n  \"checksum\": ").append(quote(checksum(rows))).append("\n}\n");
        return json.toString();
    }

    /** The rows of an export file, after its format, version and checksum were checked. */
    public static List<KeyRow> read(String text, String origin) throws SQLException {
        Object parsed;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            parsed = new Yaml(options).load(text);
        } catch (YAMLException e) {
            throw EnvelopeErrors.key("key export " + origin + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> top) || !FORMAT.equals(top.get("format"))) {
            throw EnvelopeErrors.key("key export " + origin + " is not an envelope-jdbc key export (no \"format\": "
                    + quote(FORMAT) + ")");
        }
        if (!Integer.valueOf(VERSION).equals(top.get("version"))) {
            throw EnvelopeErrors.key("key export " + origin + " has format version " + top.get("version")
                    + "; this build reads version " + VERSION);
        }
        if (!(top.get("rows") instanceof List<?> list)) {
            throw EnvelopeErrors.key("key export " + origin + " has no \"rows\" list");
        }
        List<KeyRow> rows = new ArrayList<>();
        for (Object item : list) {
            rows.add(row(item, origin, rows.size()));
        }
        String expected = checksum(rows);
        if (!expected.equals(top.get("checksum"))) {
            throw EnvelopeErrors.key("key export " + origin + ": the checksum does not match its rows (the file"
                    + " was truncated or edited); nothing was imported");
        }
        return rows;
    }

    private static KeyRow row(Object item, String origin, int index) throws SQLException {
        String where = "key export " + origin + ", row " + (index + 1);
        if (!(item instanceof Map<?, ?> m)) {
            throw EnvelopeErrors.key(where + " is not an object");
        }
        try {
            KeyStatus status = KeyStatus.fromDbValue((String) m.get("status"));
            if (status == null) {
                throw EnvelopeErrors.key(where + ": status '" + m.get("status") + "' is not one of active,"
                        + " retiring, retired");
            }
            Object seq = m.get("state_seq");
            Object mac = m.get("state_mac");
            return new KeyRow(text(m, "table_name", where), ((Number) m.get("key_version")).intValue(),
                    text(m, "kms_provider", where), text(m, "kms_key_id", where),
                    Base64.getDecoder().decode(text(m, "encrypted_key", where)), status,
                    LocalDateTime.parse(text(m, "created_at", where)),
                    seq == null ? null : ((Number) seq).longValue(),
                    mac == null ? null : Base64.getDecoder().decode((String) mac));
        } catch (ClassCastException | IllegalArgumentException | NullPointerException
                 | DateTimeParseException e) {
            throw EnvelopeErrors.key(where + " is malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static String text(Map<?, ?> m, String key, String where) throws SQLException {
        Object value = m.get(key);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw EnvelopeErrors.key(where + ": \"" + key + "\" is missing");
        }
        return s;
    }

    /** "sha256:" + hex of SHA-256 over each row's fields, tab-separated, one row per line, in file order. */
    static String checksum(List<KeyRow> rows) {
        StringBuilder canonical = new StringBuilder();
        for (KeyRow r : rows) {
            canonical.append(r.tableName()).append('\t').append(r.keyVersion()).append('\t').append(r.kmsProvider())
                    .append('\t').append(r.kmsKeyId()).append('\t').append(base64(r.encryptedKey())).append('\t')
                    .append(r.status().dbValue()).append('\t').append(KeyRowStates.time(r.createdAt())).append('\t')
                    .append(r.stateSeq() == null ? "" : r.stateSeq()).append('\t')
                    .append(r.stateMac() == null ? "" : base64(r.stateMac())).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
