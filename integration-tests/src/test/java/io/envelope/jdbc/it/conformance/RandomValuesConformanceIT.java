package io.envelope.jdbc.it.conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random date/time and number values through every common setter into an encrypted column and a plaintext twin
 * (pgJDBC on the real SQL type), read back with every getter: the answers must be the same, except for the four
 * documented decisions (README "Limits, honestly"; conformance/value-differences.txt):
 * <ol>
 *   <li><b>decimal scale</b>: a value whose numeric form needs rounding to the column's scale is refused
 *       (PostgreSQL rounds it);</li>
 *   <li><b>negative zero</b>: -0.0 in a double/real column is stored as 0.0 (the two are equal in SQL, so they
 *       must encrypt alike for deterministic lookups; docs/format.md §4);</li>
 *   <li><b>a pgJDBC failure</b>: its getObject(OffsetDateTime) throws for a BC February 29; the wrapper answers;</li>
 *   <li><b>time zone data</b>: conversions in the session's time zone use the JVM's time-zone database; where it
 *       disagrees with the server's (local mean time before a zone's first transition, some historical offsets,
 *       depending on the two tzdata builds) the answer follows the JVM's. Each such row is checked to be one where
 *       the two databases do disagree near the value.</li>
 * </ol>
 * Time zones: the JVM's and the session's are drawn per block, including DST zones and zones whose local mean
 * time differs between builds (Europe/Amsterdam before 1940, America/New_York before 1883). The number of values
 * is {@code -Denvelope.conformance.values=N} (or ENVELOPE_CONFORMANCE_VALUES), 4,000 by default.
 */
class RandomValuesConformanceIT {

    private static final List<String> ZONES = List.of("UTC", "America/New_York", "Europe/Amsterdam", "Asia/Kolkata",
            "Australia/Lord_Howe", "America/St_Johns", "Europe/Moscow", "America/Sao_Paulo");
    private static final List<String> CALENDAR_ZONES = List.of("UTC", "America/New_York", "Europe/Amsterdam",
            "Asia/Tokyo", "GMT+05:30", "America/Los_Angeles", "Australia/Lord_Howe");
    private static final int BLOCK = 200;

    private static Twin twin;
    private static TimeZone jvmZone;

    @BeforeAll
    static void setUp() throws Exception {
        jvmZone = TimeZone.getDefault();
        twin = new Twin("randomconf", List.of(new String[] {"c_tz", "timestamptz"}, new String[] {"c_ts", "timestamp"},
                new String[] {"c_date", "date"}, new String[] {"c_time", "time"},
                new String[] {"c_d", "double precision"}, new String[] {"c_r", "real"},
                new String[] {"c_n", "numeric(12,2)"}), """
                      c_tz:   { type: timestamptz, mode: deterministic }
                      c_ts:   { type: timestamp }
                      c_date: { type: date, mode: deterministic }
                      c_time: { type: time }
                      c_d:    { type: double, mode: deterministic }
                      c_r:    { type: real }
                      c_n:    { type: decimal, scale: 2, precision: 12 }
                """);
    }

    @AfterAll
    static void tearDown() throws Exception {
        TimeZone.setDefault(jvmZone);
        twin.close();
    }

    static int valueCount() {
        String n = System.getProperty("envelope.conformance.values", System.getenv("ENVELOPE_CONFORMANCE_VALUES"));
        return n == null || n.isBlank() ? 4_000 : Integer.parseInt(n.trim());
    }

    /** One generated case: a setter for a column with the getters to compare, and how to check a zone claim. */
    record Case(String description, String column, Twin.Setter setter, List<Twin.NamedGetter> getters,
                Instant near) {
    }

