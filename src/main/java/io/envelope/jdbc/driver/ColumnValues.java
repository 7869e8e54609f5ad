package io.envelope.jdbc.driver;

import io.envelope.jdbc.EnvelopeException;
import io.envelope.jdbc.crypto.ColumnCipher;
import io.envelope.jdbc.crypto.DataKey;
import io.envelope.jdbc.keys.KeyRing;
import io.envelope.jdbc.schema.ColumnStorage;
import io.envelope.jdbc.schema.EncryptedColumn;
import io.envelope.jdbc.sql.ParameterTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Base64;

/**
 * The one place where values of encrypted columns cross between the application and the target driver:
 * a parameter is encrypted under the right data key and bound as bytes or base64 text; a stored value is read
 * as bytes or text, its key version found in its header, and decrypted (contract §4–§5).
 */
final class ColumnValues {

    private static final Logger AUDIT = LoggerFactory.getLogger("io.envelope.jdbc.audit");
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private final KeyRing keyRing;
    private final ConnectionCatalog catalog;

    ColumnValues(KeyRing keyRing, ConnectionCatalog catalog) {
        this.keyRing = keyRing;
        this.catalog = catalog;
    }

    /**
     * Encrypts {@code value} for {@code target} and binds it to parameter {@code index} of the target driver's
     * statement. A null value binds SQL NULL (NULL stays NULL, contract §5).
     */
    void bind(PreparedStatement statement, int index, ParameterTarget target, Object value) throws SQLException {
        EncryptedColumn column = target.column();
        ColumnStorage storage = catalog.storage(column);
        if (value == null) {
            statement.setNull(index, storage == ColumnStorage.BINARY ? Types.BINARY : Types.VARCHAR);
            return;
        }
        byte[] stored = column.cipher().encrypt(value, writeKey(target));
        if (storage == ColumnStorage.BINARY) {
            statement.setBytes(index, stored);
        } else {
            statement.setString(index, BASE64.encodeToString(stored));
        }
    }

    /**
     * Reads and decrypts column {@code index} of the target driver's result set. Returns null for SQL NULL, the
     * canonical Java value of the column's plaintext type, or — for a column with {@code accept-plaintext} — the
     * stored plaintext as it is (String or byte[]).
     */
    Object read(ResultSet result, int index, EncryptedColumn column) throws SQLException {
        ColumnStorage storage = catalog.storage(column);
        byte[] stored;
        String text = null;
        if (storage == ColumnStorage.BINARY) {
            stored = result.getBytes(index);
            if (stored == null) {
                return null;
            }
        } else {
            text = result.getString(index);
            if (text == null) {
                return null;
            }
            stored = decodeBase64(text);
        }
        ColumnCipher cipher = column.cipher();
        if (stored == null || !cipher.isEnvelopeFormat(stored)) {
            if (column.config().acceptPlaintext()) {
                AUDIT.info("plaintext value read from {} (accept-plaintext migration window)", column.qualifiedName());
                return storage == ColumnStorage.BINARY ? stored : text;
            }
            throw EnvelopeException.data("a stored value of " + column.qualifiedName()
                    + " is not in envelope format; it was not written through envelope-jdbc, or it was altered"
                    + " (set accept-plaintext: true only while migrating existing plaintext)");
        }
        int version = cipher.keyVersionOf(stored);
        DataKey key = keyRing.key(column.table().identity(), version);
        return cipher.decrypt(stored, key);
    }

    private DataKey writeKey(ParameterTarget target) throws SQLException {
        EncryptedColumn column = target.column();
        String table = column.table().identity();
        return switch (column.mode()) {
            case RANDOMIZED -> keyRing.randomizedWriteKey(table);
            case DETERMINISTIC -> keyRing.deterministicWriteKey(table);
        };
    }

    private static byte[] decodeBase64(String text) {
        try {
            return BASE64_DECODER.decode(text);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
