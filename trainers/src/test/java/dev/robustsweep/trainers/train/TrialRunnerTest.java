package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialRunnerTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModelFolder.write(dir.resolve("tiny"), "bert", 11);
    }

    static TrialConfig trial(String method) {
        return TinyTrial.of(model, method, 1e-3);
    }

    @Test
    void sameTrialAndSeedGivesIdenticalMetrics() {
        for (String method : List.of("full_ft", "lora")) {
            TrialResult a = TrialRunner.run(trial(method), new TrainingListener() {});
            TrialResult b = TrialRunner.run(trial(method), new TrainingListener() {});
            assertEquals("completed", a.status(), String.valueOf(a.asMap().get("reason")));
            assertEquals(a.asMap().get("metrics"), b.asMap().get("metrics"));
            assertEquals(strip(a.asMap().get("train_loss_curve")), strip(b.asMap().get("train_loss_curve")));
        }
    }

    private static String strip(Object curve) {
        StringBuilder sb = new StringBuilder();
        for (Object point : (List<?>) curve) sb.append(java.util.Arrays.toString((double[]) point));
        return sb.toString();
    }

    @Test
    void resultCarriesProvenance() {
        TrialConfig t = trial("lora");
        t.gridPoint = Map.of("learning_rate", 1e-3, "batch_size", 8);
        Map<String, Object> r = TrialRunner.run(t, new TrainingListener() {}).asMap();
        assertEquals("robustsweep.result/1", r.get("schema"));
        assertEquals(2, ((List<?>) r.get("epochs")).size());
        assertEquals(t.gridPoint, r.get("grid_point"));
        // calibration beside accuracy: ECE in [0, 1], Brier in [0, 2], 15 reliability bins counting every dev example
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        double ece = (Double) metrics.get("ece");
        double brier = (Double) metrics.get("brier");
        assertTrue(ece >= 0 && ece <= 1 && brier >= 0 && brier <= 2, metrics.toString());
        Map<?, ?> reliability = (Map<?, ?>) metrics.get("reliability");
        assertEquals(15, ((List<?>) reliability.get("counts")).size());
        assertEquals(24L, ((List<?>) reliability.get("counts")).stream().mapToLong(x -> (Long) x).sum());
        // the no-skill reference of the same 24 scored dev examples (section 10)
        Map<?, ?> baseline = (Map<?, ?>) r.get("dev_baseline");
        List<?> labelCounts = (List<?>) baseline.get("label_counts");
        assertEquals(24, labelCounts.stream().mapToInt(x -> (Integer) x).sum());
        assertEquals(labelCounts.stream().mapToInt(x -> (Integer) x).max().orElseThrow() / 24.0, (Double) baseline.get("majority_accuracy"), 1e-15);
        Map<?, ?> sums = (Map<?, ?>) r.get("checksums");
        assertTrue(sums.get("model").toString().startsWith("sha256:"));
        assertTrue(sums.get("train_data").toString().startsWith("sha256:"));
        assertNotNull(((Map<?, ?>) r.get("trial")).get("lora"));
        assertNotNull(r.get("tool_version"));
        Map<?, ?> p = (Map<?, ?>) r.get("parameters");
        // LoRA r 8 on q, k, v of 2 layers: 3 * 2 * (8 * 32 + 32 * 8), plus the head (2 x 32 + 2)
        assertEquals(3L * 2 * (8 * 32 + 32 * 8) + 2 * 32 + 2, ((Number) p.get("trainable")).longValue());
        // 48 examples / batch 8 = 6 steps per epoch, 2 epochs
        assertEquals(12, ((List<?>) r.get("train_loss_curve")).size());
    }

    @Test
    void stepsDoNotLeakNativeArrays() throws Exception {
        TrialConfig t = trial("full_ft");
        Engine engine = EngineSetup.start(0);
        ModelFolder folder = ModelFolder.load(model);
        List<TokenizedExample> train;
        try (TextEncoder text = new TextEncoder(folder.tokenizerJson(), 32)) {
            train = text.encodeAll(TaskLoader.load(t.task, Path.of(t.dataDir)).train().subList(0, 40));
        }
        try (NDManager manager = engine.newBaseManager()) {
            SequenceClassifier m = new ClassifierBuilder(folder, manager).build();
            var method = Methods.create(t, manager, 100);
            method.apply(m);
            Batcher batcher = new Batcher(folder.config());
            Trainer trainer = new Trainer(t, m, method, batcher, new Evaluator(batcher, 8, 2), manager, new TrainingListener() {});
            trainer.prepare(100);
            trainer.step(train.subList(0, 8)); // the first step allocates AdamW's moments
            int after1 = manager.getManagedArrays().size();
            for (int i = 1; i < 5; i++) trainer.step(train.subList(i * 8, i * 8 + 8));
            assertEquals(after1, manager.getManagedArrays().size());
        }
    }
}
