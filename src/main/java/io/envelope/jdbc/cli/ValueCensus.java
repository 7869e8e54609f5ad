package io.envelope.jdbc.cli;

import io.envelope.jdbc.crypto.ValuePrefix;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.schema.EncryptedTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many stored values of one encrypted column name each key version, counted by the database: it groups the
 * values whose first bytes look like envelope format by their first 6 bytes (format version, mode, key version;
 * the first 8 characters of a base64 column) and counts the column's non-null values, so no value leaves the
 * database. Cost: two sequential reads of the table per encrypted column (every row; with a row limit, the first
 * rows the database returns).
 */
final class ValueCensus {

    /** Non-null values, those per key version, and those not in envelope format (plaintext, or damaged). */
    record Counts(long nonNull, Map<Integer, Long> perVersion, long notEnvelope) {
    }

    private ValueCensus() {
    }

    /**
     * @param rowLimit count over at most this many rows (the first the database returns); null: every row
     */
    static Counts count(Connection connection, EncryptedTable table, EncryptedColumn column, ColumnStorage storage,
                        Long rowLimit) throws SQLException {
        SqlText sqlText = SqlText.of(connection);
        String c = sqlText.quote(column.name());
        String source = rowLimit == null ? sqlText.qualified(table)
                : "(SELECT " + c + " FROM " + sqlText.qualified(table) + " LIMIT " + rowLimit + ") sampled";
        long nonNull;
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(" + c + ") FROM " + source);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            nonNull = rs.getLong(1);
        }
        boolean binary = storage == ColumnStorage.BINARY;
        List<?> leading = binary ? ValuePrefix.leadingBytes() : ValuePrefix.leadingBase64();
        // compared and grouped exactly: under a MySQL collation that ignores case, a plaintext beginning "aq"
        // would pass for a value beginning "AQ", and prefixes differing in case would be counted as one
        String exact = sqlText.exactly(c, storage);
        String prefix = "SUBSTRING(" + exact + " FROM 1 FOR " + (binary ? ValuePrefix.BYTES
                : ValuePrefix.BASE64_CHARS) + ")";
        StringBuilder sql = new StringBuilder("SELECT ").append(prefix).append(", COUNT(*) FROM ").append(source)
                .append(" WHERE SUBSTRING(").append(exact).append(" FROM 1 FOR 2) IN (");
        for (int i = 0; i < leading.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(") GROUP BY ").append(prefix);
        Map<Integer, Long> perVersion = new TreeMap<>();
        long inEnvelopeFormat = 0;
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < leading.size(); i++) {
                if (binary) {
                    ps.setBytes(i + 1, (byte[]) leading.get(i));
                } else {
                    ps.setString(i + 1, (String) leading.get(i));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int version = binary ? ValuePrefix.keyVersion(rs.getBytes(1))
                            : ValuePrefix.keyVersion(rs.getString(1));
                    if (version > 0) {
                        long n = rs.getLong(2);
                        perVersion.merge(version, n, Long::sum);
                        inEnvelopeFormat += n;
                    }
                }
            }
        }
        return new Counts(nonNull, perVersion, nonNull - inEnvelopeFormat);
    }
}
