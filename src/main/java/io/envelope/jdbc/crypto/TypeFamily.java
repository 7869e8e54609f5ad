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

    /** By code; index 0 is unused. Every stored value's header is checked against it, so no values() copy. */
    private static final TypeFamily[] BY_CODE = new TypeFamily[0x0C];

    static {
        for (TypeFamily f : values()) {
            BY_CODE[f.code] = f;
        }
    }

    final int code;

    TypeFamily(int code) {
        this.code = code;
    }

    static TypeFamily fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
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
