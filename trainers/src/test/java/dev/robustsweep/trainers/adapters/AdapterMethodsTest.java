package dev.robustsweep.trainers.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One table, every method through the same checks (the PEFT test-suite pattern). */
class AdapterMethodsTest {
    static final int STEPS = 5;
    // the tiny model: hidden 32, FFN 64, 2 layers, 3 target linears (QKV) each, 2 labels
    static final int H = TinyModelFolder.HIDDEN;
    static final int F = TinyModelFolder.FFN;
    static final int L = TinyModelFolder.LAYERS;
    static final int TARGETS = 3 * L;
    static final long HEAD = 2L * H + 2;

    /** Trainable parameters by formula (method-spec.md section 2), from the tiny model's dimensions. */
    static long expectedTrainable(TrialConfig t) {
        int r = t.lora.r;
        return switch (t.method) {
            case "full_ft" -> {
                long embeddings = (long) TinyModelFolder.VOCAB * H + 128L * H + 2L * H + 2L * H;
                long layer = 4L * (H * H + H) + 2L * H + (long) H * F + F + (long) F * H + H + 2L * H;
                long pooler = (long) H * H + H;
                yield embeddings + L * layer + pooler + HEAD;
            }
            case "lora" -> TARGETS * (long) r * (H + H) + HEAD;
            case "dora" -> TARGETS * ((long) r * (H + H) + H) + HEAD;
            case "adalora" -> TARGETS * (long) t.adalora.initR * (H + H + 1) + HEAD;
            case "monteclora" -> TARGETS * ((long) r * (H + H) + r + t.monteclora.mixtures) + HEAD;
            default -> throw new IllegalArgumentException(t.method);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"full_ft", "lora", "dora", "adalora", "monteclora"})
    void startsAtBaseTrainsMergesAndKeepsFrozenWeights(String methodId) throws Exception {
        Engine engine = TinyTraining.engine(5);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial(methodId);
            EncoderInput in = TinyTraining.batch(manager, 3);
            NDArray labels = TinyTraining.labels(manager);

            SequenceClassifier base = TinyTraining.model(manager, trial.seed);
            float[] baseLogits = base.forward(in, ForwardContext.EVAL).toFloatArray();

            SequenceClassifier model = TinyTraining.model(manager, trial.seed);
            AdaptationMethod method = Methods.create(trial, manager, STEPS);
            assertEquals(methodId, method.name());
            method.apply(model);

            // 1. step 0: the adapted model is the base model (evaluation, and training mode without dropout)
            assertClose(baseLogits, model.forward(in, ForwardContext.EVAL).toFloatArray(), 1e-6, "eval logits at step 0");
            assertClose(baseLogits, model.forward(in, ForwardContext.TRAIN).toFloatArray(), 1e-6, "training logits at step 0");
            method.extraLosses();

            // 2. parameter counts
            long trainable = 0;
            for (Parameter p : model.allParameters()) if (p.trainable()) trainable += p.size();
            assertEquals(expectedTrainable(trial), trainable, "trainable parameters");
            long expectedExtra = "monteclora".equals(methodId) ? TARGETS * (long) (trial.lora.r + trial.monteclora.mixtures) : 0;
            assertEquals(expectedExtra, method.extraParameterCount(), "extra parameters");

            // 3. a few SGD steps lower the loss; frozen parameters stay bit-identical
            Map<String, float[]> frozen = new LinkedHashMap<>();
            for (Parameter p : model.allParameters()) if (!p.trainable()) frozen.put(p.name(), p.array().toFloatArray());
            double before = TinyTraining.evalLoss(model, in, labels);
            method.onEpochStart(0, 1, model);
            for (int step = 1; step <= STEPS; step++) TinyTraining.sgdStep(model, method, in, labels, 0.05, step, STEPS);
            double after = TinyTraining.evalLoss(model, in, labels);
            assertTrue(after < before, methodId + ": loss " + before + " -> " + after);
            for (Parameter p : model.allParameters()) {
                if (frozen.containsKey(p.name())) assertArrayEquals(frozen.get(p.name()), p.array().toFloatArray(), p.name() + " changed");
            }
            assertTrue(method.state() != null);

            // 4. merged and unmerged evaluation agree
            float[] unmerged = model.forward(in, ForwardContext.EVAL).toFloatArray();
            model.mergeAdapters();
            float[] merged = model.forward(in, ForwardContext.EVAL).toFloatArray();
            assertClose(unmerged, merged, 1e-5, "merged vs unmerged logits");
        }
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double max = 0;
        for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - actual[i]));
        assertTrue(max <= tolerance, what + ": max |difference| " + max + " > " + tolerance);
    }
}
