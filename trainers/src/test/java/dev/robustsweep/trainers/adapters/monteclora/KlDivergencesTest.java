package dev.robustsweep.trainers.adapters.monteclora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.runtime.EngineSetup;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.junit.jupiter.api.Test;

/** Eq. 19-22: zero at equal distributions, KL_D against a numerical integral, gradients w.r.t. alpha. */
class KlDivergencesTest {
    @Test
    void everyTermIsZeroWhenTheDistributionsAreEqual() {
        try (NDManager m = EngineSetup.start(0).newBaseManager()) {
            int r = 5;
            // Sigma = I: v = 0 and T = I (row sums of squares 1, ln T_ii^2 = 0)
            NDArray v = m.zeros(new Shape(2, r));
            assertEquals(0.0, KlDivergences.gaussian(v, m.ones(new Shape(2, r)), m.zeros(new Shape(2))).abs().max().getFloat(), 1e-7);
            // V = I
            assertEquals(0.0, KlDivergences.wishart(v, 7.0).abs().max().getFloat(), 1e-7);
            // alpha = a0 for several priors
            for (double a0 : new double[] {0.1, 1.0, 3.5}) {
                NDArray logAlpha = m.full(new Shape(3, 4), (float) Math.log(a0));
                assertEquals(0.0, KlDivergences.dirichlet(logAlpha, a0).abs().max().getFloat(), 1e-6, "a0 " + a0);
            }
            // cooperative loss is minimal, 1/N, at the uniform mixture
            assertEquals(0.25, KlDivergences.cooperative(m.full(new Shape(1, 4), 0.25f)).getFloat(0), 1e-7);
        }
    }

    @Test
    void gaussianAndWishartMatchTheirClosedForms() {
        try (NDManager m = EngineSetup.start(0).newBaseManager()) {
            // V = diag(2, 0.5), T = [[1.5, 0], [0.3, 0.8]]: Sigma = L T T^T L^T
            double[] vv = {2, 0.5};
            double[][] t = {{1.5, 0}, {0.3, 0.8}};
            double[][] c = {{Math.sqrt(2) * 1.5, 0}, {Math.sqrt(0.5) * 0.3, Math.sqrt(0.5) * 0.8}};
            double s00 = c[0][0] * c[0][0];
            double s11 = c[1][0] * c[1][0] + c[1][1] * c[1][1];
            double s01 = c[0][0] * c[1][0];
            double det = s00 * s11 - s01 * s01;
            double expectedN = 0.5 * (s00 + s11 - Math.log(det) - 2);
            NDArray v = m.create(new double[] {Math.log(vv[0]), Math.log(vv[1])}, new Shape(1, 2));
            NDArray rowSumSq = m.create(new double[] {t[0][0] * t[0][0], t[1][0] * t[1][0] + t[1][1] * t[1][1]}, new Shape(1, 2));
            NDArray logDet = m.create(new double[] {Math.log(t[0][0] * t[0][0]) + Math.log(t[1][1] * t[1][1])}, new Shape(1));
            assertEquals(expectedN, KlDivergences.gaussian(v, rowSumSq, logDet).getDouble(0), 1e-12);
            double nu = 3;
            double expectedW = 0.5 * (-nu * Math.log(vv[0] * vv[1]) + nu * (vv[0] + vv[1]) - nu * 2);
            assertEquals(expectedW, KlDivergences.wishart(v, nu).getDouble(0), 1e-12);
        }
    }

    /** N = 2: Dir(a1, a2) vs Dir(a0, a0) is Beta(a1, a2) vs Beta(a0, a0); integrate p ln(p / q) over (0, 1). */
    @Test
    void dirichletKlMatchesNumericalIntegrationOfTheBetaCase() {
        double[][] cases = {{2.5, 1.7, 1.0}, {3.0, 6.0, 2.0}, {1.2, 4.5, 0.8}, {7.0, 7.0, 1.5}};
        try (NDManager m = EngineSetup.start(0).newBaseManager()) {
            for (double[] cs : cases) {
                BetaDistribution p = new BetaDistribution(cs[0], cs[1]);
                BetaDistribution q = new BetaDistribution(cs[2], cs[2]);
                double expected = integrate(x -> {
                    double lp = p.logDensity(x);
                    return Math.exp(lp) * (lp - q.logDensity(x));
                });
                NDArray logAlpha = m.create(new double[] {Math.log(cs[0]), Math.log(cs[1])}, new Shape(1, 2));
                assertEquals(expected, KlDivergences.dirichlet(logAlpha, cs[2]).getDouble(0), 1e-8, "Beta" + java.util.Arrays.toString(cs));
            }
        }
    }

