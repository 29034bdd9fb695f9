package dev.robustsweep.trainers.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The architecture of a BERT-family encoder, read from a Hugging Face config.json (same key names). */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class EncoderConfig {
    /** "bert" or "roberta". */
    @JsonProperty("model_type") public String modelType = "bert";
    @JsonProperty("vocab_size") public int vocabSize;
    @JsonProperty("hidden_size") public int hiddenSize;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers;
    @JsonProperty("num_attention_heads") public int numAttentionHeads;
    @JsonProperty("intermediate_size") public int intermediateSize;
    @JsonProperty("max_position_embeddings") public int maxPositionEmbeddings = 512;
    @JsonProperty("type_vocab_size") public int typeVocabSize = 2;
    @JsonProperty("layer_norm_eps") public double layerNormEps = 1e-12;
    @JsonProperty("pad_token_id") public int padTokenId = 0;
    @JsonProperty("hidden_dropout_prob") public double hiddenDropoutProb = 0.1;
    @JsonProperty("attention_probs_dropout_prob") public double attentionProbsDropoutProb = 0.1;
    @JsonProperty("hidden_act") public String hiddenAct = "gelu";
    /** Only absolute position embeddings are implemented; other kinds are refused, not ignored. */
    @JsonProperty("position_embedding_type") public String positionEmbeddingType = "absolute";
    /** Standard deviation of newly initialised Linear weights (HF _init_weights: N(0, initializer_range), bias 0). */
    @JsonProperty("initializer_range") public double initializerRange = 0.02;
    /** Dropout of the classification head; null = hidden_dropout_prob (HF). */
    @JsonProperty("classifier_dropout") public Double classifierDropout;

    public boolean isRoberta() {
        return "roberta".equals(modelType);
    }

    /**
     * First position id of a real token: BERT counts from 0; RoBERTa from padding_idx + 1 (its
     * position ids are cumsum(mask) + padding_idx, so pads sit at padding_idx).
     */
    public int firstPositionId() {
        return isRoberta() ? padTokenId + 1 : 0;
    }

    /** The longest input the position embeddings cover: max_position_embeddings less RoBERTa's offset. */
    public int maxSequenceLength() {
        return maxPositionEmbeddings - firstPositionId();
    }

    /** Checks the shapes make sense; returns an error or null. */
    public String check() {
        if (!"bert".equals(modelType) && !"roberta".equals(modelType)) {
            return "model_type: expected bert or roberta, got '" + modelType + "'";
        }
        if (vocabSize <= 0) return "vocab_size: must be > 0";
        if (hiddenSize <= 0) return "hidden_size: must be > 0";
        if (numHiddenLayers <= 0) return "num_hidden_layers: must be > 0";
        if (numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            return "num_attention_heads: must divide hidden_size " + hiddenSize + ", got " + numAttentionHeads;
        }
        if (intermediateSize <= 0) return "intermediate_size: must be > 0";
        if (!"gelu".equals(hiddenAct)) return "hidden_act: only gelu is supported, got '" + hiddenAct + "'";
        if (!"absolute".equals(positionEmbeddingType)) return "position_embedding_type: only absolute is supported, got '" + positionEmbeddingType + "'";
        return null;
    }
}
