package dev.robustsweep.trainers.adapters.monteclora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.runtime.EngineSetup;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/** Bartlett construction: E[Sigma] = nu V within Monte Carlo error; T_jj^2 ~ chi2(nu - j + 1) by KS test. */
class WishartSamplerTest {
    static final int DRAWS = 20_000;

    @Test
    void sampleMeanIsNuTimesV() {
        check(4, 6.5, new double[] {0.5, 1.0, 2.0, 3.0}, 101);
        check(8, 8.0, new double[] {1, 1, 1, 1, 0.2, 0.4, 1.6, 2.5}, 202);
    }

    private static void check(int r, double nu, double[] scale, long seed) {
        WishartSampler sampler = new WishartSampler(r, nu, new SplittableRandom(seed));
        float[] t = new float[DRAWS * r * r];
        for (int i = 0; i < DRAWS; i++) System.arraycopy(sampler.bartlettFactor(), 0, t, i * r * r, r * r);
        double[] logV = new double[r];
        for (int i = 0; i < r; i++) logV[i] = Math.log(scale[i]);
        try (NDManager m = EngineSetup.start(0).newBaseManager()) {
            // the adapter's path: C = diag(sqrt V) T, Sigma = C C^T, all draws in one batch
            NDArray c = WishartSampler.choleskyFactor(m.create(logV).toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
                    m.create(t, new Shape(DRAWS, r, r)));
            NDArray sigma = c.batchMatMul(c.transpose(0, 2, 1));
            double[] mean = sigma.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).mean(new int[] {0}).toDoubleArray();
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    double expected = i == j ? nu * scale[i] : 0;
                    // Var(Sigma_ij) = nu (V_ij^2 + V_ii V_jj) for Wishart(V, nu)
                    double var = nu * ((i == j ? scale[i] * scale[i] : 0) + scale[i] * scale[j]);
                    double se = Math.sqrt(var / DRAWS);
                    assertEquals(expected, mean[i * r + j], 4.5 * se, "E[Sigma_" + i + j + "] r " + r + " nu " + nu);
                }
            }
        }
    }

    @Test
    void bartlettDiagonalIsChiSquare() {
        int r = 6;
        double nu = 7.3;
        WishartSampler sampler = new WishartSampler(r, nu, new SplittableRandom(303));
        double[][] diag = new double[r][DRAWS];
        double[] below = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            float[] t = sampler.bartlettFactor();
            for (int j = 0; j < r; j++) diag[j][i] = (double) t[j * r + j] * t[j * r + j];
            below[i] = t[3 * r + 1];
            for (int j = 0; j < r; j++) for (int k = j + 1; k < r; k++) assertEquals(0f, t[j * r + k]);
        }
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        for (int j = 0; j < r; j++) {
            // 1-based row j + 1: chi2(nu - (j + 1) + 1)
            double p = ks.kolmogorovSmirnovTest(new ChiSquaredDistribution(nu - j), diag[j]);
            assertTrue(p > 1e-3, "T_" + j + j + "^2 vs chi2(" + (nu - j) + "): KS p = " + p);
        }
        double p = ks.kolmogorovSmirnovTest(new org.apache.commons.math3.distribution.NormalDistribution(), below);
        assertTrue(p > 1e-3, "T_31 vs N(0, 1): KS p = " + p);
    }

    @Test
    void rejectsTooFewDegreesOfFreedom() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new WishartSampler(8, 6.0, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("monteclora.wishart_dof"));
    }
}
