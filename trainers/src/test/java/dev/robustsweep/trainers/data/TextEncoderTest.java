package dev.robustsweep.trainers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.trainers.model.EncoderConfig;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.weights.EmbeddedMiniLm;
import dev.robustsweep.trainers.weights.ModelFolder;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextEncoderTest {
    static final ModelFolder MINILM = ModelFolder.load(EmbeddedMiniLm.folder());
    static final long CLS = 101, SEP = 102; // BERT uncased vocabulary

    @Test
    void pairIsTruncatedLongestFirstWithSpecialTokens() {
        try (TextEncoder enc = new TextEncoder(MINILM.tokenizerJson(), 16)) {
            TokenizedExample ex = enc.encode("one two three four five six seven eight nine ten eleven twelve", "alpha beta", 0);
            assertEquals(16, ex.ids().length);
            assertEquals(CLS, ex.ids()[0]);
            assertEquals(SEP, ex.ids()[15]);
            // longest-first keeps the short second segment whole: [SEP] alpha beta [SEP] -> 3 type-1 tokens
            long typeOnes = java.util.Arrays.stream(ex.typeIds()).filter(t -> t == 1).count();
            assertEquals(3, typeOnes);
        }
    }

    @Test
    void batchesPadDynamicallyAndRobertaPositionsStartAfterPadding() {
        try (TextEncoder enc = new TextEncoder(MINILM.tokenizerJson(), 32);
             NDManager manager = EngineSetup.start(0).newBaseManager()) {
            List<TokenizedExample> batch = List.of(enc.encode("a short one", null, 0), enc.encode("a somewhat longer sentence here", null, 1));
            EncoderConfig roberta = new EncoderConfig();
            roberta.modelType = "roberta";
            roberta.padTokenId = 1;
            roberta.typeVocabSize = 1;
            EncoderInput in = new Batcher(roberta).input(batch, manager);
            int t = batch.get(1).ids().length;
            assertEquals(t, in.inputIds().getShape().get(1));
            long[] pos = in.positionIds().toLongArray();
            float[] mask = in.attentionMask().toFloatArray();
            // Hugging Face's create_position_ids_from_input_ids: cumsum(mask) * mask + padding_idx
            for (int b = 0; b < 2; b++) {
                long cum = 0;
                for (int j = 0; j < t; j++) {
                    cum += (long) mask[b * t + j];
                    assertEquals(cum * (long) mask[b * t + j] + 1, pos[b * t + j], "row " + b + " position " + j);
                }
            }
            assertTrue(mask[t - 1] == 0f && mask[2 * t - 1] == 1f);
        }
    }
}
