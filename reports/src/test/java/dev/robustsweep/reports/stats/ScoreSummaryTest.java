package dev.robustsweep.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreSummaryTest {
    @Test
    void quartilesAndSpreadOfOneToTen() {
        double[] v = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5, Double.NaN};
        ScoreSummary s = ScoreSummary.of(v, true);
        assertEquals(10, s.n());
        assertEquals(5.5, s.median());
        assertEquals(9.0, s.spread());
        // type 7: Q1 at position 9 * .25 = 2.25 -> 3.25; Q3 at 6.75 -> 7.75
        assertEquals(4.5, s.iqr(), 1e-15);
        assertEquals(Math.sqrt(82.5 / 9), s.sd(), 1e-15); // sum of squared deviations of 1..10 is 82.5
        ScoreSummary nll = ScoreSummary.of(v, false);
        assertEquals(1.0, nll.best());
        assertEquals(10.0, nll.worst());
    }

    @Test
    void emptyAndSingle() {
        assertTrue(Double.isNaN(ScoreSummary.of(new double[] {Double.NaN}, true).median()));
        ScoreSummary one = ScoreSummary.of(new double[] {0.7}, true);
        assertEquals(0.0, one.spread());
        assertTrue(Double.isNaN(one.sd()));
        assertEquals(1 / 0.5, IntrinsicRobustness.of(new double[] {0.4, 0.5, 0.9, Double.NaN}), 1e-15);
        assertEquals(0.45, ExtrinsicRobustness.of(new double[] {0.4, 0.5}), 1e-15);
    }
}
