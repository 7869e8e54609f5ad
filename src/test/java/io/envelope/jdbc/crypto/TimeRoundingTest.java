package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.ColumnConfig;
import io.envelope.jdbc.config.PlaintextType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static io.envelope.jdbc.config.EncryptionMode.DETERMINISTIC;
import static io.envelope.jdbc.crypto.Fixtures.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Known answers for sub-microsecond rounding of time, timestamp and timestamptz values (docs/format.md §4). The
 * text vectors are what PostgreSQL 15 answered for {@code select '…'::time} (or timestamp/timestamptz): it
 * computes rint(fraction × 10^6) in binary64, half to even on the product. Java values are rounded half up at
 * 500 ns, as pgJDBC rounds them before sending.
 */
class TimeRoundingTest {

    private static final ColumnConfig TIME = column("t", DETERMINISTIC, PlaintextType.TIME);
    private static final ColumnConfig TIMESTAMP = column("ts", DETERMINISTIC, PlaintextType.TIMESTAMP);
    private static final ColumnConfig TIMESTAMPTZ = column("tz", DETERMINISTIC, PlaintextType.TIMESTAMPTZ);

    private static long encoded(Object value, ColumnConfig cfg) throws SQLException {
        byte[] p = Canonical.encode(value, cfg, "public.customers." + cfg.name());
        assertThat(p).hasSize(8);
        return ByteBuffer.wrap(p).getLong();
    }

    private static long micros(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
    }

    @Test
    void textRoundsAsPostgreSqlParsesIt() throws Exception {
        // select '00:00:00.0009995'::time → 00:00:00.001; .0000005 → 0; .0000015 → .000002; .0000025 → .000002
        assertThat(encoded("00:00:00.0009995", TIME)).isEqualTo(1000);
        assertThat(encoded("00:00:00.0000005", TIME)).isEqualTo(0);
        assertThat(encoded("00:00:00.0000015", TIME)).isEqualTo(2);
        assertThat(encoded("00:00:00.0000025", TIME)).isEqualTo(2);
        assertThat(encoded("00:00:00.0000035", TIME)).isEqualTo(4);
        assertThat(encoded("23:59:59.9999994", TIME)).isEqualTo(86_399_999_999L);
        LocalDateTime day = LocalDateTime.of(2020, 1, 1, 0, 0);
        assertThat(encoded("2020-01-01 00:00:00.0000025", TIMESTAMP)).isEqualTo(micros(day) + 2);
        assertThat(encoded("2020-01-01 00:00:00.0000015", TIMESTAMP)).isEqualTo(micros(day) + 2);
        assertThat(encoded("2020-01-01 00:00:00.1234565", TIMESTAMP)).isEqualTo(micros(day) + 123_456);
        // before 1970 (negative epoch): .9999995 rounds into the next second, and day, as the server does
        assertThat(encoded("1969-12-31 23:59:59.9999995", TIMESTAMP)).isEqualTo(0);
        assertThat(encoded("1960-01-01 00:00:00.0000005", TIMESTAMP))
                .isEqualTo(micros(LocalDateTime.of(1960, 1, 1, 0, 0)));
        assertThat(encoded("2020-01-01T00:00:00.0000025+00:00", TIMESTAMPTZ)).isEqualTo(micros(day) + 2);
        assertThat(encoded("2020-01-01 02:00:00.0009995+02:00", TIMESTAMPTZ)).isEqualTo(micros(day) + 1000);
    }

    @Test
    void javaValuesRoundHalfUpAsPgJdbcSendsThem() throws Exception {
        assertThat(encoded(LocalTime.ofNanoOfDay(2_500), TIME)).isEqualTo(3);
        assertThat(encoded(LocalTime.ofNanoOfDay(2_499), TIME)).isEqualTo(2);
        assertThat(encoded(LocalTime.ofNanoOfDay(999_500), TIME)).isEqualTo(1000);
        LocalDateTime day = LocalDateTime.of(2020, 1, 1, 0, 0);
        assertThat(encoded(day.plusNanos(2_500), TIMESTAMP)).isEqualTo(micros(day) + 3);
        assertThat(encoded(Timestamp.valueOf(day.plusNanos(1_500)), TIMESTAMP)).isEqualTo(micros(day) + 2);
        assertThat(encoded(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_500), TIMESTAMP)).isEqualTo(0);
        // 44 BC (proleptic year -43): rounding carries into the microsecond as after the epoch
        LocalDateTime bc = LocalDateTime.of(-43, 3, 15, 12, 0);
        assertThat(encoded(bc.plusNanos(2_500), TIMESTAMP)).isEqualTo(micros(bc) + 3);
        assertThat(encoded(bc.plusNanos(2_499), TIMESTAMP)).isEqualTo(micros(bc) + 2);
        assertThat(encoded(OffsetDateTime.of(day.plusNanos(999_999_500), ZoneOffset.UTC), TIMESTAMPTZ))
                .isEqualTo(micros(day) + 1_000_000);
    }

    @Test
    void valuesPostgreSqlStoresAlikeEncryptAlikeInADeterministicColumn() throws Exception {
        ColumnCipher cipher = Fixtures.seeded("t", TIME);
        DataKey key = Fixtures.key();
        assertThat(cipher.encrypt("00:00:00.0009995", key)).isEqualTo(cipher.encrypt(LocalTime.of(0, 0, 0, 1_000_000), key));
        assertThat(cipher.encrypt(LocalTime.ofNanoOfDay(999_500), key)).isEqualTo(cipher.encrypt("00:00:00.001", key));
    }

    @Test
    void aTimeThatRoundsTo24HoursIsRefused() {
        // PostgreSQL stores 24:00:00, which no LocalTime holds
        assertThatThrownBy(() -> encoded("23:59:59.9999995", TIME)).hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("24:00:00").hasMessageNotContaining("59.999");
        assertThatThrownBy(() -> encoded(LocalTime.MAX, TIME)).hasMessageContaining("24:00:00");
    }
}
