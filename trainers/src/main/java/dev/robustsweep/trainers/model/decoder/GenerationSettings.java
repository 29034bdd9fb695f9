package dev.robustsweep.trainers.model.decoder;

import java.util.List;

/**
 * How {@link Generator} decodes: greedy when numBeams is 1 (the default), else beam search with
 * Hugging Face's length penalty (score = sum log p / generated_length^lengthPenalty) and
 * early_stopping false; at most maxNewTokens new tokens; a row stops at any of eosTokenIds; rows
 * that stopped are filled with padTokenId; useCache false recomputes the whole sequence every step.
 */
public record GenerationSettings(int maxNewTokens, int numBeams, List<Long> eosTokenIds, long padTokenId,
                                 double lengthPenalty, boolean useCache) {
    public GenerationSettings {
        if (maxNewTokens < 1) throw new IllegalArgumentException("max_new_tokens must be >= 1, got " + maxNewTokens);
        if (numBeams < 1) throw new IllegalArgumentException("num_beams must be >= 1, got " + numBeams);
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Greedy, 32 new tokens, with a KV cache (the evaluation default). */
    public static GenerationSettings greedy(List<Long> eosTokenIds, long padTokenId) {
        return new GenerationSettings(32, 1, eosTokenIds, padTokenId, 1.0, true);
    }

    public GenerationSettings withBeams(int beams) {
        return new GenerationSettings(maxNewTokens, beams, eosTokenIds, padTokenId, lengthPenalty, useCache);
    }

    public GenerationSettings withCache(boolean cache) {
        return new GenerationSettings(maxNewTokens, numBeams, eosTokenIds, padTokenId, lengthPenalty, cache);
    }

    public GenerationSettings withMaxNewTokens(int n) {
        return new GenerationSettings(n, numBeams, eosTokenIds, padTokenId, lengthPenalty, useCache);
    }

    /** Defaults for a model: its config's eos ids, pad id (else 0, as the LLM-Adapters scripts). */
    public static GenerationSettings defaults(DecoderConfig config) {
        return greedy(config.eosTokenIds(), config.padTokenId == null ? 0 : config.padTokenId);
    }
}
