package dev.robustsweep.trainers.commonsense;

import dev.robustsweep.trainers.model.decoder.TokenNll;
import java.util.Arrays;

/**
 * One tokenized training (or scoring) example: input ids and labels, labels -100 where no loss is
 * taken. Built as LLM-Adapters' finetune.py builds it:
 * <pre>
 * tokenize(prompt, add_eos): ids = tokenizer(prompt, truncation=True, max_length=cutoff_len)
 *     then EOS appended if ids[-1] != eos and len(ids) < cutoff_len and add_eos; labels = ids
 * train_on_inputs false: user_len = len(tokenize(template with output "", add_eos=False)),
 *     labels = [-100] * user_len + labels[user_len:]
 * </pre>
 * (the prompt's token count is taken from the prompt tokenized alone, as theirs, so a token that
 * straddles the prompt/output boundary is counted as it tokenizes in the prompt alone).
 */
public record CausalLmExample(long[] ids, long[] labels, String task) {

    /** tokenize(): truncation to cutoffLen (special tokens included), then EOS if it fits and is not already last. */
    public static long[] tokenize(PromptTokenizer tokenizer, String text, int cutoffLen, long eos, boolean addEos) {
        long[] ids = tokenizer.encode(text);
        if (ids.length > cutoffLen) ids = Arrays.copyOf(ids, cutoffLen);
        if (addEos && (ids.length == 0 || ids[ids.length - 1] != eos) && ids.length < cutoffLen) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = eos;
        }
        return ids;
    }

    /** generate_and_tokenize_prompt(data_point): the training text with EOS; the prompt masked unless trainOnInputs. */
    public static CausalLmExample training(InstructionRecord r, PromptTemplate template, PromptTokenizer tokenizer, int cutoffLen,
                                           long eos, boolean trainOnInputs) {
        long[] ids = tokenize(tokenizer, template.training(r), cutoffLen, eos, true);
        long[] labels = ids.clone();
        if (!trainOnInputs) {
            int userLen = tokenize(tokenizer, template.user(r), cutoffLen, eos, false).length;
            mask(labels, userLen);
        }
        return new CausalLmExample(ids, labels, r.task());
    }

    /**
     * The gold output given the evaluation prompt (the intrinsic score, Figure 5): evaluation prompt +
     * {@code output}, no EOS, not truncated (as the evaluation's prompts), every prompt token masked, so
     * the labels cover the output's tokens only.
     */
    public static CausalLmExample scoring(InstructionRecord r, String output, PromptTemplate template, PromptTokenizer tokenizer) {
        String prompt = template.evaluation(r);
        long[] ids = tokenizer.encode(prompt + output);
        long[] labels = ids.clone();
        mask(labels, tokenizer.encode(prompt).length);
        return new CausalLmExample(ids, labels, r.task());
    }

    private static void mask(long[] labels, int prefix) {
        Arrays.fill(labels, 0, Math.min(prefix, labels.length), TokenNll.IGNORE_INDEX);
    }

    /** Tokens that carry loss. */
    public int scored() {
        int n = 0;
        for (long l : labels) if (l != TokenNll.IGNORE_INDEX) n++;
        return n;
    }
}
