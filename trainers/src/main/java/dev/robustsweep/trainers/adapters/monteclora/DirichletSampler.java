package dev.robustsweep.trainers.adapters.monteclora;

import dev.robustsweep.trainers.model.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * pi ~ Dirichlet(alpha), reparameterised so gradients reach alpha (MonteCLoRA Algorithm 1 step 2).
 *
 * <p>Choice: the Laplace approximation in the softmax basis (MacKay 1998; Srivastava and Sutton 2017),
 * as the authors' active sampler (LCS2-IIITD/MonteCLoRA, tuners_utils.py MonteCLoRASampler: softmax of the
 * Laplace logits; their unused MonteCLoRALinear class and an older commented-out sampler take sigmoid, then
 * renormalise) and PEFT's MonteCLoRA
 * variant (tuners/lora/monteclora.py: softmax) do, rather than the paper's Gamma/normalise construction: the engine
 * has no Gamma sampler, and a Gamma sampler written from engine ops (Marsaglia-Tsang rejection) has no
 * exact reparameterisation gradient. With alpha = exp(log_alpha) [..., N]:
 * <pre>
 *   mu_k  = log a_k - mean_j log a_j
 *   var_k = (1 / a_k)(1 - 2 / N) + (1 / N^2) sum_j 1 / a_j
 *   pi    = softmax(mu + sqrt(var) * z),  z ~ N(0, I_N)
 * </pre>
 * Known error: the mean of this logistic normal equals alpha / sum(alpha) exactly when alpha is
 * symmetric (all a_k equal: then every component is exchangeable); otherwise it is biased towards the
 * uniform vector, less so as the a_k grow (the approximation matches the Dirichlet's mode in the softmax
 * basis, not its mean). DirichletSamplerTest measures the bias against a quadrature of the logistic
 * normal and bounds it for the concentrations it uses.
 */
public final class DirichletSampler {
    private DirichletSampler() {}

    /** One sample per row: logAlpha [..., N], z [..., N] standard normal (same shape or broadcastable) -> pi [..., N]. */
    public static NDArray sample(NDArray logAlpha, NDArray z) {
        long n = logAlpha.getShape().get(logAlpha.getShape().dimension() - 1);
        if (n == 1) return logAlpha.onesLike();
        NDArray mu = logAlpha.sub(logAlpha.mean(new int[] {-1}, true));
        NDArray invA = logAlpha.neg().exp();
        NDArray var = invA.mul(Scalars.of(invA, 1 - 2.0 / n)).add(invA.sum(new int[] {-1}, true).mul(Scalars.of(invA, 1.0 / ((double) n * n))));
        return mu.add(var.sqrt().mul(z)).softmax(-1);
    }

    /** Straight-through one-hot of argmax_k pi_k (sparse mixture): the value is one-hot, the gradient is pi's. */
    public static NDArray sparse(NDArray pi) {
        long n = pi.getShape().get(pi.getShape().dimension() - 1);
        NDArray oneHot = pi.argMax(-1).oneHot((int) n).toType(pi.getDataType(), false);
        return oneHot.add(pi.sub(pi.stopGradient()));
    }
}
