package dev.robustsweep.trainers.model.decoder;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of a LLaMA-family decoder (llama, mistral, qwen2), read from a Hugging Face
 * config.json with the same key names and Hugging Face's defaults where a key is absent.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class DecoderConfig {
    public static final List<String> MODEL_TYPES = List.of("llama", "mistral", "qwen2");

    @JsonProperty("model_type") public String modelType;
    @JsonProperty("vocab_size") public int vocabSize;
    @JsonProperty("hidden_size") public int hiddenSize;
    @JsonProperty("intermediate_size") public int intermediateSize;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers;
    @JsonProperty("num_attention_heads") public int numAttentionHeads;
    /** Grouped-query attention; absent = num_attention_heads (multi-head attention). */
    @JsonProperty("num_key_value_heads") public Integer numKeyValueHeads;
    /** Absent = hidden_size / num_attention_heads. */
    @JsonProperty("head_dim") public Integer headDim;
    @JsonProperty("rms_norm_eps") public double rmsNormEps = 1e-6;
    @JsonProperty("rope_theta") public double ropeTheta = 10000.0;
    /** Optional {"rope_type" (or "type"): "llama3" | "default", factor, low_freq_factor, high_freq_factor, original_max_position_embeddings}. */
    @JsonProperty("rope_scaling") public JsonNode ropeScaling;
    @JsonProperty("max_position_embeddings") public int maxPositionEmbeddings = 2048;
    @JsonProperty("tie_word_embeddings") public boolean tieWordEmbeddings = false;
    @JsonProperty("hidden_act") public String hiddenAct = "silu";
    /** llama: biases on q/k/v/o (qwen2 always has q/k/v biases, never on o). */
    @JsonProperty("attention_bias") public boolean attentionBias = false;
    /** llama: biases on gate/up/down. */
    @JsonProperty("mlp_bias") public boolean mlpBias = false;
    /** mistral (and qwen2 with use_sliding_window): a query sees at most this many keys back; null = no window. */
    @JsonProperty("sliding_window") public Integer slidingWindow;
    @JsonProperty("use_sliding_window") public boolean useSlidingWindow = false;
    @JsonProperty("bos_token_id") public Integer bosTokenId;
    /** An id or a list of ids (LLaMA 3). */
    @JsonProperty("eos_token_id") public JsonNode eosTokenId;
    @JsonProperty("pad_token_id") public Integer padTokenId;

    public int kvHeads() {
        return numKeyValueHeads == null ? numAttentionHeads : numKeyValueHeads;
    }

    public int headDimension() {
        return headDim == null ? hiddenSize / numAttentionHeads : headDim;
    }

    public boolean qkvBias() {
        return "qwen2".equals(modelType) || attentionBias;
    }

    public boolean outputBias() {
        return "llama".equals(modelType) && attentionBias;
    }

    public boolean gatedMlpBias() {
        return "llama".equals(modelType) && mlpBias;
    }

    /** The attention window in keys, or 0 for none (qwen2 uses it only with use_sliding_window). */
    public int window() {
        if (slidingWindow == null || slidingWindow <= 0) return 0;
        if ("mistral".equals(modelType)) return slidingWindow;
        if ("qwen2".equals(modelType) && useSlidingWindow) return slidingWindow;
        return 0;
    }

    /** End-of-sequence ids (empty when the config names none). */
    public List<Long> eosTokenIds() {
        List<Long> out = new ArrayList<>();
        if (eosTokenId == null || eosTokenId.isNull()) return out;
        if (eosTokenId.isArray()) {
            for (JsonNode n : eosTokenId) out.add(n.asLong());
        } else {
            out.add(eosTokenId.asLong());
        }
        return out;
    }

    /** rope_scaling's type ("default" when absent). */
    public String ropeType() {
        if (ropeScaling == null || ropeScaling.isNull()) return "default";
        JsonNode t = ropeScaling.has("rope_type") ? ropeScaling.get("rope_type") : ropeScaling.get("type");
        return t == null ? "default" : t.asText();
    }

    /** Checks that the shapes make sense; returns an error naming the key, or null. */
    public String check() {
        if (modelType == null || !MODEL_TYPES.contains(modelType)) {
            return "model_type: expected one of " + MODEL_TYPES + " for a decoder, got '" + modelType + "'";
        }
        if (vocabSize <= 0) return "vocab_size: must be > 0";
        if (hiddenSize <= 0) return "hidden_size: must be > 0";
        if (intermediateSize <= 0) return "intermediate_size: must be > 0";
        if (numHiddenLayers <= 0) return "num_hidden_layers: must be > 0";
        if (numAttentionHeads <= 0) return "num_attention_heads: must be > 0";
        if (headDim == null && hiddenSize % numAttentionHeads != 0) {
            return "num_attention_heads: must divide hidden_size " + hiddenSize + " (or give head_dim), got " + numAttentionHeads;
        }
        if (headDimension() % 2 != 0) return "head_dim: rotary embeddings need an even head dimension, got " + headDimension();
        if (kvHeads() <= 0 || numAttentionHeads % kvHeads() != 0) {
            return "num_key_value_heads: must divide num_attention_heads " + numAttentionHeads + ", got " + kvHeads();
        }
        if (!"silu".equals(hiddenAct)) return "hidden_act: only silu is supported, got '" + hiddenAct + "'";
        String rope = ropeType();
        if (!rope.equals("default") && !rope.equals("llama3")) {
            return "rope_scaling: type '" + rope + "' is not supported (default or llama3)";
        }
        if (rope.equals("llama3")) {
            for (String k : new String[] {"factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"}) {
                if (!ropeScaling.has(k) || !ropeScaling.get(k).isNumber()) return "rope_scaling: llama3 needs a number '" + k + "'";
            }
            if (ropeScaling.get("low_freq_factor").asDouble() == ropeScaling.get("high_freq_factor").asDouble()) {
                return "rope_scaling: low_freq_factor must differ from high_freq_factor";
            }
        }
        return null;
    }
}
