package dev.robustsweep.reports.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HolmCorrectionTest {
    @Test
    void stepDownWithMonotonicity() {
        // sorted p: .01 (x4 = .04), .02 (x3 = .06), .03 (x2 = .06), .04 (x1 = .04 -> max so far .06)
        double[] adjusted = HolmCorrection.adjust(new double[] {0.03, 0.01, 0.04, 0.02});
        assertArrayEquals(new double[] {0.06, 0.04, 0.06, 0.06}, adjusted, 1e-15);
    }

    @Test
    void capsAtOneAndKeepsNaN() {
        double[] adjusted = HolmCorrection.adjust(new double[] {0.5, Double.NaN, 0.9});
        assertEquals(1.0, adjusted[0]); // 0.5 * 2
        assertTrue(Double.isNaN(adjusted[1]));
        assertEquals(1.0, adjusted[2]);
        assertEquals(0, HolmCorrection.adjust(new double[0]).length);
    }
}
