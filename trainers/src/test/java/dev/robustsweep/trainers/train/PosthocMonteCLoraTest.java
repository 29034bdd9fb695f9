package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TrainingPhase;
import dev.robustsweep.trainers.adapters.monteclora.MonteCLoraAdapter;
import dev.robustsweep.trainers.adapters.monteclora.MonteCLoraMethod;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Post-hoc MonteCLoRA through the real trainer (the authors' finetune.py with posthoc_app): phase 1 moves
 * A, B and the head but not V, alpha; phase 2 moves only V and alpha, with a fresh AdamW and a fresh
 * schedule at 5 x the learning rate, so its first update of every log V entry is 5 lr g / (|g| + eps).
 */
class PosthocMonteCLoraTest {
    @TempDir Path dir;

    @Test
    void phaseTwoMovesOnlyVAndAlphaWithAFreshOptimizerAtFiveTimesTheRate() throws Exception {
        ModelFolder folder = ModelFolder.load(TinyModelFolder.write(dir.resolve("tiny"), "bert", 5));
        TrialConfig t = new TrialConfig();
        t.trialId = "posthoc";
        t.method = "monteclora";
        t.monteclora.schedule = "posthoc";
        t.monteclora.sampleScaler = 0.05;
        t.task = new TaskSpec();
        t.task.name = "mrpc";
        t.learningRate = 1e-3;
        t.batchSize = 8;
        t.epochs = 2;
        t.warmupRatio = 0;
        t.weightDecay = 0.01;
        // a tiny eps so AdamW's first update is lr g / |g| up to 1e-12 / |g| (|g| of log V is ~1e-6 here)
        t.adamEpsilon = 1e-14;
        t.lora.r = 4;
        t.hiddenDropoutProb = 0.0;
        t.attentionProbsDropoutProb = 0.0;
        List<TokenizedExample> train;
        List<TokenizedExample> dev;
        try (TextEncoder text = new TextEncoder(folder.tokenizerJson(), 32)) {
            var data = TaskLoader.load(t.task, Path.of("..", "data"));
            train = text.encodeAll(data.train().subList(0, 24));
            dev = text.encodeAll(data.dev().subList(0, 8));
        }
        Engine engine = EngineSetup.start(0);
        EngineSetup.seed(engine, 3);
        try (NDManager manager = engine.newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager).optDropout(0.0, 0.0, 0.0).optSeed(t.seed).build();
            MonteCLoraMethod method = (MonteCLoraMethod) Methods.create(t, manager, 6);
            method.apply(model);
            assertEquals(List.of(new TrainingPhase(0, 1, 1.0), new TrainingPhase(1, 1, 5.0)), method.phases(2));
            MonteCLoraAdapter adapter = method.adapters().get(0);
            Set<String> stochastic = Set.of(adapter.logScale().name(), adapter.logConcentration().name());

            Map<String, float[]> start = snapshot(model);
            Map<String, Map<String, float[]>> at = new LinkedHashMap<>();
            Batcher batcher = new Batcher(folder.config());
            Trainer trainer = new Trainer(t, model, method, batcher, new Evaluator(batcher, 8, 2), manager, new TrainingListener() {
                @Override
                public void onStep(int epoch, int epochs, int step, int totalSteps, double loss) {
                    if (step == 4) at.put("first phase-2 step", snapshot(model));
                }

                @Override
                public void onEpoch(EpochRecord record) {
                    at.put("epoch " + record.epoch(), snapshot(model));
                }
            });
            TrainingOutcome outcome = trainer.train(train, dev);
            assertFalse(outcome.diverged());
            Map<String, float[]> phase1 = at.get("epoch 1");
            Map<String, float[]> phase2 = at.get("epoch 2");

            // phase 1: mu and the head move, V and alpha do not
            for (String name : start.keySet()) {
                boolean moved = !java.util.Arrays.equals(start.get(name), phase1.get(name));
                boolean shouldMove = name.contains("lora_A") || name.contains("lora_B") || name.startsWith("classifier.");
                assertEquals(shouldMove, moved, "phase 1: " + name);
            }
            // phase 2: only V and alpha move (head, A, B, pooler, encoder bit-identical)
            for (String name : start.keySet()) {
                boolean moved = !java.util.Arrays.equals(phase1.get(name), phase2.get(name));
                boolean isStochastic = name.contains(".monteclora.");
                assertEquals(isStochastic, moved, "phase 2: " + name);
            }
            assertTrue(stochastic.stream().allMatch(phase1::containsKey));

            // first phase-2 update: fresh AdamW (t = 1) at the fresh schedule's peak 5 x lr (no warm-up):
            // |delta| = 5 lr |g| / (|g| + eps) = 5e-3 (a continued schedule would give lr (6 - 3) / 6 = 5e-4)
            float[] before = phase1.get(adapter.logScale().name());
            float[] after = at.get("first phase-2 step").get(adapter.logScale().name());
            for (int i = 0; i < before.length; i++) {
                double delta = Math.abs(after[i] - before[i]);
                assertEquals(5 * t.learningRate, delta, 5e-3 * 1e-4, "log V[" + i + "] first phase-2 update");
            }
        }
    }

    private static Map<String, float[]> snapshot(SequenceClassifier model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Parameter p : model.allParameters()) out.put(p.name(), p.array().toFloatArray());
        return out;
    }
}
