package dev.robustsweep.trainers.adapters.monteclora;

import dev.robustsweep.trainers.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * MonteCLoRA's regularisers (paper section 4.4, eq. 19-22), each batched over layers: every input has
 * a leading layer dimension L and every output is [L].
 */
public final class KlDivergences {
    private KlDivergences() {}

    /**
     * Eq. 19: KL(N(0, Sigma) || N(0, I)) = 1/2 (tr(Sigma) - ln|Sigma| - r) for the sampled
     * Sigma = L T T^T L^T, L = diag(exp(v / 2)). In closed form from the Bartlett factor T:
     * tr(Sigma) = sum_i exp(v_i) sum_j T_ij^2 and ln|Sigma| = sum_i v_i + sum_i ln T_ii^2.
     *
     * @param v         log V [L, r]
     * @param rowSumSq  sum_j T_ij^2 [L, r] (no gradient)
     * @param logDetTT  sum_i ln T_ii^2 [L] (no gradient)
     */
    public static NDArray gaussian(NDArray v, NDArray rowSumSq, NDArray logDetTT) {
        long r = v.getShape().get(1);
        NDArray trace = v.exp().mul(rowSumSq).sum(new int[] {1});
        NDArray logDet = v.sum(new int[] {1}).add(logDetTT);
        return trace.sub(logDet).sub(Scalars.of(v, r)).mul(Scalars.of(v, 0.5));
    }

    /** Eq. 20: KL(Wishart(V, nu) || Wishart(I, nu)) = 1/2 (-nu ln|V| + nu tr(V) - nu r), V = diag(exp(v)), v [L, r]. */
    public static NDArray wishart(NDArray v, double nu) {
        long r = v.getShape().get(1);
        return v.exp().sub(v).sum(new int[] {1}).sub(Scalars.of(v, r)).mul(Scalars.of(v, 0.5 * nu));
    }

    /**
     * Eq. 21: KL(Dir(alpha) || Dir(a0 1)) = lnG(sum a) - lnG(N a0) + sum_k (lnG(a0) - lnG(a_k))
     * + sum_k (a_k - a0)(psi(a_k) - psi(sum a)), alpha = exp(logAlpha) [L, N], returned in logAlpha's type.
     * The value is evaluated in float64 (psi and lnG of large and small arguments cancel); the gradient
     * comes from the same formula in logAlpha's own type, because DJL's toType runs without autograd (a
     * cast would cut alpha off from the KL's gradient): kl + (kl64 - kl), the bracket a constant.
     */
    public static NDArray dirichlet(NDArray logAlpha, double a0) {
        DataType type = logAlpha.getDataType();
        NDArray kl = dirichletFormula(logAlpha, a0);
        if (type == DataType.FLOAT64) return kl;
        NDArray kl64 = dirichletFormula(logAlpha.stopGradient().toType(DataType.FLOAT64, false), a0).toType(type, false);
        return kl.add(kl64.sub(kl.stopGradient()));
    }

    /** Eq. 21 in logAlpha's type, differentiable. */
    private static NDArray dirichletFormula(NDArray logAlpha, double a0) {
        NDArray a = logAlpha.exp();
        long n = a.getShape().get(1);
        NDArray sum = a.sum(new int[] {1}, true);
        // one digamma call over [a_1 .. a_N, sum a]
        NDArray psi = Digamma.of(a.concat(sum, 1));
        NDArray psiA = psi.get(":, :" + n);
        NDArray psiSum = psi.get(":, " + n + ":");
        double constant = -lnGamma(n * a0) + n * lnGamma(a0);
        return sum.gammaln().squeeze(1)
                .sub(a.gammaln().sum(new int[] {1}))
                .add(a.sub(Scalars.of(a, a0)).mul(psiA.sub(psiSum)).sum(new int[] {1}))
                .add(Scalars.of(a, constant));
    }

    /** Eq. 22: cooperative loss sum_k pi_k^2 per layer, pi [L, N] (minimal, 1/N, at the uniform mixture). */
    public static NDArray cooperative(NDArray pi) {
        return pi.square().sum(new int[] {1});
    }

    private static double lnGamma(double x) {
        return org.apache.commons.math3.special.Gamma.logGamma(x);
    }
}
