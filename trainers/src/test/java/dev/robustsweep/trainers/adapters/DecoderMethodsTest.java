package dev.robustsweep.trainers.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.Scalars;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.CausalLmBuilder;
import dev.robustsweep.trainers.model.decoder.TokenNll;
import dev.robustsweep.trainers.trial.TargetModules;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyDecoderFolder;
import dev.robustsweep.trainers.weights.TinyLlama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every method on a decoder (the tiny-llama architecture: hidden 64, 4 heads / 2 KV heads of 16,
 * FFN 128, 2 layers, vocab 259) with the authors' target modules q, k, v, up, down: trainable counts
 * by formula, start at the base model (all but the bottleneck adapter, whose "bert" init is not
 * zero), causal-LM loss falls under SGD, frozen weights stay, merged evaluation equals unmerged.
 */
class DecoderMethodsTest {
    static final int H = 64;
    static final int KV = 32;   // 2 KV heads x 16
    static final int F = 128;
    static final int L = 2;
    static final int V = 259;
    static final int B = 4;
    static final int T = 10;

    static CausalLm model(NDManager manager) throws Exception {
        Path dir = Files.createTempDirectory("tiny-decoder");
        TinyDecoderFolder.write(dir, TinyLlama.SPEC, 3);
        return new CausalLmBuilder(DecoderFolder.load(dir), manager).build();
    }

    static TrialConfig trial(String method) {
        TrialConfig t = TinyTraining.trial(method);
        t.lora.targetModules = TargetModules.DECODER_DEFAULT;
        t.adapter.bottleneckSize = 8;
        return t;
    }

    /** Trainable parameters by formula: q [64,64], k and v [32,64], up [128,64], down [64,128] per layer. */
    static long expectedTrainable(TrialConfig t) {
        int r = t.lora.r;
        long inOut = (H + H) + (H + KV) + (H + KV) + (H + F) + (F + H); // sum of n_in + n_out over q, k, v, up, down
        long outs = H + KV + KV + F + H;
        return switch (t.method) {
            case "full_ft" -> 2L * V * H + L * (2L * H + H * H + 2L * KV * H + H * H + 3L * H * F) + H; // untied embed + head, norms
            case "lora" -> L * r * inOut;
            case "dora" -> L * (r * inOut + outs);
            case "adalora" -> L * (t.adalora.initR * inOut + 5L * t.adalora.initR);
            case "monteclora" -> L * (r * inOut + 5L * (r + t.monteclora.mixtures));
            // series defaults gate_proj, up_proj (input side: n = 64) and down_proj (output side: n = 64), each down [8, 64] + up [64, 8]
            case "adapter" -> L * 3L * (2L * 8 * H);
            default -> throw new IllegalArgumentException(t.method);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"full_ft", "lora", "dora", "adalora", "monteclora", "adapter"})
    void everyMethodTrainsADecoder(String methodId) throws Exception {
        Engine engine = TinyTraining.engine(5);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = trial(methodId);
            SplittableRandom rng = new SplittableRandom(9);
            long[] ids = new long[B * T];
            long[] mask = new long[B * T];
            long[] labels = new long[B * T];
            for (int i = 0; i < B; i++) {
                int pad = i; // left padding: row i has i pads
                for (int j = 0; j < T; j++) {
                    int k = i * T + j;
                    boolean real = j >= pad;
                    ids[k] = real ? 3 + rng.nextInt(V - 3) : 0;
                    mask[k] = real ? 1 : 0;
                    labels[k] = real ? ids[k] : TokenNll.IGNORE_INDEX;
                }
            }
            NDArray in = manager.create(ids, new Shape(B, T));
            NDArray m = manager.create(mask, new Shape(B, T));
            NDArray y = manager.create(labels, new Shape(B, T));

            float[] baseLogits = model(manager).forward(in, m, ForwardContext.EVAL).toFloatArray();
            CausalLm lm = model(manager);
            AdaptationMethod method = Methods.create(trial, manager, 5);
            method.apply(lm);
            if (!methodId.equals("adapter")) {
                AdapterMethodsTest.assertClose(baseLogits, lm.forward(in, m, ForwardContext.EVAL).toFloatArray(), 1e-5, "eval logits at step 0");
            }
            long trainable = 0;
            for (Parameter p : lm.allParameters()) if (p.trainable()) trainable += p.size();
            assertEquals(expectedTrainable(trial), trainable, "trainable parameters");

            Map<String, float[]> frozen = new LinkedHashMap<>();
            for (Parameter p : lm.allParameters()) if (!p.trainable()) frozen.put(p.name(), p.array().toFloatArray());
            double before = loss(lm, in, m, y);
            method.onEpochStart(0, 1, lm);
            for (int step = 1; step <= 5; step++) sgdStep(lm, method, in, m, y, methodId.equals("full_ft") ? 0.05 : 0.5, step, 5);
            double after = loss(lm, in, m, y);
            assertTrue(after < before, methodId + ": loss " + before + " -> " + after);
            for (Parameter p : lm.allParameters()) {
                if (frozen.containsKey(p.name())) assertArrayEquals(frozen.get(p.name()), p.array().toFloatArray(), p.name() + " changed");
            }
            if (!methodId.equals("adapter")) {
                float[] unmerged = lm.forward(in, m, ForwardContext.EVAL).toFloatArray();
                lm.beginEvaluation();
                float[] folded = lm.forward(in, m, ForwardContext.EVAL).toFloatArray();
                lm.endEvaluation();
                AdapterMethodsTest.assertClose(unmerged, folded, 1e-4, "folded vs unfolded logits");
            }
        }
    }

    static double loss(CausalLm lm, NDArray in, NDArray m, NDArray y) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return TokenNll.mean(lm.forward(in, m, ForwardContext.EVAL), y).getFloat();
        }
    }

    static void sgdStep(CausalLm lm, AdaptationMethod method, NDArray in, NDArray m, NDArray y, double lr, int step, int steps) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = TokenNll.mean(lm.forward(in, m, ForwardContext.TRAIN), y);
                for (NDArray extra : method.extraLosses().values()) loss = loss.add(extra);
                gc.backward(loss);
            }
            for (Parameter p : lm.allParameters()) {
                if (!p.trainable()) continue;
                NDArray g = p.array().getGradient();
                p.array().subi(g.mul(Scalars.of(g, lr)));
                g.close();
            }
            method.afterOptimizerStep(step, steps);
            for (Parameter p : lm.allParameters()) if (p.trainable()) JniUtils.zeroGrad((PtNDArray) p.array());
        }
    }
}
