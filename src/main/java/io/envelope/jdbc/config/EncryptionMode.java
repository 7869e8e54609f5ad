package io.envelope.jdbc.config;

/** How a column's values are encrypted (see docs/format.md). */
public enum EncryptionMode {
    /** AES-256-GCM with fresh randomness per value: the same plaintext twice gives different values. */
    RANDOMIZED("randomized"),
    /** The same plaintext in the same column and key version always gives the same value: equality works. */
    DETERMINISTIC("deterministic");

    private final String configName;

    EncryptionMode(String configName) {
        this.configName = configName;
    }

    /** The spelling used in the YAML file. */
    public String configName() {
        return configName;
    }

    /** The mode with this YAML spelling, or null. */
    public static EncryptionMode fromConfigName(String name) {
        for (EncryptionMode mode : values()) {
            if (mode.configName.equals(name)) {
                return mode;
            }
        }
        return null;
    }
}
