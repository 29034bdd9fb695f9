package dev.robustsweep.trainers.adapters.adalora;

import dev.robustsweep.trainers.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.LowRankUpdate;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import java.util.List;
import java.util.SplittableRandom;

/**
 * AdaLoRA's SVD-form update (Zhang et al. 2023, eq. 3) with PEFT's semantics:
 * P = lora_B [n_out, r], lambda = lora_E [r], Q = lora_A [r, n_in], built with r = init_r.
 * E = 0 and A, B ~ N(0, 0.02) at start, so the adapted layer starts equal to the base layer.
 * Input x [..., n_in], output [..., n_out]:
 * <pre>
 *   y = W0 x + b + dropout(x) Q^T diag(E) P^T * scaling / (r + 1e-5)
 * </pre>
 * scaling = lora_alpha (r when lora_alpha is 0); r is the built rank (PEFT's ranknum, fixed).
 * Merge: W0 += scaling / (r + 1e-5) * B (A * E).
 */
public final class AdaLoraAdapter implements LowRankUpdate {
    private final Parameter a;
    private final Parameter b;
    private final Parameter e;
    private final int rank;
    private final double scale;
    private final double dropout;

    public AdaLoraAdapter(Parameter a, Parameter b, Parameter e, double loraAlpha, double dropout) {
        this.a = a;
        this.b = b;
        this.e = e;
        this.rank = (int) e.array().getShape().get(0);
        double scaling = loraAlpha > 0 ? loraAlpha : rank;
        this.scale = scaling / (rank + 1e-5);
        this.dropout = dropout;
    }

    /** A, B ~ N(0, 0.02) (PEFT's AdaLoraLayer.reset_lora_parameters), E = 0. */
    public static AdaLoraAdapter create(Linear base, int initR, double loraAlpha, double dropout,
                                        NDManager manager, SplittableRandom rng) {
        int in = (int) base.inFeatures();
        int out = (int) base.outFeatures();
        Parameter a = new Parameter(base.name() + ".lora_A.weight",
                manager.create(normal(rng, initR * in, 0.02), new Shape(initR, in)), true);
        Parameter b = new Parameter(base.name() + ".lora_B.weight",
                manager.create(normal(rng, out * initR, 0.02), new Shape(out, initR)), true);
        Parameter e = new Parameter(base.name() + ".lora_E.weight", manager.zeros(new Shape(initR)), true);
        return new AdaLoraAdapter(a, b, e, loraAlpha, dropout);
    }

    private static float[] normal(SplittableRandom rng, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            out[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return out;
    }

    /** D = Q scaled row-wise by lambda: (A * E) [r, n_in]. */
    @Override
    public NDArray down(ForwardContext ctx) {
        return a.array().mul(e.array().reshape(-1, 1));
    }

    /** U = scale * P (the scale multiplies the small P [n_out, r], not the [batch, seq, n_out] output). */
    @Override
    public NDArray up() {
        return b.array().mul(Scalars.of(b.array(), scale));
    }

    @Override
    public double inputDropout() {
        return dropout;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(a, b, e);
    }

    @Override
    public NDArray mergedWeight(NDArray w0) {
        NDArray ae = a.array().mul(e.array().reshape(-1, 1));
        return w0.add(b.array().matMul(ae).mul(Scalars.of(w0, scale)));
    }

    public Parameter a() {
        return a;
    }

    public Parameter b() {
        return b;
    }

    public Parameter e() {
        return e;
    }

    public int rank() {
        return rank;
    }
}
