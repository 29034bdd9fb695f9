package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LlamaDecoderLayer, pre-norm: h = x + attn(input_layernorm(x)); out = h + mlp(post_attention_layernorm(h)).
 */
public final class DecoderLayer {
    /** The adaptable linears' names, as Hugging Face / PEFT target_modules spell them. */
    public static final java.util.List<String> LINEAR_NAMES =
            java.util.List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    final RmsNorm inputLayernorm;
    final DecoderAttention selfAttn;
    final RmsNorm postAttentionLayernorm;
    final GatedMlp mlp;

    public DecoderLayer(RmsNorm inputLayernorm, DecoderAttention selfAttn, RmsNorm postAttentionLayernorm, GatedMlp mlp) {
        this.inputLayernorm = inputLayernorm;
        this.selfAttn = selfAttn;
        this.postAttentionLayernorm = postAttentionLayernorm;
        this.mlp = mlp;
    }

    public NDArray forward(NDArray x, NDList cosSin, NDArray additiveMask, KvCache cache, int index, ForwardContext ctx) {
        NDArray h = x.add(selfAttn.forward(inputLayernorm.forward(x), cosSin, additiveMask, cache, index, ctx));
        return h.add(mlp.forward(postAttentionLayernorm.forward(h), ctx));
    }

    /** The linears by their Hugging Face module name (q_proj ... down_proj), in {@link #LINEAR_NAMES} order. */
    public Map<String, Linear> targetLinears() {
        Map<String, Linear> m = new LinkedHashMap<>();
        m.put("q_proj", selfAttn.qProj);
        m.put("k_proj", selfAttn.kProj);
        m.put("v_proj", selfAttn.vProj);
        m.put("o_proj", selfAttn.oProj);
        m.put("gate_proj", mlp.gateProj);
        m.put("up_proj", mlp.upProj);
        m.put("down_proj", mlp.downProj);
        return m;
    }

    RmsNorm inputLayernorm() {
        return inputLayernorm;
    }

    RmsNorm postAttentionLayernorm() {
        return postAttentionLayernorm;
    }
}
