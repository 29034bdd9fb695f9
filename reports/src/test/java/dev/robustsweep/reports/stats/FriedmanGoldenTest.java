package dev.robustsweep.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FriedmanTest and StudentizedRange against scipy 1.17 (src/test/resources/friedman/golden.json, made by
 * make_golden.py next to it). Tolerances: chi2 and F 1e-12 relative, p 1e-10 absolute; studentized range
 * CDF 2e-8 absolute, quantile 1e-6 relative; Nemenyi CD 1e-6 relative.
 */
class FriedmanGoldenTest {
    private static JsonNode golden;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = FriedmanGoldenTest.class.getResourceAsStream("/friedman/golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    private static double df(JsonNode c) {
        return c.get("df").isNull() ? Double.POSITIVE_INFINITY : c.get("df").asDouble();
    }

    @Test
    void friedmanMatchesScipy() {
        assertTrue(golden.get("friedman").size() >= 10);
        for (JsonNode c : golden.get("friedman")) {
            JsonNode rows = c.get("data");
            double[][] data = new double[rows.size()][];
            for (int i = 0; i < data.length; i++) {
                data[i] = new double[rows.get(i).size()];
                for (int j = 0; j < data[i].length; j++) {
                    data[i][j] = rows.get(i).get(j).asDouble();
                }
            }
            for (boolean higher : new boolean[] {true, false}) {
                FriedmanResult r = FriedmanTest.test(data, higher, 0.05);
                String id = c.get("id").asText();
                double chi2 = c.get("chi2").asDouble();
                assertEquals(chi2, r.chiSquare(), 1e-12 * Math.max(1, chi2), id + " chi2");
                assertEquals(c.get("p").asDouble(), r.pValue(), 1e-10, id + " p");
                if (c.get("f").isNull()) {
                    assertEquals(Double.POSITIVE_INFINITY, r.imanDavenportF(), id + " F");
                } else {
                    double f = c.get("f").asDouble();
                    assertEquals(f, r.imanDavenportF(), 1e-12 * Math.max(1, f), id + " F");
                }
                assertEquals(c.get("pf").asDouble(), r.imanDavenportP(), 1e-10, id + " p(F)");
            }
        }
    }

    @Test
    void meanRanksPutTheBestFirst() {
        double[][] data = {{0.9, 0.5, 0.1}, {0.8, 0.6, 0.2}, {0.7, 0.7, 0.3}};
        FriedmanResult r = FriedmanTest.test(data, true, 0.05); // ranks (1,2,3), (1,2,3), (1.5,1.5,3)
        assertEquals(7.0 / 6, r.meanRanks()[0], 1e-15);
        assertEquals(11.0 / 6, r.meanRanks()[1], 1e-15);
        assertEquals(3.0, r.meanRanks()[2], 1e-15);
        FriedmanResult lower = FriedmanTest.test(data, false, 0.05); // ranks (3,2,1), (3,2,1), (2.5,2.5,1)
        assertEquals(8.5 / 3, lower.meanRanks()[0], 1e-15);
        assertEquals(1.0, lower.meanRanks()[2], 1e-15);
        assertEquals(r.chiSquare(), lower.chiSquare(), 1e-12);
    }

    @Test
    void fewerThanTwoBlocksIsNoTest() {
        FriedmanResult one = FriedmanTest.test(new double[][] {{1, 2, 3}}, true, 0.05);
        assertEquals(1, one.blocks());
        assertTrue(Double.isNaN(one.chiSquare()) && Double.isNaN(one.pValue()) && !one.tested());
        FriedmanResult nanBlock = FriedmanTest.test(new double[][] {{1, 2, 3}, {Double.NaN, 1, 2}}, true, 0.05);
        assertEquals(1, nanBlock.blocks());
        assertTrue(!nanBlock.tested());
    }

    @Test
    void studentizedRangeCdfMatchesScipy() {
        double worst = 0;
        for (JsonNode c : golden.get("cdf")) {
            double got = StudentizedRange.cdf(c.get("q").asDouble(), c.get("k").asInt(), df(c));
            double err = Math.abs(got - c.get("cdf").asDouble());
            worst = Math.max(worst, err);
            assertEquals(c.get("cdf").asDouble(), got, 2e-8, c.toString());
        }
        System.out.println("studentized range cdf: " + golden.get("cdf").size() + " points, max |error| " + worst);
    }

    @Test
    void studentizedRangeQuantileMatchesScipy() {
        double worst = 0;
        double worstCdf = 0;
        int solved = 0;
        for (JsonNode c : golden.get("ppf")) {
            double want = c.get("q").asDouble();
            double p = c.get("p").asDouble();
            int k = c.get("k").asInt();
            double df = df(c);
            // every point: the CDF at scipy's quantile gives back p
            double back = StudentizedRange.cdf(want, k, df);
            worstCdf = Math.max(worstCdf, Math.abs(back - p));
            assertEquals(p, back, 2e-8, c.toString());
            // the root finder itself on all df = infinity points and a spread of finite ones (each costs ~20 CDFs)
            if (Double.isInfinite(df) || (p == 0.95 && (df == 1 || df == 10 || df == 120)) || (p == 0.99 && df == 2)) {
                double got = StudentizedRange.quantile(p, k, df);
                worst = Math.max(worst, Math.abs(got - want) / want);
                assertEquals(want, got, 1e-6 * want, c.toString());
                solved++;
            }
        }
        assertTrue(solved >= 40, "quantile solved at " + solved + " points");
        System.out.println("studentized range ppf: " + golden.get("ppf").size() + " points, max |cdf(q_scipy) - p| " + worstCdf
                + "; quantile solved at " + solved + ", max relative error " + worst);
    }

    @Test
    void nemenyiCriticalDifferenceMatchesScipy() {
        for (JsonNode c : golden.get("nemenyi")) {
            double want = c.get("cd").asDouble();
            double got = StudentizedRange.nemenyiCriticalDifference(c.get("k").asInt(), c.get("n").asInt(),
                    c.get("alpha").asDouble());
            assertEquals(want, got, 1e-6 * want, c.toString());
        }
        // Demsar (2006) Table 5(a): q_0.05 = 2.569 for k = 4 (printed to 3 decimals)
        assertEquals(2.569, StudentizedRange.quantile(0.95, 4, Double.POSITIVE_INFINITY) / Math.sqrt(2), 5e-4);
    }
}
