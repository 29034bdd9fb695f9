package dev.robustsweep.trainers.commonsense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.CausalLmBuilder;
import dev.robustsweep.trainers.model.decoder.DecoderTokenizer;
import dev.robustsweep.trainers.model.decoder.TokenNll;
import dev.robustsweep.trainers.weights.ByteLevelTokenizerJson;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyLlama;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training examples as LLM-Adapters builds them, on tiny-llama's byte-level tokenizer (BOS, then one
 * id per UTF-8 byte, so token counts are byte counts): EOS, cutoff, and prompt masking
 * (train_on_inputs false puts the loss on the target's tokens only, checked against NLLs computed
 * by hand from the logits of each example alone).
 */
class CausalLmExampleTest {
    static final long EOS = ByteLevelTokenizerJson.EOS;
    static final InstructionRecord R = new InstructionRecord("cs-boolq", "Is the sky blue?\n\nAnswer format: true/false", "",
            "the correct answer is true", "true");
    static final InstructionRecord R2 = new InstructionRecord("cs-boolq", "Is fire cold?", "", "the correct answer is false", "false");

    static DecoderTokenizer decoderTokenizer() {
        return new DecoderTokenizer(DecoderFolder.load(TinyLlama.folder()).tokenizerJson());
    }

    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void trainOnInputsFalseScoresTheOutputAndEosOnly() {
        PromptTemplate t = PromptTemplate.named("llm-adapters");
        try (DecoderTokenizer dt = decoderTokenizer()) {
            PromptTokenizer tok = PromptTokenizer.of(dt);
            CausalLmExample all = CausalLmExample.training(R, t, tok, 1024, EOS, true);
            int full = 1 + bytes(t.training(R)) + 1; // BOS, bytes, EOS
            assertEquals(full, all.ids().length);
            assertEquals(ByteLevelTokenizerJson.BOS, all.ids()[0]);
            assertEquals(EOS, all.ids()[full - 1]);
            assertArrayEquals(all.ids(), all.labels(), "train_on_inputs true: loss on every token");

            CausalLmExample masked = CausalLmExample.training(R, t, tok, 1024, EOS, false);
            assertArrayEquals(all.ids(), masked.ids());
            int prompt = 1 + bytes(t.user(R));
            assertEquals(bytes(R.output()) + 1, masked.scored(), "the output's bytes and EOS");
            for (int i = 0; i < full; i++) {
                assertEquals(i < prompt ? TokenNll.IGNORE_INDEX : masked.ids()[i], masked.labels()[i], "label " + i);
            }
        }
    }

    @Test
    void cutoffTruncatesAndDropsEos() {
        PromptTemplate t = PromptTemplate.named("alpaca");
        try (DecoderTokenizer dt = decoderTokenizer()) {
            PromptTokenizer tok = PromptTokenizer.of(dt);
            int natural = 1 + bytes(t.training(R));
            assertEquals(40, CausalLmExample.training(R, t, tok, 40, EOS, true).ids().length);
            long[] cut = CausalLmExample.training(R, t, tok, 40, EOS, true).ids();
            assertTrue(cut[39] != EOS, "no EOS when the text reaches cutoff_len");
            long[] exact = CausalLmExample.training(R, t, tok, natural, EOS, true).ids();
            assertEquals(natural, exact.length, "len == cutoff: no room for EOS");
            long[] room = CausalLmExample.training(R, t, tok, natural + 1, EOS, true).ids();
            assertEquals(EOS, room[natural]);
            // masked past the cutoff: everything is prompt, nothing scored
            assertEquals(0, CausalLmExample.training(R, t, tok, 40, EOS, false).scored());
        }
    }

    @Test
    void maskedLossIsTheMeanNllOfTargetTokensOnly() throws Exception {
        Engine engine = TinyTraining.engine(1);
        PromptTemplate t = PromptTemplate.named("llm-adapters");
        try (DecoderTokenizer dt = decoderTokenizer(); NDManager manager = engine.newBaseManager()) {
            PromptTokenizer tok = PromptTokenizer.of(dt);
            CausalLm lm = new CausalLmBuilder(DecoderFolder.load(TinyLlama.folder()), manager).build();
            List<CausalLmExample> ex = List.of(CausalLmExample.training(R, t, tok, 1024, EOS, false),
                    CausalLmExample.training(R2, t, tok, 1024, EOS, false));
            // the batch (left-padded) through TokenNll
            CausalLmBatch b = CausalLmBatch.of(ex, 0, manager);
            double batched = TokenNll.mean(lm.forward(b.ids(), b.mask(), ForwardContext.EVAL), b.labels()).getFloat();
            // by hand: each example alone, -log softmax(logits[t-1])[id_t] over its scored tokens, pooled
            double sum = 0;
            int count = 0;
            for (CausalLmExample e : ex) {
                int n = e.ids().length;
                long[] ones = new long[n];
                java.util.Arrays.fill(ones, 1);
                float[] logits = lm.forward(manager.create(e.ids(), new Shape(1, n)), manager.create(ones, new Shape(1, n)), ForwardContext.EVAL).toFloatArray();
                int v = logits.length / n;
                for (int i = 1; i < n; i++) {
                    if (e.labels()[i] == TokenNll.IGNORE_INDEX) continue;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < v; k++) max = Math.max(max, logits[(i - 1) * v + k]);
                    double z = 0;
                    for (int k = 0; k < v; k++) z += Math.exp(logits[(i - 1) * v + k] - max);
                    sum += -(logits[(i - 1) * v + (int) e.ids()[i]] - max - Math.log(z));
                    count++;
                }
            }
            assertEquals(bytes(R.output()) + 1 + bytes(R2.output()) + 1, count);
            assertEquals(sum / count, batched, 1e-4);
        }
    }
}
