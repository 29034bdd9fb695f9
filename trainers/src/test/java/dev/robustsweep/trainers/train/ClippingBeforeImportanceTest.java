package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.adalora.AdaLoraMethod;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEFT's order in a step: clip_grad_norm_ (in place), optimizer.step(), update_and_allocate(). AdaLoRA's
 * importance after the first step is ipt = |p g| per element, so every triplet score is
 * (1 - beta1) beta1 (1 - beta2) ipt^2, proportional to the square of the clipping factor. Two runs that
 * both clip, at max_grad_norm 1e-4 and 2e-4, take the same AdamW step (g / |g|, eps negligible) and must
 * give scores in the ratio (1/2)^2 = 0.25; unclipped gradients would give 1.
 */
class ClippingBeforeImportanceTest {
    @TempDir Path dir;

    @Test
    void importanceSeesTheClippedGradients() throws Exception {
        ModelFolder folder = ModelFolder.load(TinyModelFolder.write(dir.resolve("tiny"), "bert", 5));
        List<TokenizedExample> batch;
        TaskSpec spec = new TaskSpec();
        spec.name = "mrpc";
        try (TextEncoder text = new TextEncoder(folder.tokenizerJson(), 32)) {
            batch = text.encodeAll(TaskLoader.load(spec, Path.of("..", "data")).train().subList(0, 8));
        }
        float[][] small = scores(folder, batch, spec, 1e-4);
        float[][] large = scores(folder, batch, spec, 2e-4);
        int checked = 0;
        for (int l = 0; l < small.length; l++) {
            for (int i = 0; i < small[l].length; i++) {
                if (large[l][i] < 1e-30) continue;
                assertEquals(0.25, small[l][i] / large[l][i], 1e-3, "score ratio, layer " + l + " rank " + i);
                checked++;
            }
        }
        assertEquals(small.length * small[0].length, checked, "every triplet has a positive score");
    }

    private static float[][] scores(ModelFolder folder, List<TokenizedExample> batch, TaskSpec spec, double maxGradNorm) {
        TrialConfig t = new TrialConfig();
        t.trialId = "clip";
        t.method = "adalora";
        t.task = spec;
        t.learningRate = 1e-3;
        t.maxGradNorm = maxGradNorm;
        t.adamEpsilon = 1e-20;
        t.warmupRatio = 0;
        t.adalora.initR = 4;
        t.adalora.targetR = 2;
        Engine engine = EngineSetup.start(0);
        EngineSetup.seed(engine, 1);
        try (NDManager manager = engine.newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager).optDropout(0.0, 0.0, 0.0).optSeed(3).build();
            AdaLoraMethod method = (AdaLoraMethod) Methods.create(t, manager, 10);
            method.apply(model);
            Batcher batcher = new Batcher(folder.config());
            Trainer trainer = new Trainer(t, model, method, batcher, new Evaluator(batcher, 8, 2), manager, new TrainingListener() {});
            trainer.prepare(10);
            trainer.step(batch);
            return method.allocator().tripletScores();
        }
    }
}
