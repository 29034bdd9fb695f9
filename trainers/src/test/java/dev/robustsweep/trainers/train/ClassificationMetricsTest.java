package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    private static float[] logProbs(double... p1) {
        float[] lp = new float[p1.length * 2];
        for (int i = 0; i < p1.length; i++) {
            lp[2 * i] = (float) Math.log(1 - p1[i]);
            lp[2 * i + 1] = (float) Math.log(p1[i]);
        }
        return lp;
    }

    @Test
    void binaryScoresMatchHandComputedConfusionMatrix() {
        // gold:      1    1    1    0    0    1
        // p(1):     .9   .8   .3   .6   .1   .7   -> predicted 1 1 0 1 0 1
        // TP = 3, FN = 1, FP = 1, TN = 1
        ClassificationMetrics m = ClassificationMetrics.compute(logProbs(.9, .8, .3, .6, .1, .7), new int[] {1, 1, 1, 0, 0, 1}, 2);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertEquals(2.0 * 3 / (2 * 3 + 1 + 1), m.f1(), 1e-12);
        // MCC = (TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (3 - 1) / sqrt(4 * 4 * 2 * 2)
        assertEquals(2.0 / 8.0, m.mcc(), 1e-12);
        double nll = -(Math.log(.9) + Math.log(.8) + Math.log(.3) + Math.log(.4) + Math.log(.9) + Math.log(.7)) / 6;
        assertEquals(nll, m.nll(), 1e-6);
    }

    @Test
    void constantPredictionHasZeroMcc() {
        ClassificationMetrics m = ClassificationMetrics.compute(logProbs(.9, .9, .9), new int[] {1, 0, 1}, 2);
        assertEquals(0.0, m.mcc());
        assertEquals(2.0 / 3, m.accuracy(), 1e-12);
    }
}
