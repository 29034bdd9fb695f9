package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.commonsense.CausalLmExample;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.CausalLmBuilder;
import dev.robustsweep.trainers.model.decoder.TokenNll;
import dev.robustsweep.trainers.trial.TargetModules;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyLlama;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gradient accumulation: with examples of equal scored-token counts, the mean of the micro-batch means
 * is the batch mean, so one optimizer step with micro_batch_size 1, 2 or 4 gives the same gradients;
 * with unequal counts it is Hugging Face's per-micro-batch average, which differs.
 */
class DecoderTrainerTest {
    static List<CausalLmExample> examples(int n, boolean equalLengths) {
        SplittableRandom rng = new SplittableRandom(4);
        List<CausalLmExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = equalLengths ? 12 : 6 + 4 * i;
            long[] ids = new long[len];
            for (int j = 0; j < len; j++) ids[j] = 3 + rng.nextInt(256);
            long[] labels = ids.clone();
            labels[0] = TokenNll.IGNORE_INDEX;
            out.add(new CausalLmExample(ids, labels, "t"));
        }
        return out;
    }

    static float[] trainedWeights(Integer micro, List<CausalLmExample> data) throws Exception {
        Engine engine = TinyTraining.engine(3);
        try (NDManager manager = engine.newBaseManager()) {
            CausalLm lm = new CausalLmBuilder(DecoderFolder.load(TinyLlama.folder()), manager).build();
            TrialConfig t = TinyTraining.trial("lora");
            t.lora.targetModules = TargetModules.DECODER_DEFAULT;
            t.batchSize = 4;
            t.decoder.microBatchSize = micro;
            t.epochs = 1;
            // a huge epsilon makes AdamW's first step lr * g / (|g| + eps) ~ g: weights then compare gradients,
            // which sign-like Adam steps and clipping would hide
            t.adamEpsilon = 1e3;
            t.learningRate = 1e3;
            t.maxGradNorm = 0;
            t.warmupRatio = 0;
            t.lrSchedulerType = "constant";
            AdaptationMethod method = Methods.create(t, manager, 1);
            method.apply(lm);
            DecoderTrainer.Outcome o = new DecoderTrainer(t, lm, method, 0, manager, new TrainingListener() {}).train(data);
            assertEquals(1, o.steps());
            List<Float> w = new ArrayList<>();
            for (Parameter p : lm.allParameters()) if (p.trainable()) for (float f : p.array().toFloatArray()) w.add(f);
            float[] out = new float[w.size()];
            for (int i = 0; i < out.length; i++) out[i] = w.get(i);
            return out;
        }
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void microBatchesAccumulateToTheFullBatchStep() throws Exception {
        List<CausalLmExample> equal = examples(4, true);
        float[] full = trainedWeights(null, equal);
        assertTrue(maxDiff(full, trainedWeights(2, equal)) < 1e-6, "micro 2 vs 4: " + maxDiff(full, trainedWeights(2, equal)));
        assertTrue(maxDiff(full, trainedWeights(1, equal)) < 1e-6, "micro 1 vs 4");
        List<CausalLmExample> unequal = examples(4, false);
        assertTrue(maxDiff(trainedWeights(null, unequal), trainedWeights(1, unequal)) > 1e-6,
                "unequal lengths: the mean of per-example means is not the token mean");
    }
}
