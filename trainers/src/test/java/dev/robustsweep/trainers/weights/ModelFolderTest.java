package dev.robustsweep.trainers.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {
    @TempDir Path dir;

    @Test
    void loadsTinyFolderWithPrefixedNames() throws IOException {
        Path m = TinyModelFolder.write(dir.resolve("tiny"), "roberta", 1);
        ModelFolder f = ModelFolder.load(m);
        assertTrue(f.config().isRoberta());
        assertEquals(2, f.config().firstPositionId());
        f.require("encoder.layer.1.output.dense.weight", TinyModelFolder.HIDDEN, TinyModelFolder.FFN);
        assertTrue(f.checksum().startsWith("sha256:") && f.checksum().length() == 7 + 64);
    }

    @Test
    void missingFolderIsAClearError() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFolder.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void missingTokenizerIsAClearError() throws IOException {
        Path m = TinyModelFolder.write(dir.resolve("tiny"), "bert", 1);
        Files.delete(m.resolve("tokenizer.json"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFolder.load(m));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void wrongShapeNamesTheTensor() throws IOException {
        Path m = TinyModelFolder.write(dir.resolve("tiny"), "bert", 1);
        ModelFolder f = ModelFolder.load(m);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> f.require("embeddings.word_embeddings.weight", 10, 10));
        assertTrue(e.getMessage().contains("embeddings.word_embeddings.weight"), e.getMessage());
    }

    @Test
    void embeddedMiniLmHasThePublishedArchitecture() {
        ModelFolder f = ModelFolder.load(EmbeddedMiniLm.folder());
        assertEquals(384, f.config().hiddenSize);
        assertEquals(6, f.config().numHiddenLayers);
        assertEquals(12, f.config().numAttentionHeads);
        assertEquals(1536, f.config().intermediateSize);
        long total = f.weights().values().stream().mapToLong(Tensor::size).sum();
        // closed form for BERT: embeddings (V + P + 2) h + 2h, per layer 4(h^2 + h) + 2 h f + f + h + 4h;
        // 22,565,376 = the model card's 22.7M without the pooler (h^2 + h), which the ONNX export drops
        long h = 384, ffn = 1536;
        long expected = (30522 + 512 + 2) * h + 2 * h + 6 * (4 * (h * h + h) + 2 * h * ffn + ffn + h + 4 * h);
        assertEquals(expected, total);
        for (int i = 0; i < 6; i++) f.require("encoder.layer." + i + ".attention.self.query.weight", 384, 384);
    }
}
