package dev.robustsweep.trainers.adapters.monteclora;

import dev.robustsweep.trainers.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import java.util.List;

/**
 * MonteCLoRA's layer (Sengupta et al., Algorithm 1): LoRA whose down-projection A [r, n_in] is the mean
 * of a Gaussian mixture with a Wishart covariance and Dirichlet weights. Besides A and B it learns
 * v = log V [r] (diagonal Wishart scale, V = exp(v) > 0) and log alpha [N] (Dirichlet concentration,
 * alpha = exp(log alpha) > 0): r + N extra numbers.
 *
 * <p>Training forward, input x [..., n_in], output [..., n_out]:
 * <pre>
 *   T      ~ Bartlett(r, nu)                         (Wishart_r(I, nu) = T T^T; CPU draws)
 *   C      = diag(sqrt(V)) T                         (Cholesky factor of Sigma ~ Wishart_r(V, nu))
 *   pi     ~ Dirichlet(alpha), reparameterised       ({@link DirichletSampler}; sparse: one-hot argmax)
 *   Z_k    ~ N(0, I) [r, n_in], k = 1..N             (S_k = C Z_k: columns ~ N(0, Sigma))
 *   W      = sum_k pi_k S_k = C (sum_k pi_k Z_k)     (linearity: one [1, N] x [N, r n_in] and one [r, r] x [r, n_in] matmul)
 *   A_used = A + epsilon W
 *   y      = W0 x + b + scaling B A_used dropout(x)
 * </pre>
 * Sampling costs O(N r n_in + r^2 n_in) per layer and step. At evaluation A_used = A (Lemma 5: E[W] = 0),
 * so inference and merge are LoRA's.
 */
public final class MonteCLoraAdapter extends LoraAdapter {
    private final Parameter logScale;
    private final Parameter logConcentration;
    private final double epsilon;
    private final boolean sparse;
    private final WishartSampler wishart;
    private final int mixtures;
    /** Per-step state of the last training forward: the Bartlett factor (CPU) and pi (engine, step scope). */
    private float[] stepT;
    private NDArray stepPi;
    /** The noise of the last training draw (kept for replaying a step elsewhere, e.g. the PyTorch oracle test). */
    private Draw lastDraw;

    /**
     * The noise of one training draw: the Bartlett factor T [r, r] (row-major), the standard normals z [N]
     * of pi's reparameterisation and the standard normals Z [N, r * n_in] of the N samples. The two
     * arrays belong to the training step's scope: read them before the step ends.
     */
    public record Draw(float[] bartlett, NDArray piNoise, NDArray gaussians) {}

    public MonteCLoraAdapter(Parameter a, Parameter b, Parameter logScale, Parameter logConcentration,
                             double scaling, double dropout, double epsilon, boolean sparse, WishartSampler wishart) {
        super(a, b, scaling, dropout);
        this.logScale = logScale;
        this.logConcentration = logConcentration;
        this.epsilon = epsilon;
        this.sparse = sparse;
        this.wishart = wishart;
        this.mixtures = (int) logConcentration.array().getShape().get(0);
        if (wishart.r() != a.array().getShape().get(0)) {
            throw new IllegalArgumentException("Wishart dimension " + wishart.r() + " != LoRA rank " + a.array().getShape().get(0));
        }
    }

    /**
     * v = 0 (V = I, the Wishart prior's scale) and log alpha = log(alpha0) for every component.
     *
     * @param ab     LoRA's A and B (PEFT initialisation)
     * @param alpha0 initial concentrations [N]
     */
    public static MonteCLoraAdapter create(Linear base, Parameter[] ab, double[] alpha0, double scaling, double dropout,
                                           double epsilon, boolean sparse, WishartSampler wishart, NDManager manager) {
        int r = (int) ab[0].array().getShape().get(0);
        float[] logAlpha = new float[alpha0.length];
        for (int k = 0; k < alpha0.length; k++) logAlpha[k] = (float) Math.log(alpha0[k]);
        // weight decay as Hugging Face Trainer gives every tensor that is neither a bias nor a LayerNorm weight
        // (get_decay_parameter_names; the authors' code trains its V and alpha under that Trainer)
        Parameter logScale = new Parameter(base.name() + ".monteclora.wishart_log_scale",
                manager.zeros(new Shape(r)), true);
        Parameter logConcentration = new Parameter(base.name() + ".monteclora.dirichlet_log_concentration",
                manager.create(logAlpha, new Shape(alpha0.length)), true);
        return new MonteCLoraAdapter(ab[0], ab[1], logScale, logConcentration, scaling, dropout, epsilon, sparse, wishart);
    }

    /** D: in training a fresh sample A + epsilon W (Algorithm 1), else the mean A. */
    @Override
    public NDArray down(ForwardContext ctx) {
        return ctx.training() ? stochasticA() : a.array();
    }

    /** One draw of A_used = A + epsilon W (Algorithm 1 steps 1-4); records T and pi for the step's losses. */
    public NDArray stochasticA() {
        NDArray aMean = a.array();
        NDManager manager = aMean.getManager();
        int r = (int) aMean.getShape().get(0);
        long in = aMean.getShape().get(1);
        // 1. Sigma ~ Wishart_r(V, nu): Cholesky factor C = diag(sqrt V) T
        stepT = wishart.bartlettFactor();
        NDArray c = WishartSampler.choleskyFactor(logScale.array(), manager.create(stepT, new Shape(r, r)));
        // 2. pi ~ Dirichlet(alpha), Laplace reparameterisation (sparse: straight-through one-hot)
        NDArray piNoise = manager.randomNormal(new Shape(mixtures));
        NDArray pi = DirichletSampler.sample(logConcentration.array(), piNoise);
        stepPi = pi;
        NDArray weights = sparse ? DirichletSampler.sparse(pi) : pi;
        // 3.-4. W = sum_k pi_k C Z_k = C (sum_k pi_k Z_k), all N samples in one matmul
        NDArray z = manager.randomNormal(new Shape(mixtures, r * in));
        NDArray mix = weights.reshape(1, mixtures).matMul(z).reshape(r, in);
        lastDraw = new Draw(stepT, piNoise, z);
        return aMean.add(c.matMul(mix).mul(Scalars.of(mix, epsilon)));
    }

    /** The last training step's Bartlett factor T (r x r row-major), or null when none is pending. */
    float[] stepT() {
        return stepT;
    }

    /** The last training step's sampled (dense) mixture weights pi [N], or null when none is pending. */
    NDArray stepPi() {
        return stepPi;
    }

    /** The noise of the last training draw, or null before the first (see {@link Draw}). */
    public Draw lastDraw() {
        return lastDraw;
    }

    /** Forgets the per-step state once the step's losses are built. */
    void clearStep() {
        stepT = null;
        stepPi = null;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(a, b, logScale, logConcentration);
    }

    /** log V [r]. */
    public Parameter logScale() {
        return logScale;
    }

    /** log alpha [N]. */
    public Parameter logConcentration() {
        return logConcentration;
    }

    public int mixtures() {
        return mixtures;
    }
}
