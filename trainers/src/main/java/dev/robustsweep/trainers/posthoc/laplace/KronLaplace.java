package dev.robustsweep.trainers.posthoc.laplace;

import java.util.List;

/**
 * A Laplace approximation with a Kronecker-factored GGN per weight matrix and one scalar prior
 * precision delta (Laplace-LoRA, Yang et al. 2024; the laplace-redux library's KronLaplace):
 * posterior N(theta_MAP, (H + delta I)^{-1}) over the weights of {@link KroneckerBlock}s.
 *
 * <p>Log marginal likelihood (MacKay; laplace-redux's log_marginal_likelihood):
 * log p(D | delta) ~ log p(D | theta*) - 1/2 delta ||theta*||^2 + P/2 log delta - 1/2 log det(H + delta I),
 * maximised over log delta in [-30, 30] by a coarse scan and golden-section search (a test checks the
 * optimum against a grid); an optimum on an end of that range is reported, never silently clipped.
 *
 * <p>Predictive (linearised model): f(x) ~ N(f_MAP(x), V), V[c,c'] = J_c^T (H + delta I)^{-1} J_c',
 * J_c = d f_c / d theta; then the probit approximation p = softmax(f / sqrt(1 + pi/8 diag V)) or
 * the MC average of softmax over samples of f.
 */
public final class KronLaplace {
    private final List<KroneckerBlock> blocks;
    private double logLikelihood;
    private double thetaSquaredNorm;
    private double priorPrecision = 1.0;

    public KronLaplace(List<KroneckerBlock> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public List<KroneckerBlock> blocks() {
        return blocks;
    }

    /** P, the number of weights under the posterior. */
    public long parameters() {
        long p = 0;
        for (KroneckerBlock b : blocks) p += b.size();
        return p;
    }

    /** Finishes the fit: eigendecomposition of every factor; {@code logLikelihood} = sum log p(y|x, theta*). */
    public void fit(double logLikelihood, double thetaSquaredNorm) {
        this.logLikelihood = logLikelihood;
        this.thetaSquaredNorm = thetaSquaredNorm;
        for (KroneckerBlock b : blocks) b.decompose();
    }

    public double priorPrecision() {
        return priorPrecision;
    }

    public void setPriorPrecision(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) throw new IllegalArgumentException("prior precision must be positive, got " + delta);
        this.priorPrecision = delta;
        this.atBound = null;
    }

    /** log p(D | delta) under the Laplace approximation. */
    public double logMarginalLikelihood(double delta) {
        double logDet = 0;
        for (KroneckerBlock b : blocks) logDet += b.logDet(delta);
        return logLikelihood - 0.5 * delta * thetaSquaredNorm + 0.5 * parameters() * Math.log(delta) - 0.5 * logDet;
    }

    /** The search range of {@link #optimizePriorPrecision}: log delta in [-LOG_DELTA_LIMIT, LOG_DELTA_LIMIT]. */
    public static final double LOG_DELTA_LIMIT = 30;

