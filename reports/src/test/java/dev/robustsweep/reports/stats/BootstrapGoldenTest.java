package dev.robustsweep.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * PercentileBootstrap against an independent Python implementation of the same documented scheme
 * (src/test/resources/bootstrap/make_golden.py: its own SplitMix64, numpy.median, numpy.quantile).
 * The resampling is identical, so the bounds agree to floating-point rounding (1e-12 absolute).
 */
class BootstrapGoldenTest {

    static ToDoubleFunction<List<double[][]>> statistic(String kind) {
        return switch (kind) {
            case "median" -> s -> median(PercentileBootstrap.values(s.get(0), 0));
            case "inverse" -> s -> 1.0 / median(PercentileBootstrap.values(s.get(0), 0));
            case "mean_medians" -> s -> s.stream().mapToDouble(t -> median(PercentileBootstrap.values(t, 0))).average().orElse(Double.NaN);
            case "paired_diff" -> s -> s.stream().mapToDouble(t -> median(PercentileBootstrap.values(t, 0))
                    - median(PercentileBootstrap.values(t, 1))).average().orElse(Double.NaN);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return Quantile.median(s);
    }

    @Test
    void matchesTheIndependentPythonComputation() throws Exception {
        JsonNode root;
        try (InputStream in = BootstrapGoldenTest.class.getResourceAsStream("/bootstrap/golden.json")) {
            root = new ObjectMapper().readTree(in);
        }
        assertTrue(root.get("cases").size() >= 8);
        boolean sawDefaultB = false;
        double worst = 0;
        for (JsonNode c : root.get("cases")) {
            List<double[][]> strata = new ArrayList<>();
            for (JsonNode s : c.get("strata")) {
                double[][] rows = new double[s.size()][];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = new double[s.get(i).size()];
                    for (int j = 0; j < rows[i].length; j++) {
                        rows[i][j] = s.get(i).get(j).asDouble();
                    }
                }
                strata.add(rows);
            }
            int b = c.get("resamples").asInt();
            sawDefaultB |= b == PercentileBootstrap.DEFAULT_RESAMPLES;
            BootstrapInterval ci = new PercentileBootstrap(b, c.get("seed").asLong(), c.get("confidence").asDouble())
                    .interval(strata, statistic(c.get("kind").asText()));
            String id = c.get("id").asText();
            assertEquals(c.get("estimate").asDouble(), ci.estimate(), 1e-12, id + " estimate");
            assertEquals(c.get("lower").asDouble(), ci.lower(), 1e-12, id + " lower");
            assertEquals(c.get("upper").asDouble(), ci.upper(), 1e-12, id + " upper");
            worst = Math.max(worst, Math.max(Math.abs(c.get("lower").asDouble() - ci.lower()),
                    Math.abs(c.get("upper").asDouble() - ci.upper())));
        }
        assertTrue(sawDefaultB, "one case with the default B = 10,000");
        System.out.println("bootstrap golden: " + root.get("cases").size() + " cases, max |bound error| " + worst);
    }

    @Test
    void sameSeedSameIntervalOtherSeedOtherInterval() {
        List<double[][]> s = List.<double[][]>of(PercentileBootstrap.column(new double[] {0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.65, 0.4}));
        BootstrapInterval a = new PercentileBootstrap(500, 9, 0.95).interval(s, statistic("median"));
        BootstrapInterval b = new PercentileBootstrap(500, 9, 0.95).interval(s, statistic("median"));
        BootstrapInterval c = new PercentileBootstrap(500, 10, 0.8).interval(s, statistic("median"));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.lower() <= a.estimate() && a.estimate() <= a.upper());
    }

    @Test
    void emptyStratumIsNa() {
        BootstrapInterval ci = new PercentileBootstrap(100, 1, 0.95).interval(List.<double[][]>of(new double[0][]), statistic("median"));
        assertTrue(!ci.defined() && Double.isNaN(ci.estimate()));
    }

    @Test
    void splitMix64MatchesTheReferenceVector() {
        // first outputs for seed 1234567 from the reference C implementation (Vigna, prng.di.unimi.it/splitmix64.c)
        SplitMix64 r = new SplitMix64(1234567L);
        assertEquals(6457827717110365317L, r.nextLong());
        assertEquals(3203168211198807973L, r.nextLong());
    }
}
