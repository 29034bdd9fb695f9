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
            assertState(methodId, trial, method.state());

            // 4. sampling: once B != 0, only MonteCLoRA's training forward is stochastic (dropout is off);
            // every other method's training forward equals its evaluation forward. B after 5 small steps
            // is ~1e-5, which hides the noise (logits differ by ~1e-8): give MonteCLoRA's B O(0.1) entries
            if (method instanceof dev.robustsweep.trainers.adapters.monteclora.MonteCLoraMethod mc) {
                java.util.SplittableRandom rng = new java.util.SplittableRandom(17);
                for (var adapter : mc.adapters()) {
                    float[] b = new float[(int) adapter.b().size()];
                    for (int i = 0; i < b.length; i++) b[i] = (float) (0.2 * (rng.nextDouble() - 0.5));
                    adapter.b().array().set(b);
                }
            }
            float[] eval = model.forward(in, ForwardContext.EVAL).toFloatArray();
            float[] train1 = model.forward(in, ForwardContext.TRAIN).toFloatArray();
            method.extraLosses();
            float[] train2 = model.forward(in, ForwardContext.TRAIN).toFloatArray();
            method.extraLosses();
            if ("monteclora".equals(methodId)) {
                assertTrue(maxDifference(train1, train2) > 1e-5, "two MonteCLoRA draws differ: " + maxDifference(train1, train2));
                assertTrue(maxDifference(eval, train1) > 1e-5, "a MonteCLoRA draw differs from the mean");
            } else {
                assertClose(eval, train1, 1e-5, methodId + ": training vs evaluation forward");
                assertClose(train1, train2, 0, methodId + ": two training forwards");
            }

            // 5. merged and unmerged evaluation agree
            float[] unmerged = model.forward(in, ForwardContext.EVAL).toFloatArray();
            model.mergeAdapters();
            float[] merged = model.forward(in, ForwardContext.EVAL).toFloatArray();
            assertClose(unmerged, merged, 1e-5, "merged vs unmerged logits");
        }
    }

    /** What each method reports in result.json's method_state after STEPS steps of a one-epoch run. */
    static void assertState(String methodId, TrialConfig trial, Map<String, Object> state) {
        switch (methodId) {
            case "full_ft", "lora", "dora" -> assertEquals(Map.of(), state, methodId + " has no method state");
            case "adalora" -> {
                // PEFT defaults tinit = tfinal = 0: at step T = STEPS the budget is target_r x layers
                assertEquals(0, state.get("tinit"));
                assertEquals(0, state.get("tfinal"));
                assertEquals(STEPS, state.get("total_steps"));
                assertEquals(trial.adalora.targetR * TARGETS, state.get("budget"));
                Map<?, ?> ranks = (Map<?, ?>) state.get("ranks");
                assertEquals(TARGETS, ranks.size());
                int kept = 0;
                for (Object r : ranks.values()) kept += (Integer) r;
                assertEquals(trial.adalora.targetR * TARGETS, kept, "kept ranks = budget");
                Map<?, ?> pattern = (Map<?, ?>) state.get("rank_pattern");
                for (Object row : pattern.values()) assertEquals(trial.adalora.initR, ((List<?>) row).size());
            }
            case "monteclora" -> {
                List<?> epochs = (List<?>) state.get("epochs");
                assertEquals(1, epochs.size());
                // the STEPS training steps plus the step-0 training forward of check 1
                assertEquals(STEPS + 1, ((Map<?, ?>) epochs.get(0)).get("steps"));
                Map<?, ?> weights = (Map<?, ?>) state.get("mixture_weights");
                assertEquals(TARGETS, weights.size());
                for (Object w : weights.values()) {
                    double sum = 0;
                    for (Object x : (List<?>) w) sum += (Double) x;
                    assertEquals(1.0, sum, 1e-9, "expected mixture weights sum to 1");
                    assertEquals(trial.monteclora.mixtures, ((List<?>) w).size());
                }
                for (Object v : ((Map<?, ?>) state.get("wishart_scale")).values()) {
                    for (Object x : (List<?>) v) assertTrue((Double) x > 0, "V > 0");
                }
            }
            default -> throw new IllegalArgumentException(methodId);
        }
    }

    static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double max = 0;
        for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - actual[i]));
        assertTrue(max <= tolerance, what + ": max |difference| " + max + " > " + tolerance);
    }
}