    /**
     * Maximises the marginal likelihood over log delta in [-{@value #LOG_DELTA_LIMIT}, {@value #LOG_DELTA_LIMIT}];
     * sets and returns delta. A coarse scan (step 1 in log delta) brackets the maximum (it is unique:
     * d/d delta = -||theta||^2 / 2 + 1/2 sum_i lambda_i / (delta (lambda_i + delta)) changes sign once
     * when ||theta|| > 0 and some lambda_i > 0), golden-section search refines it within the bracket.
     * When the maximum lies on an end of the range (no curvature, theta = 0, or an optimum beyond
     * e^+-30) delta is that end and {@link #priorPrecisionAtBound()} says so.
     */
    public double optimizePriorPrecision() {
        int steps = (int) (2 * LOG_DELTA_LIMIT);
        int best = 0;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= steps; i++) {
            double value = negativeLogMarginal(-LOG_DELTA_LIMIT + i);
            if (value < bestValue) { // first of ties: a flat function stays at the lower end
                bestValue = value;
                best = i;
            }
        }
        double a = -LOG_DELTA_LIMIT + Math.max(0, best - 1);
        double b = -LOG_DELTA_LIMIT + Math.min(steps, best + 1);
        double gr = (Math.sqrt(5) - 1) / 2;
        double c = b - gr * (b - a);
        double d = a + gr * (b - a);
        double fc = negativeLogMarginal(c);
        double fd = negativeLogMarginal(d);
        while (b - a > 1e-7) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - gr * (b - a);
                fc = negativeLogMarginal(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + gr * (b - a);
                fd = negativeLogMarginal(d);
            }
        }
        double logDelta = (a + b) / 2;
        // an end of the range beats every interior point the search saw: the maximum is (at or beyond) that end
        if (best == 0 && negativeLogMarginal(-LOG_DELTA_LIMIT) <= negativeLogMarginal(logDelta)) logDelta = -LOG_DELTA_LIMIT;
        if (best == steps && negativeLogMarginal(LOG_DELTA_LIMIT) <= negativeLogMarginal(logDelta)) logDelta = LOG_DELTA_LIMIT;
        atBound = logDelta <= -LOG_DELTA_LIMIT + BOUND_TOLERANCE ? "lower" : logDelta >= LOG_DELTA_LIMIT - BOUND_TOLERANCE ? "upper" : null;
        priorPrecision = Math.exp(logDelta);
        return priorPrecision;
    }

    /** How close (in log delta) to an end of the range counts as on it. */
    static final double BOUND_TOLERANCE = 1e-3;

    private String atBound;

    /**
     * "lower" or "upper" when the last {@link #optimizePriorPrecision} put delta on that end of its
     * range (the marginal likelihood's maximum is there or beyond it), else null.
     */
    public String priorPrecisionAtBound() {
        return atBound;
    }

    /** -log p(D | e^logDelta); NaN (a degenerate fit) counts as +infinity so the search avoids it. */
    private double negativeLogMarginal(double logDelta) {
        double v = -logMarginalLikelihood(Math.exp(logDelta));
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }

    /**
     * The functional covariance V [k][k] of one example from its Jacobians: jac[c][block] is
     * d f_c / d W_block, row-major [d_out * d_in].
     */
    public double[][] functionalVariance(double[][][] jac) {
        int k = jac.length;
        double[][][] rotated = new double[k][blocks.size()][];
        for (int c = 0; c < k; c++) for (int b = 0; b < blocks.size(); b++) rotated[c][b] = blocks.get(b).rotate(jac[c][b]);
        double[][] v = new double[k][k];
        for (int c = 0; c < k; c++) {
            for (int e = c; e < k; e++) {
                double s = 0;
                for (int b = 0; b < blocks.size(); b++) s += blocks.get(b).quadratic(rotated[c][b], rotated[e][b], priorPrecision);
                v[c][e] = s;
                v[e][c] = s;
            }
        }
        return v;
    }

    /** Probit approximation (laplace-redux, multiclass): softmax(f_c / sqrt(1 + pi/8 V_cc)). */
    public static double[] probit(double[] f, double[][] v) {
        double[] z = new double[f.length];
        for (int c = 0; c < f.length; c++) z[c] = f[c] / Math.sqrt(1 + Math.PI / 8 * v[c][c]);
        return softmax(z);
    }

    /** Monte Carlo: the average of softmax(f + L eps) over {@code samples} draws, L L^T = V (Cholesky with jitter). */
    public static double[] monteCarlo(double[] f, double[][] v, int samples, java.util.SplittableRandom rng) {
        int k = f.length;
        double[][] l = cholesky(v);
        double[] mean = new double[k];
        double[] eps = new double[k];
        double[] z = new double[k];
        for (int s = 0; s < samples; s++) {
            for (int c = 0; c < k; c++) eps[c] = gaussian(rng);
            for (int c = 0; c < k; c++) {
                double x = f[c];
                for (int e = 0; e <= c; e++) x += l[c][e] * eps[e];
                z[c] = x;
            }
            double[] p = softmax(z);
            for (int c = 0; c < k; c++) mean[c] += p[c] / samples;
        }
        return mean;
    }

    static double[][] cholesky(double[][] v) {
        int k = v.length;
        double jitter = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            double[][] l = new double[k][k];
            boolean ok = true;
            for (int i = 0; i < k && ok; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = v[i][j] + (i == j ? jitter : 0);
                    for (int m = 0; m < j; m++) s -= l[i][m] * l[j][m];
                    if (i == j) {
                        if (s <= 0) {
                            ok = s > -1e-12 * (1 + Math.abs(v[i][i]));
                            l[i][i] = 0;
                        } else {
                            l[i][i] = Math.sqrt(s);
                        }
                    } else {
                        l[i][j] = l[j][j] == 0 ? 0 : s / l[j][j];
                    }
                }
            }
            if (ok) return l;
            jitter = jitter == 0 ? 1e-10 : jitter * 10;
        }
        throw new IllegalStateException("functional covariance is not positive semi-definite");
    }

    static double gaussian(java.util.SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : z) max = Math.max(max, x);
        double sum = 0;
        double[] p = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            p[c] = Math.exp(z[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < z.length; c++) p[c] /= sum;
        return p;
    }
}