    /**
     * Integral over (0, 1) by 64-point Gauss-Legendre on pieces graded geometrically towards both ends
     * (the integrand may have an integrable log or power singularity at 0 or 1).
     */
    static double integrate(UnivariateFunction f) {
        GaussIntegratorFactory factory = new GaussIntegratorFactory();
        java.util.List<Double> cuts = new java.util.ArrayList<>();
        cuts.add(0.0);
        for (int e = -16; e <= -1; e++) cuts.add(Math.pow(10, e));
        cuts.add(0.5);
        for (int e = -1; e >= -12; e--) cuts.add(1 - Math.pow(10, e));
        cuts.add(1.0);
        double sum = 0;
        for (int i = 0; i + 1 < cuts.size(); i++) {
            if (cuts.get(i + 1) <= cuts.get(i)) continue;
            sum += factory.legendreHighPrecision(64, cuts.get(i), cuts.get(i + 1)).integrate(f);
        }
        return sum;
    }

    /** The gradient of KL_D w.r.t. log alpha equals a central finite difference (float64). */
    @Test
    void dirichletGradientReachesAlpha() {
        Engine engine = EngineSetup.start(0);
        try (NDManager m = engine.newBaseManager()) {
            double[] logAlpha = {Math.log(0.7), Math.log(2.0), Math.log(4.5), Math.log(1.1)};
            double a0 = 1.0;
            NDArray x = m.create(logAlpha, new Shape(1, 4));
            x.setRequiresGradient(true);
            try (GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(KlDivergences.dirichlet(x, a0).sum());
            }
            double[] grad = x.getGradient().toDoubleArray();
            for (int k = 0; k < 4; k++) {
                double h = 1e-6;
                double[] up = logAlpha.clone();
                double[] down = logAlpha.clone();
                up[k] += h;
                down[k] -= h;
                double fd = (KlDivergences.dirichlet(m.create(up, new Shape(1, 4)), a0).getDouble(0)
                        - KlDivergences.dirichlet(m.create(down, new Shape(1, 4)), a0).getDouble(0)) / (2 * h);
                assertEquals(fd, grad[k], 1e-6, "d KL_D / d log alpha_" + k);
            }
        }
    }

    /**
     * The same gradient through a float32 log alpha, as the trainer holds it (the float64 value must not
     * cut the graph: DJL's toType runs without autograd), including a concentration near 0 where
     * d KL_D / d log alpha is large; against the float64 gradient.
     */
    @Test
    void dirichletGradientReachesFloat32Alpha() {
        Engine engine = EngineSetup.start(0);
        try (NDManager m = engine.newBaseManager()) {
            double[] logAlpha = {Math.log(0.5), Math.log(0.9), Math.log(0.007), Math.log(2.5)};
            float[] logAlpha32 = new float[4];
            for (int k = 0; k < 4; k++) logAlpha32[k] = (float) logAlpha[k];
            double[] want;
            NDArray x64 = m.create(logAlpha, new Shape(1, 4));
            x64.setRequiresGradient(true);
            try (GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(KlDivergences.dirichlet(x64, 1.0).sum());
            }
            want = x64.getGradient().toDoubleArray();
            NDArray x32 = m.create(logAlpha32, new Shape(1, 4));
            x32.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray kl = KlDivergences.dirichlet(x32, 1.0).sum();
                value = kl.getFloat();
                gc.backward(kl);
            }
            assertEquals(KlDivergences.dirichlet(x64, 1.0).getDouble(0), value, 1e-5 * Math.abs(value), "value");
            float[] grad = x32.getGradient().toFloatArray();
            for (int k = 0; k < 4; k++) {
                assertEquals(want[k], grad[k], 1e-5 * Math.abs(want[2]), "d KL_D / d log alpha_" + k + " (float32)");
            }
            assertTrue(Math.abs(grad[2]) > 10, "the small concentration's gradient is large: " + grad[2]);
        }
    }
}
