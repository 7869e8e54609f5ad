package io.envelope.jdbc.config;

import java.sql.Types;

/**
 * The plaintext SQL type of an encrypted column (see docs/configuration.md, {@code type:}). Values are canonicalised to it
 * before encryption; getters answer as the target driver would for a plaintext column of {@link #sqlType()}.
 */
public enum PlaintextType {
    TEXT("text", Types.VARCHAR, "text"),
    BYTES("bytes", Types.BINARY, "bytea"),
    SMALLINT("smallint", Types.SMALLINT, "int2"),
    INT("int", Types.INTEGER, "int4"),
    BIGINT("bigint", Types.BIGINT, "int8"),
    DECIMAL("decimal", Types.NUMERIC, "numeric"),
    DOUBLE("double", Types.DOUBLE, "float8"),
    REAL("real", Types.REAL, "float4"),
    BOOLEAN("boolean", Types.BOOLEAN, "bool"),
    DATE("date", Types.DATE, "date"),
    TIME("time", Types.TIME, "time"),
    TIMESTAMP("timestamp", Types.TIMESTAMP, "timestamp"),
    TIMESTAMPTZ("timestamptz", Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz"),
    UUID("uuid", Types.OTHER, "uuid");

    private final String configName;
    private final int sqlType;
    private final String sqlTypeName;

    PlaintextType(String configName, int sqlType, String sqlTypeName) {
        this.configName = configName;
        this.sqlType = sqlType;
        this.sqlTypeName = sqlTypeName;
    }

    /** The spelling used in the YAML file. */
    public String configName() {
        return configName;
    }

    /** The {@link java.sql.Types} code a plaintext column of this type reports (as pgJDBC reports it). */
    public int sqlType() {
        return sqlType;
    }

    /** The type name a plaintext PostgreSQL column of this type reports in metadata. */
    public String sqlTypeName() {
        return sqlTypeName;
    }

    /** The type with this YAML spelling, or null. */
    public static PlaintextType fromConfigName(String name) {
        for (PlaintextType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        return null;
    }
}
