package dev.robustsweep.trainers.model.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyDecoderFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Activation checkpointing gives the same loss and gradients as the plain step. */
class CheckpointingTest {
    @TempDir Path dir;

    @Test
    void loraGradientsWithCheckpointingEqualPlainOnes() throws Exception {
        compare(TinyDecoderFolder.write(dir.resolve("llama"), DecoderParityTest.LLAMA, 41), false);
    }

    @Test
    void fullFineTuningGradientsWithCheckpointingEqualPlainOnesTiedHead() throws Exception {
        compare(TinyDecoderFolder.write(dir.resolve("qwen2"), DecoderParityTest.QWEN2, 42), true);
    }

    private static void compare(Path folder, boolean full) {
        Engine engine = EngineSetup.start(0);
        long[][] ids = DecoderParityTest.leftPad(DecoderParityTest.PROMPTS, 0);
        long[][] mask = DecoderParityTest.maskOf(DecoderParityTest.PROMPTS);
        long[][] labels = DecoderParityTest.labelsIgnoringPads(ids, mask);
        List<float[]> grads = new ArrayList<>();
        float[] losses = new float[2];
        for (int run = 0; run < 2; run++) {
            try (NDManager m = engine.newBaseManager()) {
                CausalLm lm = new CausalLmBuilder(DecoderFolder.load(folder), m).build();
                List<Parameter> trainable = new ArrayList<>();
                if (full) {
                    for (Parameter p : lm.baseParameters()) {
                        p.setTrainable(true);
                        trainable.add(p);
                    }
                } else {
                    SplittableRandom rng = new SplittableRandom(3);
                    for (Linear l : lm.targetLinears(List.of("q_proj", "v_proj", "up_proj"))) {
                        LoraAdapter a = LoraAdapter.create(l, 4, 8, false, 0.0, m, rng);
                        float[] b = new float[(int) a.b().size()];
                        for (int i = 0; i < b.length; i++) b[i] = (float) (rng.nextDouble() - 0.5) * 0.2f;
                        a.b().array().set(b);
                        l.setAdapter(a);
                        for (Parameter p : a.parameters()) {
                            p.setTrainable(true);
                            trainable.add(p);
                        }
                    }
                }
                lm.setCheckpointing(run == 1);
                NDArray labelArray = m.create(labels);
                try (GradientCollector gc = engine.newGradientCollector()) {
                    losses[run] = lm.trainingStep(m.create(ids), m.create(mask), logits -> TokenNll.mean(logits, labelArray), gc,
                            ForwardContext.TRAIN).getFloat();
                }
                List<Float> flat = new ArrayList<>();
                for (Parameter p : trainable) for (float g : p.array().getGradient().toFloatArray()) flat.add(g);
                float[] f = new float[flat.size()];
                for (int i = 0; i < f.length; i++) f[i] = flat.get(i);
                grads.add(f);
            }
        }
        assertEquals(losses[0], losses[1], 1e-6, "loss");
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < grads.get(0).length; i++) {
            worst = Math.max(worst, Math.abs(grads.get(0)[i] - grads.get(1)[i]));
            scale = Math.max(scale, Math.abs(grads.get(0)[i]));
        }
        System.out.printf("checkpointing (%s): max |grad difference| %.3g of %.3g%n", full ? "full_ft" : "lora", worst, scale);
        assertTrue(scale > 1e-3 && worst < 1e-6 + 1e-5 * scale, "gradient difference " + worst + " of " + scale);
    }

    @Test
    void monteCLoraRefusesCheckpointing() throws Exception {
        Path folder = TinyDecoderFolder.write(dir.resolve("mc"), DecoderParityTest.LLAMA, 44);
        Engine engine = EngineSetup.start(0);
        try (NDManager m = engine.newBaseManager()) {
            CausalLm lm = new CausalLmBuilder(DecoderFolder.load(folder), m).build();
            dev.robustsweep.trainers.trial.TrialConfig trial = new dev.robustsweep.trainers.trial.TrialConfig();
            trial.method = "monteclora";
            trial.lora.targetModules = List.of("q_proj", "v_proj");
            dev.robustsweep.trainers.adapters.Methods.create(trial, m, 10).apply(lm);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> lm.setCheckpointing(true));
            assertTrue(e.getMessage().contains("monteclora"), e.getMessage());
            assertTrue(!CausalLm.supportsCheckpointing("monteclora") && CausalLm.supportsCheckpointing("lora"));
        }
    }
}
