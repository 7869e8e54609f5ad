package io.envelope.jdbc.it.conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reproductions of the review's time zone, calendar and number findings, each against pgJDBC on a plaintext
 * twin and against the value the review expected: the JVM in New York, the session in another zone (as a pool's
 * {@code connectionInitSql = SET TIME ZONE 'UTC'} leaves it).
 */
class TimeZoneAndNumberTwinIT {

    private static Twin twin;
    private static TimeZone jvmZone;

    @BeforeAll
    static void setUp() throws Exception {
        jvmZone = TimeZone.getDefault();
        twin = new Twin("tztwin", List.of(new String[] {"c_tz", "timestamptz"}, new String[] {"c_ts", "timestamp"},
                new String[] {"c_date", "date"}, new String[] {"c_r", "real"}, new String[] {"c_d", "double precision"},
                new String[] {"c_n", "numeric(12,2)"}), """
                      c_tz:   { type: timestamptz, mode: deterministic }
                      c_ts:   { type: timestamp }
                      c_date: { type: date }
                      c_r:    { type: real }
                      c_d:    { type: double }
                      c_n:    { type: decimal, scale: 2, precision: 12 }
                """);
    }

    @AfterAll
    static void tearDown() throws Exception {
        twin.close();
    }

    @BeforeEach
    void newYorkJvm() {
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterEach
    void restoreJvmZone() {
        TimeZone.setDefault(jvmZone);
    }

    private static Calendar utc() {
        return new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    }

    /** Runs on both sides, asserts the same answers, and returns them. */
    private static List<String> same(String column, Twin.Setter setter, Twin.NamedGetter... getters) {
        Twin.Side[] sides = twin.run(column, setter, List.of(getters));
        assertThat(sides[0].failed()).as("pgJDBC: " + sides[0].failureMessage()).isFalse();
        assertThat(sides[1].failed()).as("envelope-jdbc: " + sides[1].failureMessage()).isFalse();
        assertThat(sides[1].answers()).isEqualTo(sides[0].answers());
        return sides[1].answers();
    }

    private static Twin.NamedGetter offsetDateTime() {
        return new Twin.NamedGetter("odt", rs -> rs.getObject(1, OffsetDateTime.class));
    }

    private static Twin.NamedGetter text() {
        return new Twin.NamedGetter("text", rs -> rs.getString(1));
    }

    @Test
    void aLocalDateTimeIntoTimestamptzIsReadInTheSessionZoneNotTheJvms() throws Exception {
        twin.sessionZone("UTC");
        assertThat(same("c_tz", (ps, i) -> ps.setObject(i, LocalDateTime.of(2024, 1, 1, 12, 0)), offsetDateTime()))
                .containsExactly("odt=OffsetDateTime(2024-01-01T12:00Z)"); // 0.1.0 stored 17:00Z (New York)
        // SET TIME ZONE later in the session is followed (PostgreSQL reports it; no query per statement)
        twin.sessionZone("Asia/Kolkata");
        assertThat(same("c_tz", (ps, i) -> ps.setObject(i, LocalDateTime.of(2024, 1, 1, 12, 0)), offsetDateTime(),
                text())).containsExactly("odt=OffsetDateTime(2024-01-01T06:30Z)",
                "text=String(2024-01-01 12:00:00+05:30)");
    }

    @Test
    void anOffsetDateTimeIntoTimestampIsConvertedInTheSessionZone() throws Exception {
        twin.sessionZone("UTC");
        OffsetDateTime noonPlusTwo = OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2));
        assertThat(same("c_ts", (ps, i) -> ps.setObject(i, noonPlusTwo), text()))
                .containsExactly("text=String(2024-01-01 10:00:00)"); // 0.1.0 stored 06:00 (New York)
    }

    @Test
    void anAmbiguousDstHourTakesTheOffsetAfterTheTransitionAsPostgreSqlDoes() throws Exception {
        twin.sessionZone("America/New_York");
        // 2024-11-03 01:30 happens twice in New York; PostgreSQL takes standard time (-05), java.time the earlier
        assertThat(same("c_tz", (ps, i) -> ps.setObject(i, LocalDateTime.of(2024, 11, 3, 1, 30)), offsetDateTime()))
                .containsExactly("odt=OffsetDateTime(2024-11-03T06:30Z)");
        // a time in the spring gap takes the offset before it
        assertThat(same("c_tz", (ps, i) -> ps.setObject(i, LocalDateTime.of(2024, 3, 10, 2, 30)), offsetDateTime()))
                .containsExactly("odt=OffsetDateTime(2024-03-10T07:30Z)");
    }

    @Test
    void setDateWithACalendarOnTimestamptzHonoursTheCalendar() throws Exception {
        twin.sessionZone("UTC");
        assertThat(same("c_tz", (ps, i) -> ps.setDate(i, Date.valueOf("2024-02-29"), utc()), offsetDateTime()))
                .containsExactly("odt=OffsetDateTime(2024-02-29T00:00Z)"); // 0.1.0: 05:00Z, the JVM's midnight
    }

    @Test
    void datesBefore1582WithACalendarReadBackAsPgJdbcReadsThem() throws Exception {
        twin.sessionZone("UTC");
        // the Date of getDate(d, utc) is midnight UTC: its fields in UTC (a GregorianCalendar, Julian in 1500)
        Twin.NamedGetter withCalendar = new Twin.NamedGetter("getDate(utc)", rs -> {
            Calendar c = utc();
            c.setTime(rs.getDate(1, utc()));
            return c.get(Calendar.YEAR) + "-" + (c.get(Calendar.MONTH) + 1) + "-" + c.get(Calendar.DAY_OF_MONTH);
        });
        assertThat(same("c_date", (ps, i) -> ps.setDate(i, Date.valueOf("1500-03-01"), utc()), text(), withCalendar))
                .containsExactly("text=String(1500-03-01)", "getDate(utc)=String(1500-3-1)");
        Twin.NamedGetter timestamp = new Twin.NamedGetter("getTimestamp(utc)", rs -> rs.getTimestamp(1, utc()));
        same("c_ts", (ps, i) -> ps.setTimestamp(i, Timestamp.valueOf("1500-03-01 12:00:00"), utc()), text(),
                timestamp);
        same("c_tz", (ps, i) -> ps.setTimestamp(i, Timestamp.valueOf("1000-06-15 08:00:00"), utc()), text(),
                timestamp, offsetDateTime());
    }

    @Test
    void getDateOfATimestampInAGapOfTheJvmsZoneMovesAsPgJdbcMovesIt() throws Exception {
        // found by RandomValuesConformanceIT: 1919-03-01 23:51:57 does not exist in the JVM's Europe/Amsterdam
        // (its legacy time zone data), so pgJDBC's calendar moves it into 2 March before taking the date
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Amsterdam"));
        twin.sessionZone("UTC");
        same("c_ts", (ps, i) -> ps.setObject(i, LocalDateTime.of(1919, 3, 1, 23, 51, 57, 787_546_446)),
                new Twin.NamedGetter("getDate", rs -> rs.getDate(1)),
                new Twin.NamedGetter("getTimestamp", rs -> rs.getTimestamp(1)),
                new Twin.NamedGetter("getTime", rs -> rs.getTime(1)));
    }

    @Test
    void getDoubleOnARealIsTheRealsTextAsPgJdbcReadsIt() throws Exception {
        assertThat(same("c_r", (ps, i) -> ps.setFloat(i, 0.1f),
                new Twin.NamedGetter("getDouble", rs -> rs.getDouble(1))))
                .containsExactly("getDouble=Double(0.1)"); // 0.1.0: 0.10000000149011612
    }

    @Test
    void aFloatIntoADecimalColumnTakesPostgreSqlsCast() throws Exception {
        assertThat(same("c_n", (ps, i) -> ps.setFloat(i, 16777216f),
                new Twin.NamedGetter("getBigDecimal", rs -> rs.getBigDecimal(1))))
                .containsExactly("getBigDecimal=BigDecimal(16777200.00)"); // 0.1.0: 16777216.00
        assertThat(same("c_n", (ps, i) -> ps.setDouble(i, 0.1 + 0.2),
                new Twin.NamedGetter("getBigDecimal", rs -> rs.getBigDecimal(1))))
                .containsExactly("getBigDecimal=BigDecimal(0.30)"); // 0.1.0 refused 0.30000000000000004
    }

    @Test
    void longAndBigDecimalGettersOnADoubleDeriveFromItsExactText() throws Exception {
        assertThat(same("c_d", (ps, i) -> ps.setDouble(i, 6.1390788923144304E16),
                new Twin.NamedGetter("getLong", rs -> rs.getLong(1)),
                new Twin.NamedGetter("getBigDecimal", rs -> rs.getBigDecimal(1)),
                new Twin.NamedGetter("getString", rs -> rs.getString(1))))
                .containsExactly("getLong=Long(61390788923144304)", "getBigDecimal=BigDecimal(61390788923144304)",
                        "getString=String(6.1390788923144304e+16)");
    }
}
