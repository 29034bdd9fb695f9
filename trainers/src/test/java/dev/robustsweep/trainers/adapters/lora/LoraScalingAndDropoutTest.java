package dev.robustsweep.trainers.adapters.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TargetLinears;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** rsLoRA's scaling and lora_dropout, against y = W0 x + b + scaling B A dropout(x) evaluated in doubles. */
class LoraScalingAndDropoutTest {
    /** use_rslora: scaling = lora_alpha / sqrt(r) (4 for alpha 8, r 4; plain LoRA: alpha / r = 2). */
    @Test
    void rsLoraScalesByAlphaOverSqrtR() throws Exception {
        Engine engine = TinyTraining.engine(71);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial("lora");
            trial.lora.useRslora = true;
            SequenceClassifier model = TinyTraining.model(manager, trial.seed);
            Methods.create(trial, manager, 10).apply(model);
            Linear q = TargetLinears.of(model, trial.lora.targetModules).get(0);
            LoraAdapter lora = (LoraAdapter) q.adapter();
            assertEquals(8 / Math.sqrt(4), lora.scaling(), 1e-15);

            int in = (int) q.inFeatures();
            int out = (int) q.outFeatures();
            int r = 4;
            SplittableRandom rng = new SplittableRandom(2);
            float[] b = new float[out * r];
            for (int i = 0; i < b.length; i++) b[i] = (float) (rng.nextDouble() - 0.5);
            lora.b().array().set(b);
            float[] a = lora.a().array().toFloatArray();
            float[] w0 = q.weight().array().toFloatArray();
            float[] bias = q.bias().array().toFloatArray();
            float[] x = new float[3 * in];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextDouble() - 0.5);
            float[] y = q.forward(manager.create(x, new Shape(3, in)), ForwardContext.EVAL).toFloatArray();
            float[] merged = lora.mergedWeight(q.weight().array()).toFloatArray();
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    double ba = 0;
                    for (int k = 0; k < r; k++) ba += (double) b[i * r + k] * a[k * in + j];
                    assertEquals(w0[i * in + j] + 4.0 * ba, merged[i * in + j], 1e-6, "merged weight");
                }
            }
            for (int t = 0; t < 3; t++) {
                for (int i = 0; i < out; i++) {
                    double e = bias[i];
                    for (int j = 0; j < in; j++) e += (double) merged[i * in + j] * x[t * in + j];
                    assertEquals(e, y[t * out + i], 1e-5, "forward");
                }
            }
        }
    }

    /**
     * lora_dropout drops the adapter's input only: with A = e_0^T (r = 1) and B = 1, the adapter path of
     * token t is scaling x_t0 keep_t / (1 - p) on every output, the base path is clean; keep_t ~ Bernoulli(1 - p).
     */
    @Test
    void loraDropoutDropsOnlyTheAdapterInput() {
        int in = 8;
        int out = 8;
        int tokens = 4000;
        double p = 0.5;
        Engine engine = EngineSetup.start(0);
        EngineSetup.seed(engine, 4);
        try (NDManager m = engine.newBaseManager()) {
            SplittableRandom rng = new SplittableRandom(8);
            float[] w0 = new float[out * in];
            for (int i = 0; i < w0.length; i++) w0[i] = (float) (rng.nextDouble() - 0.5);
            float[] bias = new float[out];
            for (int i = 0; i < out; i++) bias[i] = (float) (rng.nextDouble() - 0.5);
            Linear base = new Linear("t", new Parameter("t.weight", m.create(w0, new Shape(out, in)), true),
                    new Parameter("t.bias", m.create(bias, new Shape(out)), false));
            float[] a = new float[in];
            a[0] = 1f;
            float[] ones = new float[out];
            java.util.Arrays.fill(ones, 1f);
            double scaling = 3.0;
            LoraAdapter lora = new LoraAdapter(new Parameter("t.lora_A.weight", m.create(a, new Shape(1, in)), true),
                    new Parameter("t.lora_B.weight", m.create(ones, new Shape(out, 1)), true), scaling, p);
            float[] x = new float[tokens * in];
            for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 + rng.nextDouble());
            float[] y = lora.forward(m.create(x, new Shape(tokens, in)), base, ForwardContext.TRAIN).toFloatArray();
            int kept = 0;
            for (int t = 0; t < tokens; t++) {
                double ratio = 0;
                for (int i = 0; i < out; i++) {
                    double clean = bias[i];
                    for (int j = 0; j < in; j++) clean += (double) w0[i * in + j] * x[t * in + j];
                    double r = (y[t * out + i] - clean) / (scaling * x[t * in]);
                    if (i == 0) ratio = r;
                    assertEquals(ratio, r, 1e-4, "one mask value per token on every output");
                }
                assertTrue(Math.abs(ratio) < 1e-4 || Math.abs(ratio - 1 / (1 - p)) < 1e-4, "keep / (1 - p) in {0, 2}: " + ratio);
                if (ratio > 1) kept++;
            }
            assertEquals(1 - p, kept / (double) tokens, 4.5 * Math.sqrt(p * (1 - p) / tokens), "kept fraction");
            // evaluation: no dropout
            float[] e = lora.forward(m.create(x, new Shape(tokens, in)), base, ForwardContext.EVAL).toFloatArray();
            for (int i = 0; i < out; i++) {
                double clean = bias[i] + scaling * x[0];
                for (int j = 0; j < in; j++) clean += (double) w0[i * in + j] * x[j];
                assertEquals(clean, e[i], 1e-5, "evaluation output");
            }
        }
    }
}
