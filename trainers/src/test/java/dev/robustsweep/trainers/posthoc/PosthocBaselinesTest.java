package dev.robustsweep.trainers.posthoc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.train.Evaluator;
import dev.robustsweep.trainers.train.TrainingListener;
import dev.robustsweep.trainers.train.TrialResult;
import dev.robustsweep.trainers.train.TrialRunner;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The post-hoc baselines on the tiny model: MC dropout, temperature scaling, checkpoint ensemble, MAP. */
class PosthocBaselinesTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TinyModelFolder.write(dir.resolve("tiny"), "bert", 11);
    }

    static TrialConfig trial(String method) {
        return dev.robustsweep.trainers.train.TinyTrial.of(model, method, 1e-3);
    }

    /** A model with LoRA (untrained A, B set to a nonzero value so the adapter matters) and its dev examples. */
    private record Setup(SequenceClassifier model, Evaluator evaluator, List<TokenizedExample> dev) {}

    private static Setup setup(NDManager manager, double dropout, double loraDropout) throws Exception {
        TrialConfig t = trial("mc_dropout");
        t.lora.loraDropout = loraDropout;
        ModelFolder folder = ModelFolder.load(model);
        List<TokenizedExample> dev;
        try (TextEncoder text = new TextEncoder(folder.tokenizerJson(), 32)) {
            dev = text.encodeAll(TaskLoader.load(t.task, Path.of(t.dataDir)).dev().subList(0, 20));
        }
        SequenceClassifier m = new ClassifierBuilder(folder, manager).optDropout(dropout, dropout, dropout).optSeed(3).build();
        Methods.create(t, manager, 10).apply(m);
        for (var layer : m.encoder().layers()) {
            for (var l : layer.targetLinears().values()) {
                if (l.adapter() != null) {
                    var b = l.adapter().parameters().get(1).array();
                    b.set(manager.randomNormal(0, 0.05f, b.getShape(), b.getDataType()).toFloatArray());
                }
            }
        }
        return new Setup(m, new Evaluator(new Batcher(folder.config()), 8, 2), dev);
    }

    @Test
    void mcDropoutWithOneSampleAndNoDropoutEqualsTheDeterministicEvaluation() throws Exception {
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            Setup s = setup(manager, 0.0, 0.0);
            Predictions deterministic = s.evaluator().predict(s.model(), s.dev(), manager, ForwardContext.EVAL);
            Predictions mc = McDropout.predict(s.model(), s.evaluator(), s.dev(), manager, engine, 42, 1, false);
            assertArrayEquals(deterministic.gold(), mc.gold());
            // merged (evaluation) and unmerged (dropout path) linears differ only by float rounding
            assertArrayEquals(deterministic.logProbs(), mc.logProbs(), 1e-5f);
        }
    }

    @Test
    void mcDropoutSeedsDifferAndTheSameSeedRepeats() throws Exception {
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            Setup s = setup(manager, 0.3, 0.1);
            Predictions a = McDropout.predict(s.model(), s.evaluator(), s.dev(), manager, engine, 1, 3, false);
            Predictions again = McDropout.predict(s.model(), s.evaluator(), s.dev(), manager, engine, 1, 3, false);
            Predictions b = McDropout.predict(s.model(), s.evaluator(), s.dev(), manager, engine, 2, 3, false);
            assertArrayEquals(a.logProbs(), again.logProbs(), 0f);
            assertFalse(java.util.Arrays.equals(a.logProbs(), b.logProbs()));
            // the average of S = 3 passes is not any single deterministic pass
            Predictions deterministic = s.evaluator().predict(s.model(), s.dev(), manager, ForwardContext.EVAL);
            assertFalse(java.util.Arrays.equals(a.logProbs(), deterministic.logProbs()));
            // and it is a distribution
            for (int i = 0; i < a.size(); i++) {
                assertEquals(1.0, Math.exp(a.logProbs()[2 * i]) + Math.exp(a.logProbs()[2 * i + 1]), 1e-5);
            }
        }
    }

    @Test
    void temperatureIsFittedOnHeldOutTrainingDataNeverOnTheDevSet() throws Exception {
        // the same trial with its dev labels flipped: the fitted temperature must not move
        List<String> lines = Files.readAllLines(Path.of("..", "data", "glue", "MRPC", "dev.tsv"));
        List<String> poisoned = new ArrayList<>(List.of(lines.get(0)));
        for (String l : lines.subList(1, 25)) poisoned.add((l.startsWith("1") ? "0" : "1") + l.substring(1));
        Path bad = dir.resolve("dev-poisoned.tsv");
        Files.write(bad, poisoned);
        Path good = dir.resolve("dev.tsv");
        Files.write(good, lines.subList(0, 25));
        TrialConfig clean = trial("temperature");
        clean.task.dev = good.toString();
        TrialConfig dirty = trial("temperature");
        dirty.task.dev = bad.toString();
        Map<String, Object> a = TrialRunner.run(clean, new TrainingListener() {}).asMap();
        Map<String, Object> b = TrialRunner.run(dirty, new TrainingListener() {}).asMap();
        assertEquals("completed", a.get("status"), String.valueOf(a.get("reason")));
        Map<?, ?> pa = (Map<?, ?>) a.get("posthoc");
        Map<?, ?> pb = (Map<?, ?>) b.get("posthoc");
        assertEquals(pa.get("temperature"), pb.get("temperature"));
        assertEquals(5, pa.get("holdout_examples")); // round(0.1 x 48)
        double t = (Double) pa.get("temperature");
        assertTrue(t > 0 && Double.isFinite(t));
        assertEquals(TemperatureScaling.atBound(t) == null ? "none" : TemperatureScaling.atBound(t), pa.get("temperature_at_bound"));
        // the held-out NLL does not get worse by fitting T on it
        assertTrue((Double) pa.get("holdout_nll_after") <= (Double) pa.get("holdout_nll_before") + 1e-12);
        // the dev scores did see the flipped labels: accuracy mirrors (binary, same predictions)
        double accA = (Double) ((Map<?, ?>) a.get("metrics")).get("accuracy");
        double accB = (Double) ((Map<?, ?>) b.get("metrics")).get("accuracy");
        assertEquals(1.0, accA + accB, 1e-12);
        // temperature scaling keeps the argmax: accuracy equals the plain one
        assertEquals(accA, (Double) ((Map<?, ?>) pa.get("plain_metrics")).get("accuracy"), 1e-12);
    }

    @Test
    void checkpointEnsembleOfOneIsTheLastCheckpoint() {
        TrialConfig one = trial("checkpoint_ensemble");
        one.posthoc.ensembleCheckpoints = 1;
        Map<String, Object> r = TrialRunner.run(one, new TrainingListener() {}).asMap();
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        Map<?, ?> plain = (Map<?, ?>) ((Map<?, ?>) r.get("posthoc")).get("plain_metrics");
        assertEquals((Double) plain.get("nll"), (Double) metrics.get("nll"), 1e-6);
        assertEquals(plain.get("accuracy"), metrics.get("accuracy"));
        // two checkpoints: the average of epochs 1 and 2, whose NLL is at most the mean of theirs (convexity of -log)
        TrialConfig two = trial("checkpoint_ensemble");
        two.posthoc.ensembleCheckpoints = 2;
        Map<String, Object> r2 = TrialRunner.run(two, new TrainingListener() {}).asMap();
        List<?> epochs = (List<?>) r2.get("epochs");
        double nll1 = (Double) ((Map<?, ?>) epochs.get(0)).get("nll");
        double nll2 = (Double) ((Map<?, ?>) epochs.get(1)).get("nll");
        double ens = (Double) ((Map<?, ?>) r2.get("metrics")).get("nll");
        assertEquals(List.of(1, 2), ((Map<?, ?>) r2.get("posthoc")).get("epochs"));
        assertTrue(ens <= (nll1 + nll2) / 2 + 1e-6, ens + " vs " + nll1 + ", " + nll2);
        assertNotEquals(nll2, ens);
    }

    @Test
    void mapWithoutPriorIsLoraAndThePriorChangesTraining() {
        TrialConfig lora = trial("lora");
        TrialConfig flat = trial("map");
        flat.posthoc.mapWeightDecay = 0;
        TrialConfig map = trial("map");
        map.posthoc.mapWeightDecay = 50;
        TrialResult a = TrialRunner.run(lora, new TrainingListener() {});
        TrialResult b = TrialRunner.run(flat, new TrainingListener() {});
        TrialResult c = TrialRunner.run(map, new TrainingListener() {});
        assertEquals(a.asMap().get("metrics"), b.asMap().get("metrics"));
        assertNotEquals(a.asMap().get("metrics"), c.asMap().get("metrics"));
        Map<?, ?> extras = (Map<?, ?>) ((Map<?, ?>) ((List<?>) c.asMap().get("epochs")).get(0)).get("extra_losses");
        assertTrue((Double) extras.get("gaussian_prior") > 0, extras.toString());
    }

    @Test
    void monteCLoraModelAverageSamplesTheAdaptersWithDropoutOff() {
        // epsilon = 0: every sampled A_used is A, so the average must equal the mean's evaluation even
        // though the trial has dropout 0.3 everywhere (dropout is off in the model average)
        TrialConfig still = trial("monteclora");
        still.monteclora.bmaSamples = 3;
        still.monteclora.sampleScaler = 0;
        still.hiddenDropoutProb = 0.3;
        still.attentionProbsDropoutProb = 0.3;
        still.classifierDropout = 0.3;
        Map<String, Object> r = TrialRunner.run(still, new TrainingListener() {}).asMap();
        assertEquals("completed", r.get("status"), String.valueOf(r.get("reason")));
        Map<?, ?> plain = (Map<?, ?>) ((Map<?, ?>) r.get("posthoc")).get("plain_metrics");
        assertEquals((Double) plain.get("nll"), (Double) ((Map<?, ?>) r.get("metrics")).get("nll"), 1e-5);
        // a large epsilon: the average differs from the mean, and the same trial repeats it exactly
        TrialConfig noisy = trial("monteclora");
        noisy.monteclora.bmaSamples = 3;
        noisy.monteclora.sampleScaler = 0.5;
        Map<String, Object> a = TrialRunner.run(noisy, new TrainingListener() {}).asMap();
        Map<String, Object> b = TrialRunner.run(noisy, new TrainingListener() {}).asMap();
        assertEquals(a.get("metrics"), b.get("metrics"));
        Map<?, ?> plainA = (Map<?, ?>) ((Map<?, ?>) a.get("posthoc")).get("plain_metrics");
        assertNotEquals(plainA.get("nll"), ((Map<?, ?>) a.get("metrics")).get("nll"));
        assertEquals(3, ((Map<?, ?>) a.get("posthoc")).get("bma_samples"));
    }
}
