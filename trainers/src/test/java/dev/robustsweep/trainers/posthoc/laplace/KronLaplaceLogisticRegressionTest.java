package dev.robustsweep.trainers.posthoc.laplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The KFAC Laplace on a model whose only trainable part is a linear head f = W x on fixed features
 * (multiclass logistic regression without bias), against the exact Gauss-Newton Laplace computed here
 * in closed form: H = sum_n (diag(p_n) - p_n p_n^T) (x) x_n x_n^T (row-major vec W), which for a linear
 * model is the exact Hessian of the NLL. KFAC is exact when every example has the same softmax Hessian
 * (W = 0: uniform p) or for one example; both cases are checked.
 */
class KronLaplaceLogisticRegressionTest {
    static final int K = 3;
    static final int D = 4;

    record Problem(double[][] x, double[][] w, KronLaplace la, double[][] exactH, double thetaSq) {}

    static double[] softmax(double[] w[], double[] x) {
        double[] f = new double[K];
        for (int c = 0; c < K; c++) for (int i = 0; i < D; i++) f[c] += w[c][i] * x[i];
        return KronLaplace.softmax(f);
    }

    static Problem problem(int n, boolean zeroWeights, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][D];
        for (double[] row : x) for (int i = 0; i < D; i++) row[i] = KronLaplace.gaussian(rng);
        double[][] w = new double[K][D];
        if (!zeroWeights) for (double[] row : w) for (int i = 0; i < D; i++) row[i] = 0.7 * KronLaplace.gaussian(rng);
        KroneckerBlock block = new KroneckerBlock("head", K, D);
        double[][] exact = new double[K * D][K * D];
        for (int m = 0; m < n; m++) {
            double[] p = softmax(w, x[m]);
            float[] a = new float[D];
            for (int i = 0; i < D; i++) a[i] = (float) x[m][i];
            block.addInputs(a, 1);
            // g for class column c: d(f . L[:, c]) / df = L[:, c] = sqrt(p_c) (e_c - p)
            for (int c = 0; c < K; c++) {
                float[] g = new float[K];
                for (int o = 0; o < K; o++) g[o] = (float) (Math.sqrt(p[c]) * ((o == c ? 1 : 0) - p[o]));
                block.addOutputGradients(g, 1);
            }
            // exact GGN, independently: Lambda (x) x x^T
            for (int o = 0; o < K; o++)
                for (int q = 0; q < K; q++) {
                    double lam = (o == q ? p[o] : 0) - p[o] * p[q];
                    for (int i = 0; i < D; i++)
                        for (int j = 0; j < D; j++) exact[o * D + i][q * D + j] += lam * x[m][i] * x[m][j];
                }
        }
        double thetaSq = 0;
        for (double[] row : w) for (double v : row) thetaSq += v * v;
        KronLaplace la = new KronLaplace(List.of(block));
        la.fit(0.0, thetaSq);
        return new Problem(x, w, la, exact, thetaSq);
    }

    static RealMatrix precision(double[][] h, double delta) {
        RealMatrix m = new Array2DRowRealMatrix(h);
        for (int i = 0; i < h.length; i++) m.addToEntry(i, i, delta);
        return m;
    }

    /** Exact log marginal likelihood (up to the shared log-likelihood term) from a dense determinant. */
    static double exactLogMarginal(double[][] h, double delta, double thetaSq) {
        double logDet = Math.log(new LUDecomposition(precision(h, delta)).getDeterminant());
        return -0.5 * delta * thetaSq + 0.5 * h.length * Math.log(delta) - 0.5 * logDet;
    }

    @Test
    void kfacEqualsTheExactGaussNewtonLaplaceOfLogisticRegression() {
        for (Problem pr : List.of(problem(50, true, 1), problem(1, false, 2))) {
            double[][] kfac = pr.la().blocks().get(0).denseCurvature();
            for (int i = 0; i < K * D; i++)
                for (int j = 0; j < K * D; j++) assertEquals(pr.exactH()[i][j], kfac[i][j], 1e-5 * (1 + Math.abs(pr.exactH()[i][j])));
            for (double delta : new double[] {0.1, 1.0, 7.0}) {
                pr.la().setPriorPrecision(delta);
                assertEquals(exactLogMarginal(pr.exactH(), delta, pr.thetaSq()), pr.la().logMarginalLikelihood(delta), 1e-5);
                // functional variance of a test point: J_c = e_c (x) x*, V = J^T (H + delta I)^{-1} J
                double[] xs = {0.3, -1.2, 0.5, 2.0};
                double[][][] jac = new double[K][1][K * D];
                for (int c = 0; c < K; c++) for (int i = 0; i < D; i++) jac[c][0][c * D + i] = xs[i];
                double[][] v = pr.la().functionalVariance(jac);
                RealMatrix cov = new LUDecomposition(precision(pr.exactH(), delta)).getSolver().getInverse();
                for (int c = 0; c < K; c++)
                    for (int e = 0; e < K; e++) {
                        double exact = 0;
                        for (int i = 0; i < D; i++) for (int j = 0; j < D; j++) exact += xs[i] * cov.getEntry(c * D + i, e * D + j) * xs[j];
                        assertEquals(exact, v[c][e], 1e-6 * (1 + Math.abs(exact)), "V[" + c + "][" + e + "] delta " + delta);
                    }
            }
        }
    }

    @Test
    void marginalLikelihoodOptimumMatchesAGridSearch() {
        Problem pr = problem(1, false, 5);
        double best = pr.la().optimizePriorPrecision();
        double bestValue = pr.la().logMarginalLikelihood(best);
        double gridBest = Double.NaN;
        double gridValue = Double.NEGATIVE_INFINITY;
        for (double logDelta = -6; logDelta <= 6; logDelta += 0.001) {
            double value = exactLogMarginal(pr.exactH(), Math.exp(logDelta), pr.thetaSq());
            if (value > gridValue) {
                gridValue = value;
                gridBest = Math.exp(logDelta);
            }
        }
        assertTrue(bestValue >= gridValue - 1e-9, bestValue + " < grid " + gridValue);
        assertEquals(Math.log(gridBest), Math.log(best), 0.002);
        assertEquals(pr.la().priorPrecision(), best);
    }

    @Test
    void anOptimumBeyondTheOldRangeIsFoundAndOneOnAnEndOfTheRangeIsReported() {
        // the maximum of log p(D | delta) solves ||theta||^2 = sum_i lambda_i / (delta (lambda_i + delta)):
        // choose ||theta||^2 so that it is at e^15 and at e^-15 (outside the former [e^-12, e^12])
        Problem pr = problem(1, false, 5);
        KroneckerBlock block = pr.la().blocks().get(0);
        for (double target : new double[] {15, -15}) {
            double delta = Math.exp(target);
            double thetaSq = 0;
            for (double lg : block.eigG) for (double la : block.eigA) thetaSq += lg * la / (delta * (lg * la + delta));
            KronLaplace la = new KronLaplace(List.of(block));
            la.fit(0.0, thetaSq);
            double found = la.optimizePriorPrecision();
            assertEquals(target, Math.log(found), 1e-3, "optimum at log delta " + target);
            assertNull(la.priorPrecisionAtBound(), "an interior optimum is not on a bound");
        }
        // theta = 0: log p(D | delta) = sum_i 1/2 log(delta / (lambda_i + delta)) rises towards 0 as delta grows
        KronLaplace zero = new KronLaplace(List.of(block));
        zero.fit(0.0, 0.0);
        assertEquals(Math.exp(KronLaplace.LOG_DELTA_LIMIT), zero.optimizePriorPrecision(), 1e-9 * Math.exp(KronLaplace.LOG_DELTA_LIMIT));
        assertEquals("upper", zero.priorPrecisionAtBound());
        // no curvature (no data: G = A = 0): log p(D | delta) = -delta ||theta||^2 / 2 falls as delta grows
        KroneckerBlock empty = new KroneckerBlock("head", K, D);
        KronLaplace flat = new KronLaplace(List.of(empty));
        flat.fit(0.0, 1.0);
        assertEquals(Math.exp(-KronLaplace.LOG_DELTA_LIMIT), flat.optimizePriorPrecision(), 1e-9 * Math.exp(-KronLaplace.LOG_DELTA_LIMIT));
        assertEquals("lower", flat.priorPrecisionAtBound());
        // a fixed prior precision is not a search result
        flat.setPriorPrecision(2.0);
        assertNull(flat.priorPrecisionAtBound());
    }

    @Test
    void probitPredictiveAgreesWithMonteCarloSampling() {
        // binary: E[softmax(f)_1] with f ~ N(mu, V) by quadrature over d = f1 - f0 ~ N(mu1 - mu0, v11 + v00 - 2 v01)
        double[][][] cases = {
            {{0.2, 1.0}, {0.5, 0.1}, {0.1, 0.8}},
            {{-1.0, 2.0}, {2.0, -0.5}, {-0.5, 1.5}},
            {{0.0, 0.3}, {0.05, 0.0}, {0.0, 0.05}},
        };
        SplittableRandom rng = new SplittableRandom(11);
        for (double[][] cs : cases) {
            double[] f = cs[0];
            double[][] v = {cs[1], cs[2]};
            double[] mc = KronLaplace.monteCarlo(f, v, 400_000, rng);
            double md = f[1] - f[0];
            double sd = Math.sqrt(v[1][1] + v[0][0] - 2 * v[0][1]);
            double quad = 0;
            int steps = 20_000;
            double h = 16.0 / steps;
            for (int s = 0; s <= steps; s++) {
                double z = -8 + s * h;
                double wgt = (s == 0 || s == steps) ? 0.5 : 1.0;
                quad += wgt * h * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) / (1 + Math.exp(-(md + sd * z)));
            }
            // MC with many samples is the exact predictive up to sampling error (sd <= 0.5 / sqrt(4e5))
            assertEquals(quad, mc[1], 0.003);
            // the probit approximation (laplace-redux's multiclass form: each logit scaled by its own
            // variance, covariances ignored) is within 0.03 for moderate variances; with a large
            // correlated variance (second case: var(f1 - f0) = 4.5) it still moves the MAP plug-in
            // softmax(f) towards the exact predictive
            double[] probit = KronLaplace.probit(f, v);
            double plugIn = KronLaplace.softmax(f)[1];
            if (v[0][0] + v[1][1] - 2 * v[0][1] < 1.5) {
                assertEquals(mc[1], probit[1], 0.03, "probit vs MC for f=" + java.util.Arrays.toString(f));
            } else {
                assertTrue(Math.abs(probit[1] - mc[1]) < Math.abs(plugIn - mc[1]), "probit " + probit[1] + ", MC " + mc[1]);
            }
            assertEquals(1.0, probit[0] + probit[1], 1e-12);
        }
    }
}
