package dev.robustsweep.trainers.adapters.lora;

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
 * LoRA (Hu et al. 2021) with PEFT's semantics: y = W0 x + b + scaling * B A dropout(x),
 * A [r, n_in] ~ U(-1/sqrt(n_in), 1/sqrt(n_in)) (torch Linear's default Kaiming-uniform, a = sqrt(5)),
 * B [n_out, r] = 0, scaling = lora_alpha / r (rsLoRA: lora_alpha / sqrt(r)).
 */
public class LoraAdapter implements LowRankUpdate {
    protected final Parameter a;
    protected final Parameter b;
    protected final double scaling;
    protected final double dropout;

    public LoraAdapter(Parameter a, Parameter b, double scaling, double dropout) {
        this.a = a;
        this.b = b;
        this.scaling = scaling;
        this.dropout = dropout;
    }

    /** Creates A and B for {@code base} with PEFT's initialisation, drawn from {@code rng}. */
    public static LoraAdapter create(Linear base, int r, double alpha, boolean rslora, double dropout,
                                     NDManager manager, SplittableRandom rng) {
        Parameter[] ab = initialise(base, r, manager, rng);
        return new LoraAdapter(ab[0], ab[1], scaling(alpha, r, rslora), dropout);
    }

    /** lora_alpha / r, or lora_alpha / sqrt(r) for rsLoRA. */
    public static double scaling(double alpha, int r, boolean rslora) {
        return rslora ? alpha / Math.sqrt(r) : alpha / r;
    }

    /** A ~ U(-1/sqrt(n_in), 1/sqrt(n_in)) [r, n_in]; B = 0 [n_out, r]. */
    public static Parameter[] initialise(Linear base, int r, NDManager manager, SplittableRandom rng) {
        int in = (int) base.inFeatures();
        int out = (int) base.outFeatures();
        double bound = 1.0 / Math.sqrt(in);
        float[] a = new float[r * in];
        for (int i = 0; i < a.length; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        return new Parameter[] {
            new Parameter(base.name() + ".lora_A.weight", manager.create(a, new Shape(r, in)), true),
            new Parameter(base.name() + ".lora_B.weight", manager.zeros(new Shape(out, r)), true)
        };
    }

    /** D = A. */
    @Override
    public NDArray down(ForwardContext ctx) {
        return a.array();
    }

    /** U = scaling * B. */
    @Override
    public NDArray up() {
        return b.array().mul(Scalars.of(b.array(), scaling));
    }

    @Override
    public double inputDropout() {
        return dropout;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(a, b);
    }

    /** W0 + scaling * B A. */
    @Override
    public NDArray mergedWeight(NDArray w0) {
        return w0.add(b.array().matMul(a.array()).mul(Scalars.of(w0, scaling)));
    }

    public Parameter a() {
        return a;
    }

    public Parameter b() {
        return b;
    }

    public double scaling() {
        return scaling;
    }
}
