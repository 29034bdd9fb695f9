package dev.robustsweep.trainers.adapters.monteclora;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;

/**
 * Sigma ~ Wishart_r(V, nu) with a diagonal scale V, by the Bartlett construction (MonteCLoRA
 * Algorithm 1 step 1; method-spec.md section 3):
 * Sigma = L S L^T, L = diag(sqrt(V)), S = T T^T ~ Wishart_r(I, nu), T lower-triangular with
 * T_jj = sqrt(chi2(nu - j + 1)) (j = 1..r) and T_jk ~ N(0, 1) below the diagonal.
 * L T is lower-triangular with a positive diagonal, so it already is the Cholesky factor of Sigma:
 * no decomposition is needed, and samples with covariance Sigma are (L T) Z with Z standard normal.
 *
 * <p>T is a handful of numbers per layer, drawn on the CPU from a {@link SplittableRandom} derived from
 * the trial seed (the engine has no gamma or chi-square sampler); the chi-square draws are
 * 2 Gamma(df / 2) by Marsaglia and Tsang (2000), valid for every real df > 0.
 */
public final class WishartSampler {
    private final int r;
    private final double nu;
    private final SplittableRandom rng;

    /**
     * @param r  dimension of Sigma (the LoRA rank)
     * @param nu degrees of freedom, > r - 1
     */
    public WishartSampler(int r, double nu, SplittableRandom rng) {
        if (!(nu > r - 1)) throw new IllegalArgumentException("monteclora.wishart_dof: must be > r - 1 = " + (r - 1) + ", got " + nu);
        this.r = r;
        this.nu = nu;
        this.rng = rng;
    }

    /** One Bartlett factor T, r x r row-major, lower-triangular. */
    public float[] bartlettFactor() {
        float[] t = new float[r * r];
        for (int j = 0; j < r; j++) {
            // 0-based row j: chi-square with nu - j degrees of freedom (nu - j + 1 in the 1-based text)
            t[j * r + j] = (float) Math.sqrt(chiSquare(nu - j));
            for (int k = 0; k < j; k++) t[j * r + k] = (float) normal();
        }
        return t;
    }

    /** The Cholesky factor L T of Sigma = L T T^T L^T, L = diag(exp(v / 2)) (V = exp(v)); v [..., r], t [..., r, r]. */
    public static NDArray choleskyFactor(NDArray v, NDArray t) {
        return v.mul(Scalars.like(v, 0.5)).exp().expandDims(-1).mul(t);
    }

    public int r() {
        return r;
    }

    public double nu() {
        return nu;
    }

    /** chi2(df) = 2 Gamma(df / 2, 1). */
    public double chiSquare(double df) {
        return 2 * gamma(df / 2);
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 via Gamma(shape + 1) U^(1 / shape). */
    public double gamma(double shape) {
        if (shape < 1) {
            double u = 1.0 - rng.nextDouble();
            return gamma(shape + 1) * Math.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = normal();
            double v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1.0 - rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }

    /** Standard normal by Box-Muller. */
    public double normal() {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
