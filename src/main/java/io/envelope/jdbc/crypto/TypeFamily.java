package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.PlaintextType;

/**
 * The plaintext type family stored in byte 6 of every value. Types that SQL compares as equal across a
 * widening share one family and one canonical encoding: smallint, int and bigint; real and double.
 */
enum TypeFamily {
    TEXT(0x01),
    BYTES(0x02),
    INTEGER(0x03),
    DECIMAL(0x04),
    FLOAT(0x05),
    BOOLEAN(0x06),
    DATE(0x07),
    TIME(0x08),
    TIMESTAMP(0x09),
    TIMESTAMPTZ(0x0A),
    UUID(0x0B);

    final int code;

    TypeFamily(int code) {
        this.code = code;
    }

    static TypeFamily fromCode(int code) {
        for (TypeFamily f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }

    static TypeFamily of(PlaintextType type) {
        switch (type) {
            case TEXT: return TEXT;
            case BYTES: return BYTES;
            case SMALLINT:
            case INT:
            case BIGINT: return INTEGER;
            case DECIMAL: return DECIMAL;
            case DOUBLE:
            case REAL: return FLOAT;
            case BOOLEAN: return BOOLEAN;
            case DATE: return DATE;
            case TIME: return TIME;
            case TIMESTAMP: return TIMESTAMP;
            case TIMESTAMPTZ: return TIMESTAMPTZ;
            case UUID: return UUID;
            default: throw new IllegalArgumentException("unknown plaintext type " + type);
        }
    }
}
