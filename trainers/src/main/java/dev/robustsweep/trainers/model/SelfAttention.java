package dev.robustsweep.trainers.model;

import ai.djl.ndarray.NDArray;

/**
 * Multi-head self-attention with its output projection and post-LayerNorm (BertAttention):
 * softmax(Q K^T / sqrt(d) + mask) V, then LayerNorm(dense(context) + x).
 * Input [batch, seq, hidden], additive mask [batch, 1, 1, seq] (null: no padding); output [batch, seq, hidden].
 */
public final class SelfAttention {
    final Linear query;
    final Linear key;
    final Linear value;
    final Linear output;
    final LayerNorm layerNorm;
    private final int heads;
    private final double attentionDropout;
    private final double hiddenDropout;

    public SelfAttention(Linear query, Linear key, Linear value, Linear output, LayerNorm layerNorm,
                         int heads, double attentionDropout, double hiddenDropout) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.layerNorm = layerNorm;
        this.heads = heads;
        this.attentionDropout = attentionDropout;
        this.hiddenDropout = hiddenDropout;
    }

    public NDArray forward(NDArray x, NDArray additiveMask, ForwardContext ctx) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long hidden = x.getShape().get(2);
        long d = hidden / heads;
        // project and split heads: [b, t, hidden] -> [b, heads, t, d]
        NDArray[] qkv = SharedInput.forward(x, ctx, query, key, value);
        NDArray q = qkv[0].reshape(b, t, heads, d).transpose(0, 2, 1, 3);
        NDArray k = qkv[1].reshape(b, t, heads, d).transpose(0, 2, 3, 1);
        NDArray v = qkv[2].reshape(b, t, heads, d).transpose(0, 2, 1, 3);
        // scaled dot-product scores (q / sqrt(d)) k^T: the scale on q, 4x fewer elements than on the [t, t]
        // scores when t = 128 with d = 32; plus the padding mask, absent when the batch has no padding
        NDArray scores = Linear.matMul(q.mul(Scalars.of(q, 1.0 / Math.sqrt(d))), k, ctx);
        if (additiveMask != null) scores = scores.add(additiveMask);
        NDArray probs = Dropout.apply(scores.softmax(-1), attentionDropout, ctx);
        // merge heads: [b, heads, t, d] -> [b, t, hidden]
        NDArray context = Linear.matMul(probs, v, ctx).transpose(0, 2, 1, 3).reshape(b, t, hidden);
        // output projection, dropout, residual, post-LayerNorm
        NDArray projected = Dropout.apply(output.forward(context, ctx), hiddenDropout, ctx);
        return layerNorm.forward(projected.add(x));
    }
}
