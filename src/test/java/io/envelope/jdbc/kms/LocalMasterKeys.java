package io.envelope.jdbc.kms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** Fresh master keys of the local KMS provider, for tests that configure {@code kms.master-key-file}. */
public final class LocalMasterKeys {

    private LocalMasterKeys() {
    }

    /** Writes a new random 256-bit master key, base64, to {@code dir/master.key} and returns that path. */
    public static Path write(Path dir) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path file = dir.resolve("master.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
        return file;
    }
}
