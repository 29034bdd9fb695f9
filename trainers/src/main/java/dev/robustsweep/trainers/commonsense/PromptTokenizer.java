package dev.robustsweep.trainers.commonsense;

import dev.robustsweep.trainers.model.decoder.DecoderTokenizer;

/** Text to ids with the tokenizer's own special tokens (LLaMA: BOS first, no EOS), and ids back to text without special tokens. */
public interface PromptTokenizer {
    long[] encode(String text);

    /** tokenizer.decode(ids, skip_special_tokens=True). */
    String decode(long[] ids);

    /** A decoder folder's tokenizer.json. */
    static PromptTokenizer of(DecoderTokenizer tokenizer) {
        return new PromptTokenizer() {
            @Override
            public long[] encode(String text) {
                return tokenizer.encode(text);
            }

            @Override
            public String decode(long[] ids) {
                return tokenizer.decode(ids, true);
            }
        };
    }
}
