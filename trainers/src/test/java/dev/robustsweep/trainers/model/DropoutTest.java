package dev.robustsweep.trainers.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Dropout's distribution (torch's: keep_i ~ Bernoulli(1 - p) independently, kept values scaled by
 * 1 / (1 - p)), checked against the binomial closed form, its reproducibility and its gradient.
 */
class DropoutTest {
    static final int N = 400_000;

    private static float[] draw(NDManager m, double p, int n) {
        return Dropout.apply(m.ones(new Shape(n)), p, ForwardContext.TRAIN).toFloatArray();
    }

    @Test
    void keepsEachElementWithProbabilityOneMinusPIndependently() {
        Engine engine = EngineSetup.start(0);
        EngineSetup.seed(engine, 5);
        try (NDManager m = engine.newBaseManager()) {
            for (double p : new double[] {0.1, 0.5}) {
                float[] y = draw(m, p, N);
                float scale = 1f / (float) (1 - p);
                long kept = 0;
                long bothDropped = 0;
                for (int i = 0; i < N; i++) {
                    assertTrue(y[i] == 0f || y[i] == scale, "value " + y[i]);
                    if (y[i] != 0f) kept++;
                    if (i % 2 == 0 && y[i] == 0f && y[i + 1] == 0f) bothDropped++;
                }
                // binomial: |kept / N - (1 - p)| < 4.5 sqrt(p (1 - p) / N)
                assertEquals(1 - p, (double) kept / N, 4.5 * Math.sqrt(p * (1 - p) / N), "kept fraction, p " + p);
                // adjacent elements (one 64-bit draw feeds both) are independent: P(both dropped) = p^2
                double pairs = N / 2.0;
                assertEquals(p * p, bothDropped / pairs, 4.5 * Math.sqrt(p * p * (1 - p * p) / pairs), "pairs, p " + p);
                // every parallel chunk (65536 elements) has the same rate
                for (int c = 0; c + 65536 <= N; c += 65536) {
                    long k = 0;
                    for (int i = c; i < c + 65536; i++) if (y[i] != 0f) k++;
                    assertEquals(1 - p, k / 65536.0, 4.5 * Math.sqrt(p * (1 - p) / 65536), "chunk at " + c + ", p " + p);
                }
            }
        }
    }

    @Test
    void sameEngineSeedSameMaskAndGradientIsTheMask() {
        Engine engine = EngineSetup.start(0);
        try (NDManager m = engine.newBaseManager()) {
            EngineSetup.seed(engine, 9);
            float[] a = draw(m, 0.3, 5000);
            EngineSetup.seed(engine, 9);
            float[] b = draw(m, 0.3, 5000);
            EngineSetup.seed(engine, 10);
            float[] c = draw(m, 0.3, 5000);
            assertArrayEquals(a, b, "same seed");
            assertFalse(Arrays.equals(a, c), "another seed");

            NDArray x = m.randomNormal(new Shape(64, 33));
            NDArray w = m.randomNormal(new Shape(64, 33));
            x.setRequiresGradient(true);
            float[] y;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray out = Dropout.apply(x, 0.25, ForwardContext.TRAIN);
                y = out.toFloatArray();
                gc.backward(out.mul(w).sum());
            }
            float[] xs = x.toFloatArray();
            float[] ws = w.toFloatArray();
            float[] g = x.getGradient().toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                // y = x * mask, d(sum w y)/dx = w * mask, mask in {0, 1/0.75}
                float mask = y[i] == 0f ? 0f : 1f / 0.75f;
                if (y[i] != 0f) assertEquals(xs[i] * mask, y[i], 1e-6);
                assertEquals(ws[i] * mask, g[i], 1e-6, "gradient " + i);
            }
        }
    }

    @Test
    void evaluationAndRateZeroAreTheIdentity() {
        try (NDManager m = EngineSetup.start(0).newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(10));
            assertSame(x, Dropout.apply(x, 0.5, ForwardContext.EVAL));
            assertSame(x, Dropout.apply(x, 0.0, ForwardContext.TRAIN));
        }
    }

    /**
     * Every mask element follows the documented rule, written out plainly: chunk c of 65,536 elements draws
     * from SplittableRandom(seed + 0x9E3779B97F4A7C15 c); elements 2j and 2j + 1 of a chunk take the high and
     * low 32 bits u of its j-th long and are kept (1 / (1 - p)) iff u < floor((1 - p) 2^32). An odd tail
     * and rates whose threshold sits at both ends of the range included.
     */
    @Test
    void everyElementFollowsTheDocumentedStream() {
        int n = 3 * 65536 + 5;
        long seed = 0x5EEDL;
        try (NDManager m = EngineSetup.start(0).newBaseManager()) {
            for (double p : new double[] {0.1, 0.5, 1e-9, 1 - 1e-9}) {
                float[] mask = Dropout.mask(m, new Shape(n), p, seed, ai.djl.ndarray.types.DataType.FLOAT32).toFloatArray();
                long threshold = (long) Math.floor((1 - p) * 4294967296.0);
                float scale = 1f / (float) (1 - p);
                for (int c = 0; c * 65536 < n; c++) {
                    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed + 0x9E3779B97F4A7C15L * c);
                    for (int i = c * 65536; i < Math.min(n, (c + 1) * 65536); i += 2) {
                        long bits = rng.nextLong();
                        assertEquals((bits >>> 32) < threshold ? scale : 0f, mask[i], "element " + i + ", p " + p);
                        if (i + 1 < n) assertEquals((bits & 0xFFFFFFFFL) < threshold ? scale : 0f, mask[i + 1], "element " + (i + 1) + ", p " + p);
                    }
                }
            }
        }
    }
}