    @Test
    void randomTimeAndNumberValuesAnswerAsPgJdbcOnAPlaintextTwin() throws Exception {
        int total = valueCount();
        Random random = new Random(Long.getLong("envelope.conformance.seed", System.nanoTime()));
        long seed = random.nextLong();
        random.setSeed(seed);
        Map<String, Integer> documented = new LinkedHashMap<>();
        List<String> undocumented = new ArrayList<>();
        int timeValues = 0;
        int numberValues = 0;
        int compared = 0;
        try {
            for (int done = 0; done < total; ) {
                String jvm = ZONES.get(random.nextInt(ZONES.size()));
                String session = ZONES.get(random.nextInt(ZONES.size()));
                TimeZone.setDefault(TimeZone.getTimeZone(jvm));
                twin.sessionZone(session);
                for (int i = 0; i < BLOCK && done < total; i++, done++) {
                    boolean time = random.nextBoolean();
                    Case c = time ? timeCase(random, ZoneId.of(jvm), ZoneId.of(session)) : numberCase(random);
                    if (time) {
                        timeValues++;
                    } else {
                        numberValues++;
                    }
                    Twin.Side[] sides = twin.run(c.column(), c.setter(), c.getters());
                    Twin.Side expected = sides[0];
                    Twin.Side actual = sides[1];
                    if (!expected.failed() && !actual.failed()) {
                        compared++;
                    }
                    boolean same = expected.failed() == actual.failed()
                            && (expected.failed() || expected.answers().equals(actual.answers()));
                    if (same) {
                        continue;
                    }
                    String where = "[jvm " + jvm + ", session " + session + "] " + c.description();
                    String decision = documentedDecision(c, expected, actual, ZoneId.of(session));
                    if (decision != null) {
                        documented.merge(decision, 1, Integer::sum);
                    } else if (undocumented.size() < 25) {
                        undocumented.add(where + "\n    pgJDBC:        " + describe(expected)
                                + "\n    envelope-jdbc: " + describe(actual));
                    } else {
                        undocumented.add("...");
                    }
                }
            }
        } finally {
            TimeZone.setDefault(jvmZone);
        }
        System.out.println("random conformance (seed " + seed + "): " + total + " values (" + timeValues
                + " date/time, " + numberValues + " number), " + compared + " accepted by both and compared;"
                + " documented differences " + documented + "; undocumented " + undocumented.size());
        assertThat(timeValues + numberValues).isEqualTo(total);
        assertThat(compared).as("most values are accepted by both and compared").isGreaterThan(total / 2);
        assertThat(undocumented).as("differences from pgJDBC that are no documented decision (seed " + seed + ")")
                .isEmpty();
        assertThat(documentedDecisions()).containsAll(documented.keySet());
    }

    /** The decisions listed in conformance/value-differences.txt. */
    static List<String> documentedDecisions() throws java.io.IOException {
        try (var in = RandomValuesConformanceIT.class.getResourceAsStream("/conformance/value-differences.txt")) {
            assertThat(in).as("conformance/value-differences.txt on the test class path").isNotNull();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        }
    }

    private static String describe(Twin.Side side) {
        return side.failed() ? "failed [" + side.failure() + "] " + side.failureMessage() : side.answers().toString();
    }

    /**
     * The documented decision a difference falls under, or null. A zone claim is checked against the server: it
     * holds only where the server's offsets of the session zone near the value differ from the JVM's.
     */
    private static String documentedDecision(Case c, Twin.Side expected, Twin.Side actual, ZoneId session)
            throws SQLException {
        if (c.column().equals("c_n") && !expected.failed() && actual.failed()
                && actual.failureMessage().contains("would need rounding")) {
            return "decimal value needing rounding to the scale refused";
        }
        if ((c.column().equals("c_d") || c.column().equals("c_r")) && !expected.failed() && !actual.failed()
                && expected.answers().get(0).equals("getString=String(-0)")
                && actual.answers().get(0).equals("getString=String(0)")) {
            return "negative zero stored as zero";
        }
        if (c.column().equals("c_tz") && pgJdbcFailsOnABcLeapDay(expected, actual)) {
            return "pgJDBC throws on a BC February 29 as OffsetDateTime";
        }
        if (c.near() != null && zoneDatabasesDiffer(session, c.near())) {
            return "session zone data of the JVM differs from the server's near the value";
        }
        return null;
    }

    /**
     * pgJDBC's getObject(OffsetDateTime) reads "0469-02-29 … BC" as year 469 before applying the era, and throws an
     * unchecked DateTimeException (469 is no leap year; 469 BC, year -468, is). Every other answer must agree.
     */
    private static boolean pgJdbcFailsOnABcLeapDay(Twin.Side expected, Twin.Side actual) {
        if (expected.failed() || actual.failed()) {
            return false;
        }
        List<String> e = expected.answers();
        List<String> a = actual.answers();
        int last = e.size() - 1;
        return e.get(last).equals("getObject(OffsetDateTime)=threw DateTimeException")
                && a.get(last).matches("getObject\\(OffsetDateTime\\)=OffsetDateTime\\(-\\d{4}-02-29T.*")
                && e.subList(0, last).equals(a.subList(0, last));
    }

