package dev.robustsweep.trainers.commonsense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.model.decoder.TokenNll;
import java.util.List;

/**
 * Examples padded on the LEFT to the batch's longest (tokenizer.padding_side = "left", pad id 0 as
 * the LLM-Adapters scripts set it; DataCollatorForSeq2Seq pads labels with -100): ids, 1/0 attention
 * mask and labels, each [batch, longest]. Their collator's pad_to_multiple_of=8 only adds masked pads
 * and is not reproduced.
 */
public record CausalLmBatch(NDArray ids, NDArray mask, NDArray labels, long tokens) {
    public static CausalLmBatch of(List<CausalLmExample> examples, long padId, NDManager manager) {
        int b = examples.size();
        int t = 0;
        for (CausalLmExample e : examples) t = Math.max(t, e.ids().length);
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] labels = new long[b * t];
        long tokens = 0;
        for (int r = 0; r < b; r++) {
            CausalLmExample e = examples.get(r);
            int pad = t - e.ids().length;
            for (int j = 0; j < t; j++) {
                int k = r * t + j;
                boolean real = j >= pad;
                ids[k] = real ? e.ids()[j - pad] : padId;
                mask[k] = real ? 1 : 0;
                labels[k] = real ? e.labels()[j - pad] : TokenNll.IGNORE_INDEX;
            }
            tokens += e.ids().length;
        }
        Shape s = new Shape(b, t);
        return new CausalLmBatch(manager.create(ids, s), manager.create(mask, s), manager.create(labels, s), tokens);
    }
}
