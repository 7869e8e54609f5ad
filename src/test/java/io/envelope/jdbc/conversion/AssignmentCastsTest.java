package io.envelope.jdbc.conversion;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.floats;

/**
 * The assignment casts, each expectation taken from PostgreSQL 16 through pgJDBC 42.7 on a plaintext column
 * (session time zone = the JVM default, set here to Asia/Kolkata so that offsets show).
 */
class AssignmentCastsTest {

    private TimeZone saved;

    @BeforeEach
    void zone() {
        saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    }

    @AfterEach
    void restore() {
        TimeZone.setDefault(saved);
    }

    private static ColumnConfig column(PlaintextType type) {
        return new ColumnConfig("c", EncryptionMode.RANDOMIZED, type, type == PlaintextType.DECIMAL ? 2 : null,
                null, 0, false);
    }

    private static Object cast(PlaintextType type, Object value) throws SQLException {
        return AssignmentCasts.cast(value, column(type), "t.c");
    }

    @Test
    void toTextIsTheServersTextOutput() throws SQLException {
        assertThat(cast(PlaintextType.TEXT, true)).isEqualTo("true");
        assertThat(cast(PlaintextType.TEXT, false)).isEqualTo("false");
        assertThat(cast(PlaintextType.TEXT, (byte) 7)).isEqualTo("7");
        assertThat(cast(PlaintextType.TEXT, 5_000_000_000L)).isEqualTo("5000000000");
        assertThat(cast(PlaintextType.TEXT, new BigInteger("-12345678901234567890"))).isEqualTo("-12345678901234567890");
        assertThat(cast(PlaintextType.TEXT, new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(cast(PlaintextType.TEXT, new BigDecimal("12.50"))).isEqualTo("12.50");
        assertThat(cast(PlaintextType.TEXT, 1.5e300)).isEqualTo("1.5e+300");
        assertThat(cast(PlaintextType.TEXT, 1.25f)).isEqualTo("1.25");
        assertThat(cast(PlaintextType.TEXT, 0.1f)).isEqualTo("0.1");
        assertThat(cast(PlaintextType.TEXT, new byte[] {1, 2, 3})).isEqualTo("\\x010203");
        assertThat(cast(PlaintextType.TEXT, LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(cast(PlaintextType.TEXT, LocalDate.of(-2, 5, 10))).isEqualTo("0003-05-10 BC");
        assertThat(cast(PlaintextType.TEXT, LocalDate.of(20000, 1, 1))).isEqualTo("20000-01-01");
        assertThat(cast(PlaintextType.TEXT, LocalTime.of(13, 45, 30, 123_456_000))).isEqualTo("13:45:30.123456");
        assertThat(cast(PlaintextType.TEXT, LocalTime.of(13, 45, 30, 100_000_000))).isEqualTo("13:45:30.1");
        assertThat(cast(PlaintextType.TEXT, LocalDateTime.of(2024, 2, 29, 13, 45, 30)))
                .isEqualTo("2024-02-29 13:45:30");
        assertThat(cast(PlaintextType.TEXT, LocalDateTime.of(20000, 1, 1, 12, 0, 0, 500_000_000)))
                .isEqualTo("20000-01-01 12:00:00.5");
        assertThat(cast(PlaintextType.TEXT, OffsetDateTime.of(2024, 2, 29, 13, 45, 30, 0, ZoneOffset.UTC)))
                .isEqualTo("2024-02-29 19:15:30+05:30");
        assertThat(cast(PlaintextType.TEXT, UUID.fromString("0F8FAD5B-D9CB-469F-A165-70867728950E")))
                .isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(cast(PlaintextType.TEXT, "as is")).isEqualTo("as is");
    }

    @Test
    void javaSqlValuesBecomeTheStringPgJdbcSends() throws SQLException {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        assertThat(cast(PlaintextType.TEXT, java.sql.Date.valueOf("2024-02-29"))).isEqualTo("2024-02-29 +00");
        assertThat(cast(PlaintextType.TEXT, java.sql.Time.valueOf("13:45:30"))).isEqualTo("13:45:30+00");
        assertThat(cast(PlaintextType.TEXT, Timestamp.valueOf("2024-02-29 13:45:30.123456")))
                .isEqualTo("2024-02-29 13:45:30.123456+00");
        assertThat((byte[]) cast(PlaintextType.BYTES, java.sql.Date.valueOf("2024-02-29")))
                .isEqualTo("2024-02-29 +00".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(AssignmentCasts.pgJdbcText(Timestamp.valueOf("2024-02-29 13:45:30"),
                TimeZone.getTimeZone("Asia/Kolkata"))).isEqualTo("2024-02-29 19:15:30+05:30");
    }

    @Test
    void floatTextFollowsPostgresExponentRules() {
        assertThat(AssignmentCasts.floatText(1e15, false)).isEqualTo("1e+15");
        // PostgreSQL's Ryū (never the exact midpoint, a removed 5 rounds up): answers of PostgreSQL 15
        assertThat(AssignmentCasts.floatText(5.9604644775390625E-8, false)).isEqualTo("5.960464477539063e-08");
        assertThat(AssignmentCasts.floatText(-19602960847321088.0, false)).isEqualTo("-1.9602960847321088e+16");
        assertThat(AssignmentCasts.floatText(-87689050667950592.0, false)).isEqualTo("-8.768905066795059e+16");
        assertThat(AssignmentCasts.floatText(1.32363084026584992E17, false)).isEqualTo("1.3236308402658499e+17");
        assertThat(AssignmentCasts.floatText(2.57509408E8f, true)).isEqualTo("2.5750941e+08");
        assertThat(AssignmentCasts.floatText(8.9515664E7f, true)).isEqualTo("8.9515664e+07");
        assertThat(AssignmentCasts.floatText(6.1390788923144304E16, false)).isEqualTo("6.1390788923144304e+16");
        assertThat(AssignmentCasts.floatText(1e14, false)).isEqualTo("100000000000000");
        assertThat(AssignmentCasts.floatText(1234567890123456.0, false)).isEqualTo("1.234567890123456e+15");
        assertThat(AssignmentCasts.floatText(0.0001, false)).isEqualTo("0.0001");
        assertThat(AssignmentCasts.floatText(0.00001, false)).isEqualTo("1e-05");
        assertThat(AssignmentCasts.floatText(1.5e-300, false)).isEqualTo("1.5e-300");
        assertThat(AssignmentCasts.floatText(-0.0, false)).isEqualTo("-0");
        assertThat(AssignmentCasts.floatText(Double.NaN, false)).isEqualTo("NaN");
        assertThat(AssignmentCasts.floatText(Double.NEGATIVE_INFINITY, false)).isEqualTo("-Infinity");
        assertThat(AssignmentCasts.floatText(1e6f, true)).isEqualTo("1e+06");
        assertThat(AssignmentCasts.floatText(999999f, true)).isEqualTo("999999");
        assertThat(AssignmentCasts.floatText(1e20f, true)).isEqualTo("1e+20");
        assertThat(AssignmentCasts.floatText(2.0E-3, false)).isEqualTo("0.002");
    }

    @Test
    void floatTextReadsBackAsTheSameValue() {
        qt().withExamples(2000).forAll(doubles().any())
                .check(d -> Double.isNaN(d) || Double.compare(Double.parseDouble(
                        AssignmentCasts.floatText(d, false)), d) == 0);
        qt().withExamples(2000).forAll(floats().any())
                .check(f -> Float.isNaN(f) || Float.compare(Float.parseFloat(
                        AssignmentCasts.floatText(f, true)), f) == 0);
    }

    @Test
    void floatsToIntegersRoundHalfToEvenAndNumericsHalfAwayFromZero() throws SQLException {
        assertThat(cast(PlaintextType.INT, 2.5)).isEqualTo(2L);
        assertThat(cast(PlaintextType.INT, 3.5)).isEqualTo(4L);
        assertThat(cast(PlaintextType.INT, -2.5)).isEqualTo(-2L);
        assertThat(cast(PlaintextType.INT, 2.5f)).isEqualTo(2L);
        assertThat(cast(PlaintextType.INT, 1.25)).isEqualTo(1L);
        assertThat(cast(PlaintextType.INT, new BigDecimal("2.5"))).isEqualTo(3L);
        assertThat(cast(PlaintextType.INT, new BigDecimal("-2.5"))).isEqualTo(-3L);
        assertThat(cast(PlaintextType.BIGINT, new BigDecimal("12.5"))).isEqualTo(13L);
        assertThat(cast(PlaintextType.SMALLINT, 7)).isEqualTo(7L);
        assertThat(cast(PlaintextType.INT, "42")).isEqualTo("42");
        assertThat(cast(PlaintextType.INT, true)).isEqualTo(true); // no assignment cast: the cipher decides
    }

    @Test
    void integerRangeErrorsAre22003AndQuoteNoValue() {
        for (Object v : new Object[] {32767.5, 40_000, new BigDecimal("32767.5"), Double.NaN}) {
            assertThatThrownBy(() -> cast(PlaintextType.SMALLINT, v)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22003"))
                    .hasMessageNotContaining(String.valueOf(v));
        }
        assertThatThrownBy(() -> cast(PlaintextType.INT, 5_000_000_000L)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> cast(PlaintextType.BIGINT, 1e19)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> cast(PlaintextType.BIGINT, Double.POSITIVE_INFINITY))
                .hasMessageContaining("out of range");
    }

    @Test
    void realRefusesAnUnderflow() throws SQLException {
        assertThatThrownBy(() -> cast(PlaintextType.REAL, 1e-50)).hasMessageContaining("out of range");
        assertThat(cast(PlaintextType.REAL, 1.25)).isEqualTo(1.25);
        assertThat(cast(PlaintextType.REAL, 0.0)).isEqualTo(0.0);
    }

    @Test
    void decimalIsLeftToTheContractsRule() throws SQLException {
        // docs/configuration.md, decimal: a value that would need rounding to the scale is refused (by the cipher), so no cast
        // rounds to the scale here
        assertThat(cast(PlaintextType.DECIMAL, new BigDecimal("12.555"))).isEqualTo(new BigDecimal("12.555"));
        assertThat(cast(PlaintextType.DECIMAL, 1.005)).isEqualTo(new BigDecimal("1.005"));
    }

    @Test
    void floatsBecomeTheNumericPostgreSqlsCastMakes() throws SQLException {
        // float4 -> numeric prints 6 significant digits, float8 -> numeric 15 (select 16777216::real::numeric)
        assertThat(cast(PlaintextType.DECIMAL, 16777216f)).isEqualTo(new BigDecimal("1.67772E+7"));
        assertThat(cast(PlaintextType.DECIMAL, 0.1f)).isEqualTo(new BigDecimal("0.1"));
        assertThat(cast(PlaintextType.DECIMAL, 0.1 + 0.2)).isEqualTo(new BigDecimal("0.3"));
        assertThat(cast(PlaintextType.DECIMAL, 1.0000000000000002)).isEqualTo(BigDecimal.ONE);
        assertThat(cast(PlaintextType.DECIMAL, 123456789.123456789)).isEqualTo(new BigDecimal("123456789.123457"));
        assertThat(cast(PlaintextType.DECIMAL, Double.NaN)).isEqualTo(Double.NaN); // the cipher refuses it
    }

    @Test
    void dateAndTimeCasts() throws SQLException {
        LocalDateTime ldt = LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000);
        OffsetDateTime late = OffsetDateTime.of(2024, 2, 29, 23, 45, 30, 0, ZoneOffset.ofHours(-2));
        assertThat(cast(PlaintextType.DATE, ldt)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(cast(PlaintextType.DATE, Timestamp.valueOf(ldt))).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(cast(PlaintextType.DATE, late)).isEqualTo(LocalDate.of(2024, 3, 1)); // 07:15 +05:30
        assertThat(cast(PlaintextType.TIME, ldt)).isEqualTo(LocalTime.of(13, 45, 30, 123_456_000));
        assertThat(cast(PlaintextType.TIME, Timestamp.valueOf(ldt))).isEqualTo(LocalTime.of(13, 45, 30, 123_456_000));
        assertThat(cast(PlaintextType.TIME, late)).isEqualTo(LocalTime.of(7, 15, 30));
        assertThat(cast(PlaintextType.TIMESTAMP, LocalDate.of(2024, 2, 29))).isEqualTo(LocalDateTime.of(2024, 2, 29, 0, 0));
        assertThat(cast(PlaintextType.TIMESTAMP, java.sql.Date.valueOf("2024-02-29")))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 0, 0));
        assertThat(cast(PlaintextType.TIMESTAMP, late)).isEqualTo(LocalDateTime.of(2024, 3, 1, 7, 15, 30));
        assertThat(cast(PlaintextType.TIMESTAMPTZ, LocalDate.of(2024, 2, 29)))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 0, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(cast(PlaintextType.TIMESTAMPTZ, ldt))
                .isEqualTo(OffsetDateTime.of(ldt, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(cast(PlaintextType.TIMESTAMPTZ, java.sql.Date.valueOf("2024-02-29")))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 0, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        // no cast: left for the cipher to refuse, as the server refuses time -> date
        assertThat(cast(PlaintextType.DATE, LocalTime.NOON)).isEqualTo(LocalTime.NOON);
    }

    @Test
    void nullStaysNull() throws SQLException {
        for (PlaintextType type : PlaintextType.values()) {
            assertThat(cast(type, null)).isNull();
        }
    }
}
