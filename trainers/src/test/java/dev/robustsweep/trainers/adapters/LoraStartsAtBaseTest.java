package dev.robustsweep.trainers.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.lora.LoraMethod;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.LoraSettings;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraStartsAtBaseTest {
    @TempDir Path dir;

    @Test
    void loraWithZeroBGivesExactlyTheBaseLogits() throws Exception {
        ModelFolder folder = ModelFolder.load(TinyModelFolder.write(dir.resolve("m"), "bert", 3));
        try (NDManager manager = EngineSetup.start(0).newBaseManager();
             TextEncoder text = new TextEncoder(folder.tokenizerJson(), 32)) {
            List<TokenizedExample> batch = List.of(text.encode("a first sentence", "and its pair", 0), text.encode("second", null, 1));
            EncoderInput in = new Batcher(folder.config()).input(batch, manager);
            SequenceClassifier base = new ClassifierBuilder(folder, manager).optSeed(5).build();
            float[] expected = base.forward(in, ForwardContext.EVAL).toFloatArray();
            SequenceClassifier adapted = new ClassifierBuilder(folder, manager).optSeed(5).build();
            LoraSettings all = new LoraSettings();
            all.targetModules = List.of("all");
            new LoraMethod(all, manager, 9).apply(adapted);
            assertEquals(2 * 6, TargetLinears.of(adapted, all.targetModules).stream().filter(l -> l.adapter() != null).count());
            assertArrayEquals(expected, adapted.forward(in, ForwardContext.EVAL).toFloatArray());
        }
    }
}
