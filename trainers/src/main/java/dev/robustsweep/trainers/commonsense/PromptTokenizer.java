package dev.robustsweep.trainers.commonsense;

/** Text to ids with the tokenizer's own special tokens (LLaMA: BOS first, no EOS), and ids back to text without special tokens. */
public interface PromptTokenizer {
    long[] encode(String text);

    /** tokenizer.decode(ids, skip_special_tokens=True). */
    String decode(long[] ids);
}
