package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** One transformer layer: self-attention block then feed-forward block, each with post-LayerNorm. */
public final class EncoderLayer {
    final SelfAttention attention;
    final FeedForward feedForward;

    public EncoderLayer(SelfAttention attention, FeedForward feedForward) {
        this.attention = attention;
        this.feedForward = feedForward;
    }

    public NDArray forward(NDArray x, NDArray additiveMask, ForwardContext ctx) {
        return feedForward.forward(attention.forward(x, additiveMask, ctx), ctx);
    }

    /** The adaptable linears by their target-module name (paper Figure 7). */
    public Map<String, Linear> targetLinears() {
        return Map.of(
                "query", attention.query,
                "key", attention.key,
                "value", attention.value,
                "attention_output", attention.output,
                "intermediate", feedForward.intermediate,
                "output", feedForward.output);
    }
}
