package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;

/** BertIntermediate + BertOutput: LayerNorm(dense_out(gelu(dense_in(x))) + x). */
public final class FeedForward {
    final Linear intermediate;
    final Linear output;
    final LayerNorm layerNorm;
    private final double hiddenDropout;

    public FeedForward(Linear intermediate, Linear output, LayerNorm layerNorm, double hiddenDropout) {
        this.intermediate = intermediate;
        this.output = output;
        this.layerNorm = layerNorm;
        this.hiddenDropout = hiddenDropout;
    }

    public NDArray forward(NDArray x, ForwardContext ctx) {
        // exact (erf) GELU as in BERT's "gelu"
        NDArray h = intermediate.forward(x, ctx).getNDArrayInternal().gelu();
        NDArray projected = Dropout.apply(output.forward(h, ctx), hiddenDropout, ctx);
        return layerNorm.forward(projected.add(x));
    }
}
