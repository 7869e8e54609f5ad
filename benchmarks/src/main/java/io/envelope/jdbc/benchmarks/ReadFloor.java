package io.envelope.jdbc.benchmarks;

import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What decrypting a value inside a 100-row read costs through envelope-jdbc, against the floor of doing it by hand
 * with the raw JCE primitive of each mode (issue 14's read target). It runs the 100-row reads of
 * {@link InProcessOverheadBenchmark} ({@code sized}, {@code envelope}) and of {@link RawCryptoReadBenchmark}
 * ({@code raw}) in one process, the three variants alternated round by round, so they share every drift of the
 * machine (JMH runs them minutes apart, and on a shared VM the same benchmark moves by a fifth between forks).
 * Each round times a batch of reads per variant in client-thread CPU time; warm-up rounds are discarded. Per value:
 * {@code (envelope − sized) / n} and {@code (raw − sized) / n}, from the medians of the timed rounds, and their
 * ratio taken round by round (median and quartiles), since this VM changes speed between rounds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.envelope.jdbc.benchmarks.ReadFloor [rounds] [warm-up seconds]
 * </pre>
 */
public final class ReadFloor {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int READS_PER_ROUND = 400;

    /** One way of reading 100 rows. */
    @FunctionalInterface
    private interface Read {
        void run(Blackhole bh) throws Exception;
    }

    private record Shape(String title, int values, Map<String, Read> variants) {
    }

    private ReadFloor() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        double warmupSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        // The JMH-documented way to use a Blackhole outside a JMH run: it keeps the JIT from dropping the reads.
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        InProcessOverheadBenchmark sized = new InProcessOverheadBenchmark();
        sized.variant = "sized";
        sized.setUp();
        InProcessOverheadBenchmark envelope = new InProcessOverheadBenchmark();
        envelope.variant = "envelope";
        envelope.setUp();
        RawCryptoReadBenchmark raw = new RawCryptoReadBenchmark();
        raw.setUp();

        List<Shape> shapes = List.of(
                new Shape("randomized (AES-GCM), 100 values", 100,
                        variants(sized::read100Randomized, envelope::read100Randomized, raw::read100Randomized)),
                new Shape("deterministic (HMAC-SHA-256 + AES-CBC), 100 values", 100,
                        variants(sized::read100Deterministic, envelope::read100Deterministic,
                                raw::read100Deterministic)),
                new Shape("both columns, 200 values", 200, variants(sized::read100, envelope::read100, raw::read100)));

        System.out.printf("read floor: java %s, %d timed rounds of %d reads per variant after %.0f s of warm-up%n",
                System.getProperty("java.version"), rounds, READS_PER_ROUND, warmupSeconds);
        System.out.println();
        System.out.println("| 100-row read | sized µs/read | envelope µs/read | raw µs/read | envelope µs/value"
                + " | raw µs/value | envelope/raw per value (quartiles) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Shape shape : shapes) {
            Map<String, double[]> perRead = measure(shape, rounds, warmupSeconds, bh);
            double[] sizedRounds = perRead.get("sized");
            double[] envelopeRounds = perRead.get("envelope");
            double[] rawRounds = perRead.get("raw");
            // the ratio of each round, whose three variants ran within the same second, so a machine that changes
            // speed between rounds moves all three together and leaves the ratio alone
            double[] ratios = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                ratios[i] = (envelopeRounds[i] - sizedRounds[i]) / (rawRounds[i] - sizedRounds[i]);
            }
            Arrays.sort(ratios);
            double s = Throughput.median(sizedRounds);
            double e = Throughput.median(envelopeRounds);
            double r = Throughput.median(rawRounds);
            System.out.printf("| %s | %.2f | %.2f | %.2f | %.3f | %.3f | **%.2f** (%.2f–%.2f) |%n",
                    shape.title, s, e, r, (e - s) / shape.values, (r - s) / shape.values,
                    Throughput.median(ratios), ratios[rounds / 4], ratios[(3 * rounds) / 4]);
        }
        sized.tearDown();
        envelope.tearDown();
        raw.tearDown();
    }

    private static Map<String, Read> variants(Read sized, Read envelope, Read raw) {
        Map<String, Read> m = new LinkedHashMap<>();
        m.put("sized", sized);
        m.put("envelope", envelope);
        m.put("raw", raw);
        return m;
    }

    /** Client-thread CPU µs per read of each variant, one entry per timed round, in the order of the rounds. */
    private static Map<String, double[]> measure(Shape shape, int rounds, double warmupSeconds, Blackhole bh)
            throws Exception {
        List<String> names = new ArrayList<>(shape.variants.keySet());
        Map<String, double[]> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, new double[rounds]));
        long warmupEnds = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int round = 0;
        int timed = 0;
        while (timed < rounds) {
            boolean warmingUp = System.nanoTime() < warmupEnds || round < 3;
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((round + i) % names.size()); // rotate who goes first
                Read read = shape.variants.get(name);
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                for (int n = 0; n < READS_PER_ROUND; n++) {
                    read.run(bh);
                }
                long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
                if (!warmingUp) {
                    out.get(name)[timed] = cpu / 1e3 / READS_PER_ROUND;
                }
            }
            if (!warmingUp) {
                timed++;
            }
            round++;
        }
        return out;
    }
}
