package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustsweep.trainers.model.Dropout;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.SharedInput;
import dev.robustsweep.trainers.model.Scalars;

/**
 * LlamaAttention (also Mistral's and Qwen2's): q/k/v projections, rotary embeddings on q and k,
 * grouped-query attention (query head i reads key/value head i / (heads / kv_heads), as
 * repeat_kv), softmax(q k^T / sqrt(head_dim) + mask) v, then o_proj.
 * Input [batch, seq, hidden]; additive mask [batch, 1, 1, seq, past + seq]; output [batch, seq, hidden].
 */
public final class DecoderAttention {
    final Linear qProj;
    final Linear kProj;
    final Linear vProj;
    final Linear oProj;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final double attentionDropout;

    public DecoderAttention(Linear qProj, Linear kProj, Linear vProj, Linear oProj,
                            int heads, int kvHeads, int headDim, double attentionDropout) {
        this.qProj = qProj;
        this.kProj = kProj;
        this.vProj = vProj;
        this.oProj = oProj;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.attentionDropout = attentionDropout;
    }

    /**
     * @param cache  keys/values of earlier tokens (appended to), or null to attend within x only
     * @param layer  this layer's index in the cache
     */
    public NDArray forward(NDArray x, NDList cosSin, NDArray additiveMask, KvCache cache, int layer, ForwardContext ctx) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int group = heads / kvHeads;
        // project and split heads: [b, t, n * d] -> [b, n, t, d]
        NDArray[] qkv = SharedInput.forward(x, ctx, qProj, kProj, vProj);
        NDArray q = qkv[0].reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
        NDArray k = qkv[1].reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3);
        NDArray v = qkv[2].reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3);
        q = RotaryEmbedding.apply(q, cosSin.get(0), cosSin.get(1));
        k = RotaryEmbedding.apply(k, cosSin.get(0), cosSin.get(1));
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        long total = k.getShape().get(2);
        // grouped-query attention without copying keys: queries [b, kv, group, t, d] against keys [b, kv, 1, d, T]
        NDArray qg = q.reshape(b, kvHeads, group, t, headDim);
        NDArray kt = k.transpose(0, 1, 3, 2).reshape(b, kvHeads, 1, headDim, total);
        // (q / sqrt(d)) k^T: the scale on q (t x d) rather than on the scores (t x T)
        NDArray scores = Linear.matMul(qg.mul(Scalars.of(qg, 1.0 / Math.sqrt(headDim))), kt, ctx).add(additiveMask);
        NDArray probs = Dropout.apply(scores.softmax(-1), attentionDropout, ctx);
        NDArray context = Linear.matMul(probs, v.reshape(b, kvHeads, 1, total, headDim), ctx) // [b, kv, group, t, d]
                .reshape(b, heads, t, headDim).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headDim);
        return oProj.forward(context, ctx);
    }
}
