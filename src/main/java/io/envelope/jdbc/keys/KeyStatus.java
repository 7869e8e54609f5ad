package io.envelope.jdbc.keys;

/** The status of a data key version (see docs/format.md, Keys). */
public enum KeyStatus {
    /** Encrypts and decrypts. */
    ACTIVE("active"),
    /** Only decrypts; still matched by lookups. */
    RETIRING("retiring"),
    /** Holds no values any more; still decrypts. */
    RETIRED("retired");

    private final String dbValue;

    KeyStatus(String dbValue) {
        this.dbValue = dbValue;
    }

    /** The spelling stored in the {@code status} column. */
    public String dbValue() {
        return dbValue;
    }

    /** The status with this stored spelling, or null. */
    public static KeyStatus fromDbValue(String value) {
        for (KeyStatus status : values()) {
            if (status.dbValue.equals(value)) {
                return status;
            }
        }
        return null;
    }
}
