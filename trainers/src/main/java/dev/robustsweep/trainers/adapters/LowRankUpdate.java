package dev.robustsweep.trainers.adapters;

import ai.djl.ndarray.NDArray;
import dev.robustsweep.trainers.model.Dropout;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;

/**
 * An adapter that adds a low-rank term to the frozen linear, y = W0 x + b + U (D dropout(x)) (PEFT's
 * lora.Linear forward): LoRA (D = A, U = scaling B), AdaLoRA (D = A * E row-wise, U = scale P) and
 * MonteCLoRA (D = its sampled A). Exposing D and U lets linears that read the same input (attention's
 * q, k, v) run their D x products as one multiply ({@link dev.robustsweep.trainers.model.SharedInput}).
 */
public interface LowRankUpdate extends Adapter {
    /** D [r, n_in] for this forward pass; MonteCLoRA draws its sample here in training, so call it once per pass. */
    NDArray down(ForwardContext ctx);

    /** U [n_out, r], the scale folded in (it multiplies the small matrix, not the [batch, seq, n_out] output). */
    NDArray up();

    /** lora_dropout: dropout on the adapter's input only. */
    double inputDropout();

    /** Whether {@link #forward} is the additive form below; DoRA, which shares LoRA's A and B but rescales, is not. */
    default boolean additive() {
        return true;
    }

    /** y = W0 x + b + U (D dropout(x)). */
    @Override
    default NDArray forward(NDArray x, Linear base, ForwardContext ctx) {
        return plusLowRank(Linear.linear(x, base.weight().array(), base.bias() == null ? null : base.bias().array(), ctx), x, ctx);
    }

    /** y + U (D dropout(x)): the low-rank path added to an output y [..., n_out] computed from x. */
    default NDArray plusLowRank(NDArray y, NDArray x, ForwardContext ctx) {
        return Linear.addLinear(y, Linear.linear(Dropout.apply(x, inputDropout(), ctx), down(ctx), null, ctx), up(), ctx);
    }
}
