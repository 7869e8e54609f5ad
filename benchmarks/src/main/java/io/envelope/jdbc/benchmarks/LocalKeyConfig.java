package io.envelope.jdbc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** The benchmarks' throw-away configuration: a fresh local master key and an envelope-jdbc YAML file that uses it. */
final class LocalKeyConfig {

    private LocalKeyConfig() {
    }

    /**
     * Writes a random master key and {@code envelope.yaml} into {@code dir}: {@code version}, the local {@code kms}
     * with that key, then {@code rest} (YAML at the top level: key-table, key-cache, tables, ...).
     *
     * @return the configuration file
     */
    static Path write(Path dir, String rest) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile = dir.resolve("master.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
        Path config = dir.resolve("envelope.yaml");
        Files.writeString(config, "version: 1\nkms:\n  provider: local\n  master-key-file: " + keyFile + "\n" + rest);
        return config;
    }
}
