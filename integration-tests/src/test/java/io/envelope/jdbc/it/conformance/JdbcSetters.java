package io.envelope.jdbc.it.conformance;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;

/**
 * Every setter JDBC defines, each with values of the kinds applications bind: what the setter twins
 * (JdbcConformanceIT on PostgreSQL, MariaDbSetterTwinIT on MariaDB) call on a plaintext and an encrypted column.
 */
public final class JdbcSetters {

    /** One value of each declared plaintext type, bound with setObject (index 13: a UUID). */
    static final List<Object> SAMPLES = List.of("héllo", new byte[] {1, 2, 3}, (short) 7, 7, 7L,
            new BigDecimal("12.50"), 1.25, 1.25f, true, LocalDate.of(2024, 2, 29), LocalTime.of(13, 45, 30, 123_456_000),
            LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000),
            OffsetDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000, ZoneOffset.ofHours(2)),
            UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"));

    private JdbcSetters() {
    }

    public interface Setter {
        void set(PreparedStatement ps, int index) throws SQLException;
    }

    /** Every setter JDBC defines, each with values of the kinds applications bind. */
    public static final Map<String, Setter> SETTERS = new LinkedHashMap<>();

    static {
        for (String s : List.of("héllo", "42", "-7", "12.50", "1.25", "t", "true", "2024-02-29", "13:45:30",
                "2024-02-29 13:45:30.123456", "2024-02-29 13:45:30+02", "0f8fad5b-d9cb-469f-a165-70867728950e",
                "\\x010203", "")) {
            SETTERS.put("setString(\"" + s + "\")", (ps, i) -> ps.setString(i, s));
        }
        SETTERS.put("setNString", (ps, i) -> ps.setNString(i, "héllo"));
        SETTERS.put("setBoolean", (ps, i) -> ps.setBoolean(i, true));
        SETTERS.put("setByte", (ps, i) -> ps.setByte(i, (byte) 7));
        SETTERS.put("setShort", (ps, i) -> ps.setShort(i, (short) 7));
        SETTERS.put("setInt", (ps, i) -> ps.setInt(i, 7));
        SETTERS.put("setLong", (ps, i) -> ps.setLong(i, 7L));
        SETTERS.put("setLong(big)", (ps, i) -> ps.setLong(i, 5_000_000_000L));
        SETTERS.put("setFloat", (ps, i) -> ps.setFloat(i, 1.25f));
        SETTERS.put("setDouble", (ps, i) -> ps.setDouble(i, 1.25));
        SETTERS.put("setBigDecimal", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("12.5")));
        SETTERS.put("setBytes", (ps, i) -> ps.setBytes(i, new byte[] {1, 2, 3}));
        SETTERS.put("setDate", (ps, i) -> ps.setDate(i, Date.valueOf("2024-02-29")));
        SETTERS.put("setDate(cal)", (ps, i) -> ps.setDate(i, Date.valueOf("2024-02-29"), utc()));
        SETTERS.put("setTime", (ps, i) -> ps.setTime(i, Time.valueOf("13:45:30")));
        SETTERS.put("setTime(cal)", (ps, i) -> ps.setTime(i, Time.valueOf("13:45:30"), utc()));
        SETTERS.put("setTimestamp", (ps, i) -> ps.setTimestamp(i, Timestamp.valueOf("2024-02-29 13:45:30.123456")));
        SETTERS.put("setTimestamp(cal)",
                (ps, i) -> ps.setTimestamp(i, Timestamp.valueOf("2024-02-29 13:45:30.123456"), utc()));
        for (Object sample : SAMPLES) {
            SETTERS.put("setObject(" + sample.getClass().getSimpleName() + ")", (ps, i) -> ps.setObject(i, sample));
        }
        SETTERS.put("setObject(java.sql.Date)", (ps, i) -> ps.setObject(i, Date.valueOf("2024-02-29")));
        SETTERS.put("setObject(Time)", (ps, i) -> ps.setObject(i, Time.valueOf("13:45:30")));
        SETTERS.put("setObject(Timestamp)",
                (ps, i) -> ps.setObject(i, Timestamp.valueOf("2024-02-29 13:45:30.123456")));
        SETTERS.put("setObject(LocalDate, DATE)", (ps, i) -> ps.setObject(i, LocalDate.of(2024, 2, 29), Types.DATE));
        SETTERS.put("setObject(String, INTEGER)", (ps, i) -> ps.setObject(i, "42", Types.INTEGER));
        SETTERS.put("setObject(Integer, VARCHAR)", (ps, i) -> ps.setObject(i, 42, Types.VARCHAR));
        SETTERS.put("setObject(BigDecimal, NUMERIC, 2)",
                (ps, i) -> ps.setObject(i, new BigDecimal("12.5"), Types.NUMERIC, 2));
        SETTERS.put("setObject(UUID, OTHER)", (ps, i) -> ps.setObject(i, SAMPLES.get(13), Types.OTHER));
        for (int type : new int[] {Types.NULL, Types.VARCHAR, Types.INTEGER, Types.BIGINT, Types.NUMERIC,
                Types.DOUBLE, Types.BOOLEAN, Types.BINARY, Types.DATE, Types.TIME, Types.TIMESTAMP, Types.OTHER}) {
            SETTERS.put("setNull(" + type + ")", (ps, i) -> ps.setNull(i, type));
        }
        SETTERS.put("setObject(null)", (ps, i) -> ps.setObject(i, null));
        SETTERS.put("setBinaryStream", (ps, i) -> ps.setBinaryStream(i, bytes(1, 2, 3), 3));
        SETTERS.put("setBinaryStream(long)", (ps, i) -> ps.setBinaryStream(i, bytes(1, 2, 3), 3L));
        SETTERS.put("setBinaryStream(all)", (ps, i) -> ps.setBinaryStream(i, bytes(1, 2, 3)));
        SETTERS.put("setCharacterStream", (ps, i) -> ps.setCharacterStream(i, new StringReader("héllo"), 5));
        SETTERS.put("setCharacterStream(all)", (ps, i) -> ps.setCharacterStream(i, new StringReader("héllo")));
        SETTERS.put("setAsciiStream", (ps, i) -> ps.setAsciiStream(i, ascii("hello"), 5));
        SETTERS.put("setBlob(InputStream)", (ps, i) -> ps.setBlob(i, bytes(1, 2, 3), 3));
        SETTERS.put("setClob(Reader)", (ps, i) -> ps.setClob(i, new StringReader("héllo"), 5));
        SETTERS.put("setNCharacterStream", (ps, i) -> ps.setNCharacterStream(i, new StringReader("héllo"), 5));
    }

    private static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    }

    private static InputStream bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return new ByteArrayInputStream(b);
    }

    private static InputStream ascii(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

}
