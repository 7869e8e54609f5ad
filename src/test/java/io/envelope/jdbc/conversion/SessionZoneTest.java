package io.envelope.jdbc.conversion;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The session time zone as PostgreSQL reports it (what {@code current_setting('TimeZone')} showed after each
 * {@code SET TIME ZONE} on PostgreSQL 15), and PostgreSQL's rule for local times in DST gaps and overlaps.
 */
class SessionZoneTest {

    @Test
    void postgreSqlZoneSettingsReadAsPostgreSqlReadsThem() throws Exception {
        assertThat(SessionZone.parse("UTC")).isEqualTo(ZoneId.of("UTC"));
        assertThat(SessionZone.parse("America/New_York")).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(SessionZone.parse("Etc/GMT+5")).isEqualTo(ZoneId.of("Etc/GMT+5"));
        assertThat(SessionZone.parse("EST5EDT")).isEqualTo(ZoneId.of("EST5EDT"));
        // SET TIME ZONE 3 and SET TIME ZONE '+3' report <+03>-03 (POSIX: west of Greenwich is positive)
        assertThat(SessionZone.parse("<+03>-03")).isEqualTo(ZoneOffset.ofHours(3));
        assertThat(SessionZone.parse("<+05:30>-05:30")).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
        // SET TIME ZONE 'UTC+3' is three hours behind UTC (to_char(now(), 'OF') gives -03); java.time reads +03
        assertThat(SessionZone.parse("UTC+3")).isEqualTo(ZoneOffset.ofHours(-3));
        assertThat(SessionZone.parse("GMT+5")).isEqualTo(ZoneOffset.ofHours(-5));
        assertThat(SessionZone.parse("-03:30")).isEqualTo(ZoneOffset.ofHoursMinutes(3, 30));
    }

    @Test
    void aZoneTheJvmDoesNotKnowIsRefused() {
        assertThatThrownBy(() -> SessionZone.parse("Mars/Olympus_Mons")).hasMessageStartingWith("envelope-jdbc: ")
                .hasMessageContaining("SET TIME ZONE");
    }

    @Test
    void gapsTakeTheOffsetBeforeAndOverlapsTheOffsetAfterAsPostgreSqlDoes() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // select '2024-11-03 01:30'::timestamp::timestamptz -> 2024-11-03 01:30:00-05 (session America/New_York)
        assertThat(SessionZone.atZone(LocalDateTime.of(2024, 11, 3, 1, 30), newYork).getOffset())
                .isEqualTo(ZoneOffset.ofHours(-5));
        // select '2024-03-10 02:30'::timestamp::timestamptz -> 2024-03-10 03:30:00-04
        assertThat(SessionZone.atZone(LocalDateTime.of(2024, 3, 10, 2, 30), newYork).toString())
                .isEqualTo("2024-03-10T03:30-04:00");
    }
}
