package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.EncoderConfig;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * result.json's parameter counts equal PEFT's (method-spec.md section 7): roberta-base, 2 labels, LoRA
 * r 8 on query + value -> 887,042 trainable of 124,942,082 (PEFT's documented print_trainable_parameters
 * reports 887,042 trainable; its total 125,534,212 counts the saved classifier twice, 592,130 more).
 * The folder is roberta-base-shaped (config and every tensor of the checkpoint, pooler included, which
 * RobertaForSequenceClassification ignores), held in memory with zero weights: the counts come from
 * the real model-building code and TrialRunner's counting.
 */
class PeftParameterCountTest {
    @Test
    void robertaBaseLoraQueryValueMatchesPeft() {
        EncoderConfig c = new EncoderConfig();
        c.modelType = "roberta";
        c.vocabSize = 50265;
        c.hiddenSize = 768;
        c.numHiddenLayers = 12;
        c.numAttentionHeads = 12;
        c.intermediateSize = 3072;
        c.maxPositionEmbeddings = 514;
        c.typeVocabSize = 1;
        c.layerNormEps = 1e-5;
        c.padTokenId = 1;
        float[] zeros = new float[c.vocabSize * c.hiddenSize];
        Map<String, Tensor> w = new LinkedHashMap<>();
        int h = c.hiddenSize;
        put(w, zeros, "embeddings.word_embeddings.weight", c.vocabSize, h);
        put(w, zeros, "embeddings.position_embeddings.weight", c.maxPositionEmbeddings, h);
        put(w, zeros, "embeddings.token_type_embeddings.weight", c.typeVocabSize, h);
        put(w, zeros, "embeddings.LayerNorm.weight", h);
        put(w, zeros, "embeddings.LayerNorm.bias", h);
        for (int i = 0; i < c.numHiddenLayers; i++) {
            String p = "encoder.layer." + i + ".";
            for (String m : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
                put(w, zeros, p + m + ".weight", h, h);
                put(w, zeros, p + m + ".bias", h);
            }
            put(w, zeros, p + "attention.output.LayerNorm.weight", h);
            put(w, zeros, p + "attention.output.LayerNorm.bias", h);
            put(w, zeros, p + "intermediate.dense.weight", c.intermediateSize, h);
            put(w, zeros, p + "intermediate.dense.bias", c.intermediateSize);
            put(w, zeros, p + "output.dense.weight", h, c.intermediateSize);
            put(w, zeros, p + "output.dense.bias", h);
            put(w, zeros, p + "output.LayerNorm.weight", h);
            put(w, zeros, p + "output.LayerNorm.bias", h);
        }
        put(w, zeros, "pooler.dense.weight", h, h);
        put(w, zeros, "pooler.dense.bias", h);
        ModelFolder folder = new ModelFolder(Path.of("roberta-base-shaped"), c, w, null, "sha256:none");

        TrialConfig trial = new TrialConfig();
        trial.method = "lora";
        trial.lora.r = 8;
        trial.lora.targetModules = List.of("query", "value");
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager).optNumLabels(2).build();
            AdaptationMethod method = Methods.create(trial, manager, 10);
            method.apply(model);
            Map<String, Object> counts = TrialRunner.parameterCounts(model, method);
            assertEquals(887_042L, ((Number) counts.get("trainable")).longValue(), "trainable");
            assertEquals(124_942_082L, ((Number) counts.get("total")).longValue(), "total");
        }
    }

    /** A zero tensor of the given shape, a view of the shared zero array (no copy per tensor). */
    private static void put(Map<String, Tensor> w, float[] zeros, String name, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        w.put(name, new Tensor(shape, FloatBuffer.wrap(zeros, 0, (int) n).slice()));
    }
}
