package dev.robustsweep.trainers.model.decoder;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link CausalLm} from a decoder folder onto an engine manager (its device), tensor by
 * tensor, with Hugging Face's weight names (model.embed_tokens, model.layers.N.self_attn.q_proj, ...,
 * model.norm, lm_head). Every parameter starts frozen; a fine-tuning method decides what trains.
 */
public final class CausalLmBuilder {
    private final DecoderFolder folder;
    private final NDManager manager;
    private double attentionDropout = 0.0;

    public CausalLmBuilder(DecoderFolder folder, NDManager manager) {
        this.folder = folder;
        this.manager = manager;
    }

    /** Dropout on the attention probabilities while training (config attention_dropout; LLaMA's default 0). */
    public CausalLmBuilder optAttentionDropout(double rate) {
        this.attentionDropout = rate;
        return this;
    }

    public CausalLm build() {
        DecoderConfig c = folder.config();
        int h = c.hiddenSize;
        int d = c.headDimension();
        int qOut = c.numAttentionHeads * d;
        int kvOut = c.kvHeads() * d;
        Parameter embed = param("model.embed_tokens.weight", true, c.vocabSize, h);
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers; i++) {
            String p = "model.layers." + i + ".";
            DecoderAttention attention = new DecoderAttention(
                    linear(p + "self_attn.q_proj", qOut, h, c.qkvBias()),
                    linear(p + "self_attn.k_proj", kvOut, h, c.qkvBias()),
                    linear(p + "self_attn.v_proj", kvOut, h, c.qkvBias()),
                    linear(p + "self_attn.o_proj", h, qOut, c.outputBias()),
                    c.numAttentionHeads, c.kvHeads(), d, attentionDropout);
            GatedMlp mlp = new GatedMlp(
                    linear(p + "mlp.gate_proj", c.intermediateSize, h, c.gatedMlpBias()),
                    linear(p + "mlp.up_proj", c.intermediateSize, h, c.gatedMlpBias()),
                    linear(p + "mlp.down_proj", h, c.intermediateSize, c.gatedMlpBias()));
            layers.add(new DecoderLayer(
                    new RmsNorm(param(p + "input_layernorm.weight", false, h), c.rmsNormEps),
                    attention,
                    new RmsNorm(param(p + "post_attention_layernorm.weight", false, h), c.rmsNormEps),
                    mlp));
        }
        RmsNorm norm = new RmsNorm(param("model.norm.weight", false, h), c.rmsNormEps);
        // tie_word_embeddings: the head is the embedding matrix itself (one parameter, trained once)
        Linear lmHead = c.tieWordEmbeddings
                ? new Linear("lm_head", embed, null)
                : new Linear("lm_head", param("lm_head.weight", true, c.vocabSize, h), null);
        return new CausalLm(c, embed, layers, norm, lmHead);
    }

    private Linear linear(String name, int out, int in, boolean bias) {
        return new Linear(name, param(name + ".weight", true, out, in), bias ? param(name + ".bias", false, out) : null);
    }

    private Parameter param(String name, boolean decay, long... shape) {
        Tensor t = folder.require(name, shape);
        FloatBuffer data = t.data().duplicate().rewind();
        return new Parameter(name, manager.create(data, new Shape(shape)), decay);
    }
}
