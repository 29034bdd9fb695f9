package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CalibrationTest {
    private static double[] binary(double... p1) {
        double[] p = new double[p1.length * 2];
        for (int i = 0; i < p1.length; i++) {
            p[2 * i] = 1 - p1[i];
            p[2 * i + 1] = p1[i];
        }
        return p;
    }

    @Test
    void eceAndBrierMatchHandComputedBinaryCase() {
        // p(1):  .9  .8  .3  .6  .1  .7 ; gold 1 1 1 0 0 1
        // top confidence / correct: .9 y, .8 y, .7 n, .6 n, .9 y, .7 y
        // bins of width 1/15, upper edge inclusive: .9 -> 13, .8 = 12/15 -> 11, .7 -> 10, .6 = 9/15 -> 8
        // |correct - sum conf| per bin: b13 |2 - 1.8|, b11 |1 - .8|, b10 |1 - 1.4|, b8 |0 - .6|  -> 1.4 / 6
        Calibration c = Calibration.compute(binary(.9, .8, .3, .6, .1, .7), new int[] {1, 1, 1, 0, 0, 1}, 2);
        assertEquals(1.4 / 6, c.ece(), 1e-12);
        // sum over classes (p - onehot)^2 = 2 (p1 - y)^2: .02 .08 .98 .72 .02 .18 -> 2.0 / 6
        assertEquals(2.0 / 6, c.brier(), 1e-12);
        long[] counts = new long[15];
        counts[13] = 2;
        counts[11] = 1;
        counts[10] = 2;
        counts[8] = 1;
        assertArrayEquals(counts, c.counts());
        long[] correct = new long[15];
        correct[13] = 2;
        correct[11] = 1;
        correct[10] = 1;
        assertArrayEquals(correct, c.correct());
        assertEquals(1.8, c.confidenceSum()[13], 1e-12);
        assertEquals(1.4, c.confidenceSum()[10], 1e-12);
    }

    @Test
    void emptyBinsContributeNothingThreeClasses() {
        // conf .5 (correct) -> bin 7, conf .6 (wrong) -> bin 8; 13 empty bins
        double[] p = {.5, .3, .2, .2, .2, .6};
        Calibration c = Calibration.compute(p, new int[] {0, 1}, 3);
        assertEquals((Math.abs(1 - .5) + Math.abs(0 - .6)) / 2, c.ece(), 1e-12);
        assertEquals(((.25 + .09 + .04) + (.04 + .64 + .36)) / 2, c.brier(), 1e-12);
        assertEquals(2, java.util.Arrays.stream(c.counts()).sum());
        assertEquals(13, java.util.Arrays.stream(c.counts()).filter(x -> x == 0).count());
    }

    @Test
    void tiesAtBinEdgesGoToTheLowerBin() {
        // k/15 belongs to bin k-1 even where k/15 * 15 rounds above k (0.4 * 15 = 6.000000000000001)
        assertEquals(5, Calibration.bin(0.4, 15));
        assertEquals(5, Calibration.bin(6.0 / 15, 15));
        assertEquals(6, Calibration.bin(Math.nextUp(6.0 / 15), 15));
        assertEquals(11, Calibration.bin(0.8, 15));
        assertEquals(14, Calibration.bin(1.0, 15));
        assertEquals(7, Calibration.bin(0.5, 15));
        assertEquals(0, Calibration.bin(0.0, 15));
        for (int k = 1; k <= 15; k++) assertEquals(k - 1, Calibration.bin((double) k / 15, 15), "edge " + k + "/15");
    }

    @Test
    void perfectlyCalibratedConfidentPredictionsHaveZeroEce() {
        Calibration c = Calibration.compute(binary(1.0, 0.0), new int[] {1, 0}, 2);
        assertEquals(0.0, c.ece(), 0);
        assertEquals(0.0, c.brier(), 0);
    }

    @Test
    void classificationMetricsCarryCalibrationOfTheirProbabilities() {
        double[] p = binary(.9, .8, .3, .6, .1, .7);
        ClassificationMetrics m = ClassificationMetrics.fromProbabilities(p, new int[] {1, 1, 1, 0, 0, 1}, 2);
        assertEquals(2.0 / 6, m.brier(), 1e-6);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
    }
}
