package dev.robustsweep.trainers.adapters;

import ai.djl.ndarray.NDArray;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import java.util.List;

/**
 * The trainable change a method makes to one frozen linear layer y = W0 x + b (PEFT's LoRA layer
 * and its variants). LoRA, DoRA, AdaLoRA and MonteCLoRA each implement it in their own package.
 */
public interface Adapter {
    /**
     * The adapted output for input x of shape [..., n_in].
     *
     * @param base the frozen linear: weight W0 [n_out, n_in] and bias b [n_out]
     */
    NDArray forward(NDArray x, Linear base, ForwardContext ctx);

    /** This adapter's own parameters (A, B, magnitude, ...), named under the base layer's name. */
    List<Parameter> parameters();

    /** The weight W0' [n_out, n_in] that gives the adapter's evaluation output with a plain linear (merge). */
    NDArray mergedWeight(NDArray w0);

    /**
     * Whether {@link #mergedWeight} exists: false for a non-linear adapter (the bottleneck adapter),
     * which then also runs its own forward pass at evaluation.
     */
    default boolean mergeable() {
        return true;
    }
}
