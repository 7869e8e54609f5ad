package io.envelope.jdbc.conversion;

import io.envelope.jdbc.EnvelopeErrors;
import io.envelope.jdbc.schema.EncryptedColumn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;

/**
 * Reads stream and LOB parameters of encrypted columns into memory: a value must be whole to be encrypted.
 * Values above {@link #MAX_BYTES} are refused with a clear error rather than exhausting the heap.
 */
public final class ParameterStreams {

    /** The largest stream or LOB value an encrypted column accepts. */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    private ParameterStreams() {
    }

    /** Reads at most {@code length} bytes (all when negative). */
    public static byte[] readBytes(InputStream in, long length, EncryptedColumn column) throws SQLException {
        if (in == null) {
            return null;
        }
        long limit = length < 0 ? MAX_BYTES + 1L : Math.min(length, MAX_BYTES + 1L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            long remaining = limit;
            int n;
            while (remaining > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining))) > 0) {
                out.write(buffer, 0, n);
                remaining -= n;
            }
        } catch (IOException e) {
            throw EnvelopeErrors.general("reading a stream parameter for " + column.qualifiedName() + " failed", e);
        }
        checkSize(out.size(), column);
        return out.toByteArray();
    }

    public static String readText(InputStream in, long length, Charset charset, EncryptedColumn column) throws SQLException {
        byte[] bytes = readBytes(in, length, column);
        return bytes == null ? null : new String(bytes, charset);
    }

    /** Reads at most {@code length} characters (all when negative). */
    public static String readText(Reader in, long length, EncryptedColumn column) throws SQLException {
        if (in == null) {
            return null;
        }
        long limit = length < 0 ? MAX_BYTES + 1L : Math.min(length, MAX_BYTES + 1L);
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            long remaining = limit;
            int n;
            while (remaining > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining))) > 0) {
                out.append(buffer, 0, n);
                remaining -= n;
            }
        } catch (IOException e) {
            throw EnvelopeErrors.general("reading a character stream for " + column.qualifiedName() + " failed", e);
        }
        checkSize(out.length(), column);
        return out.toString();
    }

    public static byte[] readBlob(Blob blob, EncryptedColumn column) throws SQLException {
        if (blob == null) {
            return null;
        }
        checkSize(blob.length(), column);
        return blob.getBytes(1, (int) blob.length());
    }

    public static String readClob(Clob clob, EncryptedColumn column) throws SQLException {
        if (clob == null) {
            return null;
        }
        checkSize(clob.length(), column);
        return clob.getSubString(1, (int) clob.length());
    }

    private static void checkSize(long size, EncryptedColumn column) throws SQLException {
        if (size > MAX_BYTES) {
            throw EnvelopeErrors.data("a value for " + column.qualifiedName() + " is larger than "
                    + MAX_BYTES + " bytes, the most an encrypted column accepts from a stream or LOB");
        }
    }
}