    /** Whether the server's UTC offsets of {@code zone} within a day of {@code near} differ from the JVM's. */
    static boolean zoneDatabasesDiffer(ZoneId zone, Instant near) throws SQLException {
        try (PreparedStatement ps = twin.plain.prepareStatement("SELECT extract(epoch from g)::bigint,"
                + " extract(timezone from g)::int FROM generate_series(to_timestamp(?) - interval '1 day',"
                + " to_timestamp(?) + interval '1 day', interval '15 minutes') g")) {
            ps.setLong(1, near.getEpochSecond());
            ps.setLong(2, near.getEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int java = zone.getRules().getOffset(Instant.ofEpochSecond(rs.getLong(1))).getTotalSeconds();
                    if (java != rs.getInt(2)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ---- date/time cases ----------------------------------------------------------------------------------------

    private static LocalDateTime randomLocal(Random r, ZoneId near, boolean javaSqlSafe) {
        int kind = r.nextInt(20);
        LocalDateTime base;
        if (kind < 7) {
            List<ZoneOffsetTransition> transitions = near.getRules().getTransitions();
            if (transitions.isEmpty()) {
                base = LocalDateTime.of(1900 + r.nextInt(200), 1, 1, 0, 0).plusDays(r.nextInt(366));
            } else {
                base = transitions.get(r.nextInt(transitions.size())).getDateTimeBefore()
                        .plusMinutes(r.nextInt(181) - 90);
            }
        } else if (kind < 10) {
            base = LocalDateTime.of(1750 + r.nextInt(190), 1, 1, 0, 0).plusDays(r.nextInt(366))
                    .plusMinutes(r.nextInt(1440));
        } else if (kind < 12) {
            base = LocalDateTime.of(1 + r.nextInt(1600), 1, 1, 0, 0).plusDays(r.nextInt(366))
                    .plusMinutes(r.nextInt(1440));
        } else if (kind < 13 && !javaSqlSafe) {
            base = LocalDateTime.of(-800 + r.nextInt(801), 1, 1, 0, 0).plusDays(r.nextInt(366))
                    .plusMinutes(r.nextInt(1440));
        } else {
            base = LocalDateTime.of(1900 + r.nextInt(200), 1, 1, 0, 0).plusDays(r.nextInt(366))
                    .plusMinutes(r.nextInt(1440));
        }
        int nanos = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(1_000_000) * 1000;
            case 2 -> r.nextInt(1000) * 1_000_000;
            default -> r.nextInt(1_000_000_000);
        };
        return base.withSecond(r.nextInt(60)).withNano(nanos);
    }

    private static Calendar randomCalendar(Random r) {
        return new GregorianCalendar(TimeZone.getTimeZone(CALENDAR_ZONES.get(r.nextInt(CALENDAR_ZONES.size()))));
    }

    private static Case timeCase(Random r, ZoneId jvm, ZoneId session) {
        String column = List.of("c_tz", "c_ts", "c_date", "c_time").get(r.nextInt(4));
        ZoneId near = r.nextBoolean() ? session : jvm;
        LocalDateTime local = randomLocal(r, near, false);
        LocalDateTime safe = local.getYear() < 1 ? local.withYear(1 + r.nextInt(1000)) : local;
        Calendar setterCalendar = randomCalendar(r);
        Calendar getterCalendar = randomCalendar(r);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds((r.nextInt(105) - 48) * 15 * 60);
        int kind = r.nextInt(column.equals("c_time") ? 6 : 8);
        String setterName;
        Twin.Setter setter;
        if (column.equals("c_time")) {
            switch (kind) {
                case 0 -> { setterName = "setObject(LocalTime " + local.toLocalTime() + ")";
                    setter = (ps, i) -> ps.setObject(i, local.toLocalTime()); }
                case 1 -> { setterName = "setTime(" + safe.toLocalTime() + ")";
                    Time t = Time.valueOf(safe.toLocalTime());
                    setter = (ps, i) -> ps.setTime(i, t); }
                case 2 -> { setterName = "setTime(" + safe.toLocalTime() + ", cal " + setterCalendar.getTimeZone().getID() + ")";
                    Time t = Time.valueOf(safe.toLocalTime());
                    setter = (ps, i) -> ps.setTime(i, t, setterCalendar); }
                case 3 -> { setterName = "setObject(LocalDateTime " + local + ")";
                    setter = (ps, i) -> ps.setObject(i, local); }
                case 4 -> { setterName = "setObject(OffsetDateTime " + local.atOffset(offset) + ")";
                    setter = (ps, i) -> ps.setObject(i, local.atOffset(offset)); }
                default -> { setterName = "setTimestamp(" + safe + ")";
                    Timestamp ts = Timestamp.valueOf(safe);
                    setter = (ps, i) -> ps.setTimestamp(i, ts); }
            }
        } else {
            switch (kind) {
                case 0 -> { setterName = "setObject(LocalDateTime " + local + ")";
                    setter = (ps, i) -> ps.setObject(i, local); }
                case 1 -> { setterName = "setObject(OffsetDateTime " + local.atOffset(offset) + ")";
                    setter = (ps, i) -> ps.setObject(i, local.atOffset(offset)); }
                case 2 -> { setterName = "setObject(LocalDate " + local.toLocalDate() + ")";
                    setter = (ps, i) -> ps.setObject(i, local.toLocalDate()); }
                case 3 -> { setterName = "setTimestamp(" + safe + ")";
                    Timestamp ts = Timestamp.valueOf(safe);
                    setter = (ps, i) -> ps.setTimestamp(i, ts); }
                case 4 -> { setterName = "setTimestamp(" + safe + ", cal " + setterCalendar.getTimeZone().getID() + ")";
                    Timestamp ts = Timestamp.valueOf(safe);
                    setter = (ps, i) -> ps.setTimestamp(i, ts, setterCalendar); }
                case 5 -> { setterName = "setDate(" + safe.toLocalDate() + ")";
                    Date d = Date.valueOf(safe.toLocalDate());
                    setter = (ps, i) -> ps.setDate(i, d); }
                case 6 -> { setterName = "setDate(" + safe.toLocalDate() + ", cal " + setterCalendar.getTimeZone().getID() + ")";
                    Date d = Date.valueOf(safe.toLocalDate());
                    setter = (ps, i) -> ps.setDate(i, d, setterCalendar); }
                default -> { setterName = "setObject(Timestamp " + safe + ")";
                    Timestamp ts = Timestamp.valueOf(safe);
                    setter = (ps, i) -> ps.setObject(i, ts); }
            }
        }
        List<Twin.NamedGetter> getters = new ArrayList<>();
        getters.add(new Twin.NamedGetter("getString", rs -> rs.getString(1)));
        getters.add(new Twin.NamedGetter("getObject", rs -> rs.getObject(1)));
        String cal = "cal " + getterCalendar.getTimeZone().getID();
        if (!column.equals("c_time")) {
            getters.add(new Twin.NamedGetter("getDate", rs -> rs.getDate(1)));
            getters.add(new Twin.NamedGetter("getDate(" + cal + ")", rs -> rs.getDate(1, getterCalendar)));
            getters.add(new Twin.NamedGetter("getTimestamp", rs -> rs.getTimestamp(1)));
            getters.add(new Twin.NamedGetter("getTimestamp(" + cal + ")", rs -> rs.getTimestamp(1, getterCalendar)));
        }
        if (!column.equals("c_date")) {
            getters.add(new Twin.NamedGetter("getTime", rs -> rs.getTime(1)));
            getters.add(new Twin.NamedGetter("getTime(" + cal + ")", rs -> rs.getTime(1, getterCalendar)));
        }
        switch (column) {
            case "c_tz" -> getters.add(new Twin.NamedGetter("getObject(OffsetDateTime)",
                    rs -> rs.getObject(1, OffsetDateTime.class)));
            case "c_ts" -> {
                getters.add(new Twin.NamedGetter("getObject(LocalDateTime)", rs -> rs.getObject(1, LocalDateTime.class)));
                getters.add(new Twin.NamedGetter("getObject(LocalDate)", rs -> rs.getObject(1, LocalDate.class)));
            }
            case "c_date" -> getters.add(new Twin.NamedGetter("getObject(LocalDate)", rs -> rs.getObject(1, LocalDate.class)));
            default -> getters.add(new Twin.NamedGetter("getObject(LocalTime)", rs -> rs.getObject(1, LocalTime.class)));
        }
        Instant nearInstant = local.atZone(session).toInstant();
        return new Case(column + " " + setterName + " read with " + cal, column, setter, getters, nearInstant);
    }

    // ---- number cases -------------------------------------------------------------------------------------------

    private static double randomDouble(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> {
                double d = Double.longBitsToDouble(r.nextLong());
                yield Double.isFinite(d) ? d : r.nextGaussian();
            }
            case 1 -> Double.longBitsToDouble(r.nextLong() & 0x000fffffffffffffL) * (r.nextBoolean() ? 1 : -1);
            case 2 -> (double) (r.nextLong() >> r.nextInt(64));
            case 3 -> Math.scalb(1.0, r.nextInt(200) - 100) + (r.nextBoolean() ? Math.ulp(1.0) : 0);
            case 4 -> Math.pow(10, r.nextInt(40) - 20) * (r.nextBoolean() ? 1 : -1);
            case 5 -> (r.nextInt(2_000_001) - 1_000_000) / 100.0;
            case 6 -> (double) (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
            case 7 -> (double) ((1L << 53) + r.nextInt(2001) - 1000);
            case 8 -> r.nextBoolean() ? 0.0 : -0.0;
            case 9 -> r.nextDouble() * 1e10;
            case 10 -> 0.1 * r.nextInt(1000) + 0.2;
            default -> r.nextGaussian() * Math.pow(10, r.nextInt(600) - 300);
        };
    }

    private static float randomFloat(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> {
                float f = Float.intBitsToFloat(r.nextInt());
                yield Float.isFinite(f) ? f : (float) r.nextGaussian();
            }
            case 1 -> (float) ((1 << 24) + r.nextInt(2001) - 1000);
            case 2 -> (r.nextInt(2_000_001) - 1_000_000) / 100f;
            case 3 -> Math.scalb(1f, r.nextInt(100) - 50);
            case 4 -> r.nextFloat() * 1e7f;
            case 5 -> Float.intBitsToFloat(r.nextInt() & 0x007fffff);
            default -> (float) (r.nextGaussian() * Math.pow(10, r.nextInt(60) - 30));
        };
    }

    private static BigDecimal randomDecimal(Random r) {
        int scale = r.nextInt(10) == 0 ? 3 : r.nextInt(3);
        long unscaled = (long) (r.nextDouble() * Math.pow(10, 1 + r.nextInt(10))) * (r.nextBoolean() ? 1 : -1);
        return BigDecimal.valueOf(unscaled, scale);
    }

    private static Case numberCase(Random r) {
        String column = List.of("c_d", "c_r", "c_n").get(r.nextInt(3));
        String setterName;
        Twin.Setter setter;
        switch (r.nextInt(column.equals("c_n") ? 6 : 5)) {
            case 0 -> { double d = column.equals("c_r") ? (double) randomFloat(r) : randomDouble(r);
                setterName = "setDouble(" + d + ")"; setter = (ps, i) -> ps.setDouble(i, d); }
            case 1 -> { float f = randomFloat(r); setterName = "setFloat(" + f + "f)";
                setter = (ps, i) -> ps.setFloat(i, f); }
            case 2 -> { long l = r.nextLong() >> r.nextInt(64); setterName = "setLong(" + l + ")";
                setter = (ps, i) -> ps.setLong(i, l); }
            case 3 -> { Object o = column.equals("c_r") ? (Object) randomFloat(r) : (Object) randomDouble(r);
                setterName = "setObject(" + o + ")"; setter = (ps, i) -> ps.setObject(i, o); }
            case 4 -> { BigDecimal bd = column.equals("c_n") ? randomDecimal(r)
                    : new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(30) - 10);
                setterName = "setBigDecimal(" + bd + ")"; setter = (ps, i) -> ps.setBigDecimal(i, bd); }
            default -> { double d = (r.nextInt(2_000_001) - 1_000_000) / (r.nextBoolean() ? 100.0 : 1000.0);
                setterName = "setDouble(" + d + ")"; setter = (ps, i) -> ps.setDouble(i, d); }
        }
        List<Twin.NamedGetter> getters = List.of(
                new Twin.NamedGetter("getString", rs -> rs.getString(1)),
                new Twin.NamedGetter("getObject", rs -> rs.getObject(1)),
                new Twin.NamedGetter("getDouble", rs -> rs.getDouble(1)),
                new Twin.NamedGetter("getFloat", rs -> rs.getFloat(1)),
                new Twin.NamedGetter("getLong", rs -> rs.getLong(1)),
                new Twin.NamedGetter("getInt", rs -> rs.getInt(1)),
                new Twin.NamedGetter("getBigDecimal", rs -> rs.getBigDecimal(1)));
        return new Case(column + " " + setterName, column, setter, getters, null);
    }
}
