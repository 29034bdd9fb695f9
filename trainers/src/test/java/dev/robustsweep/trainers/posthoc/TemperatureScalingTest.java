package dev.robustsweep.trainers.posthoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {
    /** n examples, k classes: logits z ~ N(0, 3^2), labels drawn from softmax(z / trueT); returns log_softmax(z). */
    static Predictions synthetic(int n, int k, double trueT, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] lp = new float[n * k];
        int[] gold = new int[n];
        for (int i = 0; i < n; i++) {
            double[] z = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                z[c] = 3 * gaussian(rng);
                max = Math.max(max, z[c]);
            }
            double lse = 0;
            double lseT = 0;
            for (int c = 0; c < k; c++) {
                lse += Math.exp(z[c] - max);
                lseT += Math.exp((z[c] - max) / trueT);
            }
            double u = rng.nextDouble();
            double cum = 0;
            gold[i] = k - 1;
            for (int c = 0; c < k; c++) {
                cum += Math.exp((z[c] - max) / trueT) / lseT;
                if (u < cum) {
                    gold[i] = c;
                    break;
                }
            }
            for (int c = 0; c < k; c++) lp[i * k + c] = (float) (z[c] - max - Math.log(lse));
        }
        return new Predictions(lp, gold, k);
    }

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Test
    void recoversAKnownTemperature() {
        for (double trueT : new double[] {0.5, 2.5}) {
            for (int k : new int[] {2, 3}) {
                double t = TemperatureScaling.fit(synthetic(40_000, k, trueT, 7 + k));
                // maximum likelihood on 40k labels: within a few percent of the generating temperature
                assertEquals(trueT, t, 0.05 * trueT, "k=" + k + " T=" + trueT);
            }
        }
    }

    @Test
    void fittedTemperatureIsTheNllMinimum() {
        Predictions p = synthetic(2_000, 2, 1.7, 3);
        double t = TemperatureScaling.fit(p);
        double best = TemperatureScaling.nll(p, 1 / t);
        // a grid of temperatures finds nothing lower
        for (double g = 0.2; g < 8; g += 0.01) assertTrue(TemperatureScaling.nll(p, 1 / g) >= best - 1e-12, "T=" + g);
    }

    @Test
    void applyIsSoftmaxOfScaledLogits() {
        Predictions p = new Predictions(new float[] {(float) Math.log(0.8), (float) Math.log(0.2)}, new int[] {0}, 2);
        Predictions scaled = TemperatureScaling.apply(p, 2.0);
        // softmax(log p / 2) = sqrt(p) / sum sqrt(p): sqrt(.8) / (sqrt(.8) + sqrt(.2)) = 2/3
        assertEquals(2.0 / 3, Math.exp(scaled.logProbs()[0]), 1e-6);
        assertEquals(1.0 / 3, Math.exp(scaled.logProbs()[1]), 1e-6);
    }

    /**
     * Predictions that point at the wrong class (log-probabilities of the gold label are the lowest): the
     * held-out NLL falls monotonically in T, so the fit ends on the range's upper end and says so; a fit
     * inside the range reports no bound.
     */
    @Test
    void aFitOnAnEndOfTheRangeIsReported() {
        Predictions wrong = new Predictions(new float[] {(float) Math.log(0.1), (float) Math.log(0.9), (float) Math.log(0.8), (float) Math.log(0.2)},
                new int[] {0, 1}, 2);
        double t = TemperatureScaling.fit(wrong);
        assertEquals(Math.exp(10), t, Math.exp(10) * 1e-6);
        assertEquals("upper", TemperatureScaling.atBound(t));
        assertEquals(null, TemperatureScaling.atBound(TemperatureScaling.fit(synthetic(2_000, 2, 1.7, 3))));
        assertEquals("lower", TemperatureScaling.atBound(Math.exp(-10)));
    }
}
