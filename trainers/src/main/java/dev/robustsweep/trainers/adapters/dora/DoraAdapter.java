package dev.robustsweep.trainers.adapters.dora;

import dev.robustsweep.trainers.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.model.Dropout;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DoRA (Liu et al. 2024, "Weight-Decomposed Low-Rank Adaptation") with PEFT's semantics.
 *
 * <p>Weights: W0 [n_out, n_in] and bias b [n_out] frozen; A [r, n_in], B [n_out, r] as in LoRA;
 * magnitude m [n_out] initialised to the row norms of W0 (norm over n_in, one per output; PEFT's
 * "column-wise" norm of the transposed weight). Input x [..., n_in], output [..., n_out]:
 * <pre>
 *   weight_norm = ||W0 + scaling * B A||_row   (detached: DoRA section 4.3)
 *   s = m / weight_norm
 *   y = s * (W0 x) + s * scaling * B A dropout(x) + b     (bias not rescaled)
 * </pre>
 * Merge: W' = (m / ||W0 + dW||_row) (W0 + dW), dW = scaling * B A. With lora_dropout = 0 this is
 * exactly PEFT's forward; with dropout PEFT applies the dropped input to the (s - 1) W0 x term too,
 * method-spec.md section 2 (followed here) keeps W0 x on the clean input.
 */
public final class DoraAdapter extends LoraAdapter {
    private final Parameter magnitude;

    public DoraAdapter(Parameter a, Parameter b, Parameter magnitude, double scaling, double dropout) {
        super(a, b, scaling, dropout);
        this.magnitude = magnitude;
    }

    /** LoRA's A and B (PEFT initialisation) plus m = ||W0||_row. */
    public static DoraAdapter create(Linear base, int r, double alpha, boolean rslora, double dropout,
                                     NDManager manager, SplittableRandom rng) {
        Parameter[] ab = initialise(base, r, manager, rng);
        NDArray norm = rowNorm(base.weight().array());
        NDArray m = manager.create(norm.toFloatArray(), new Shape(base.outFeatures()));
        norm.close();
        Parameter magnitude = new Parameter(base.name() + ".lora_magnitude_vector", m, true);
        return new DoraAdapter(ab[0], ab[1], magnitude, scaling(alpha, r, rslora), dropout);
    }

    /** ||w||_row = sqrt(sum over n_in of w^2), w [n_out, n_in] -> [n_out]. */
    public static NDArray rowNorm(NDArray w) {
        return w.square().sum(new int[] {1}).sqrt();
    }

    /** DoRA rescales the whole output: not LoRA's additive form. */
    @Override
    public boolean additive() {
        return false;
    }

    @Override
    public NDArray forward(NDArray x, Linear base, ForwardContext ctx) {
        NDArray w0 = base.weight().array();
        // weight norm of W0 + scaling B A on a detached LoRA product, itself a constant in backprop
        NDArray lora = b.array().stopGradient().matMul(a.array().stopGradient()).mul(Scalars.of(a.array(), scaling));
        NDArray weightNorm = rowNorm(w0.add(lora)).stopGradient();
        NDArray s = magnitude.array().div(weightNorm);
        // s * (W0 x + scaling B A dropout(x)), then the unscaled bias
        NDArray y = plusLowRank(Linear.linear(x, w0, null, ctx), x, ctx).mul(s);
        return base.bias() == null ? y : y.add(base.bias().array());
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(a, b, magnitude);
    }

    /** (m / ||W0 + dW||_row) (W0 + dW), dW = scaling B A. */
    @Override
    public NDArray mergedWeight(NDArray w0) {
        NDArray w = w0.add(b.array().matMul(a.array()).mul(Scalars.of(w0, scaling)));
        NDArray s = magnitude.array().div(rowNorm(w)).reshape(-1, 1);
        return w.mul(s);
    }

    public Parameter magnitude() {
        return magnitude;
    }
}
