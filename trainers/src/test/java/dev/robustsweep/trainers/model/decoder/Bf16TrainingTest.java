package dev.robustsweep.trainers.model.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.adapters.lora.LoraAdapter;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TargetModules;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyDecoderFolder;
import dev.robustsweep.trainers.weights.TinyLlama;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One training step with bf16 autocast against the same step in float32, for a decoder and an
 * encoder, LoRA and full fine-tuning: loss and every trainable tensor's gradient agree to bf16
 * accuracy, differ from float32 (bf16 ran), and every trainable tensor gets a gradient.
 */
class Bf16TrainingTest {
    @TempDir Path dir;

    /** One step's loss and the gradients of the trainable tensors, in order. */
    record Step(float loss, List<String> names, List<float[]> grads) {}

    @Test
    void decoderLoraStepInBf16IsCloseToFloat32AndCheckpointingChangesNothing() throws Exception {
        Path folder = TinyDecoderFolder.write(dir.resolve("llama"), DecoderParityTest.LLAMA, 41);
        Step f32 = decoderStep(folder, false, false, false);
        Step bf16 = decoderStep(folder, false, true, false);
        compare("decoder lora", f32, bf16);
        Step bf16Ckpt = decoderStep(folder, false, true, true);
        assertEquals(bf16.loss(), bf16Ckpt.loss(), 1e-6);
        for (int i = 0; i < bf16.grads().size(); i++) {
            float[] a = bf16.grads().get(i);
            float[] b = bf16Ckpt.grads().get(i);
            for (int j = 0; j < a.length; j++) assertEquals(a[j], b[j], 1e-6 + 1e-5 * Math.abs(a[j]), bf16.names().get(i));
        }
    }

    @Test
    void decoderFullFineTuningStepInBf16IsCloseToFloat32TiedHead() throws Exception {
        Path folder = TinyDecoderFolder.write(dir.resolve("qwen2"), DecoderParityTest.QWEN2, 42);
        compare("decoder full_ft", decoderStep(folder, true, false, false), decoderStep(folder, true, true, false));
    }

    @Test
    void encoderLoraStepInBf16IsCloseToFloat32() throws Exception {
        compare("encoder lora", encoderStep(false, false), encoderStep(false, true));
    }

    @Test
    void encoderFullFineTuningStepInBf16IsCloseToFloat32() throws Exception {
        compare("encoder full_ft", encoderStep(true, false), encoderStep(true, true));
    }

    /**
     * Every method as a trial applies it (PEFT initialisation: B = 0, so A has no gradient yet) on the
     * tiny llama: bf16 agrees with float32, and every tensor with a float32 gradient has a bf16 one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"full_ft", "lora", "dora", "adalora", "monteclora", "adapter"})
    void everyDecoderMethodTrainsInBf16(String method) throws Exception {
        Path folder = TinyDecoderFolder.write(dir.resolve(method), TinyLlama.SPEC, 3);
        Step f32 = methodStep(folder, method, false);
        Step bf16 = methodStep(folder, method, true);
        for (int i = 0; i < f32.grads().size(); i++) {
            double n32 = 0;
            double n16 = 0;
            for (float v : f32.grads().get(i)) n32 += v * v;
            for (float v : bf16.grads().get(i)) n16 += v * v;
            assertTrue(n32 == 0 || n16 > 0, method + ": no bf16 gradient reaches " + f32.names().get(i));
        }
        compare("decoder " + method + " (trial initialisation)", f32, bf16, false);
    }

    private static Step methodStep(Path folder, String method, boolean bf16) throws Exception {
        Engine engine = TinyTraining.engine(5);
        long[][] ids = DecoderParityTest.leftPad(DecoderParityTest.PROMPTS, 0);
        long[][] mask = DecoderParityTest.maskOf(DecoderParityTest.PROMPTS);
        try (NDManager m = engine.newBaseManager()) {
            CausalLm lm = new CausalLmBuilder(DecoderFolder.load(folder), m).build();
            TrialConfig trial = TinyTraining.trial(method);
            trial.lora.targetModules = TargetModules.DECODER_DEFAULT;
            trial.adapter.bottleneckSize = 8;
            trial.bf16 = bf16;
            AdaptationMethod adaptation = Methods.create(trial, m, 10);
            adaptation.apply(lm);
            List<Parameter> trainable = lm.allParameters().stream().filter(Parameter::trainable).toList();
            NDArray labels = m.create(ids);
            float loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                loss = lm.trainingStep(m.create(ids), m.create(mask), logits -> {
                    NDArray l = TokenNll.mean(logits, labels);
                    for (Map.Entry<String, NDArray> e : adaptation.extraLosses().entrySet()) l = l.add(e.getValue());
                    return l;
                }, gc, new ForwardContext(true, bf16)).getFloat();
            }
            return collect(loss, trainable);
        }
    }

    private static Step decoderStep(Path folder, boolean full, boolean bf16, boolean checkpointing) {
        Engine engine = EngineSetup.start(0);
        long[][] ids = DecoderParityTest.leftPad(DecoderParityTest.PROMPTS, 0);
        long[][] mask = DecoderParityTest.maskOf(DecoderParityTest.PROMPTS);
        long[][] labels = DecoderParityTest.labelsIgnoringPads(ids, mask);
        try (NDManager m = engine.newBaseManager()) {
            CausalLm lm = new CausalLmBuilder(DecoderFolder.load(folder), m).build();
            List<Parameter> trainable = full ? lm.baseParameters() : loraOn(lm.targetLinears(List.of("q_proj", "v_proj", "up_proj", "down_proj")), m);
            for (Parameter p : trainable) p.setTrainable(true);
            lm.setCheckpointing(checkpointing);
            NDArray labelArray = m.create(labels);
            float loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                loss = lm.trainingStep(m.create(ids), m.create(mask), logits -> TokenNll.mean(logits, labelArray), gc,
                        new ForwardContext(true, bf16)).getFloat();
            }
            return collect(loss, trainable);
        }
    }

    private static Step encoderStep(boolean full, boolean bf16) throws Exception {
        Engine engine = TinyTraining.engine(3);
        try (NDManager m = engine.newBaseManager()) {
            SequenceClassifier model = TinyTraining.model(m, 17);
            List<Parameter> trainable = new ArrayList<>(full ? model.allParameters()
                    : loraOn(model.targetLinears(List.of("query", "value", "intermediate")), m));
            if (!full) trainable.addAll(model.alwaysTrainedParameters());
            for (Parameter p : trainable) p.setTrainable(true);
            EncoderInput in = TinyTraining.batch(m, 23);
            // every example labelled 0: with the batch's alternating labels the near-uniform tiny model's
            // per-example gradients cancel to a small difference of large terms, which bf16 cannot resolve
            NDArray labels = m.zeros(new ai.djl.ndarray.types.Shape(TinyTraining.BATCH), ai.djl.ndarray.types.DataType.INT64);
            float loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray l = TinyTraining.crossEntropy(model.forward(in, new ForwardContext(true, bf16)), labels);
                loss = l.getFloat();
                gc.backward(l);
            }
            return collect(loss, trainable);
        }
    }

    /** LoRA r 4 on the linears, B drawn at random (B = 0 would give A no gradient), seed fixed so both runs match. */
    private static List<Parameter> loraOn(List<Linear> linears, NDManager m) {
        SplittableRandom rng = new SplittableRandom(3);
        List<Parameter> out = new ArrayList<>();
        for (Linear l : linears) {
            LoraAdapter a = LoraAdapter.create(l, 4, 8, false, 0.0, m, rng);
            float[] b = new float[(int) a.b().size()];
            for (int i = 0; i < b.length; i++) b[i] = (float) (rng.nextDouble() - 0.5) * 0.2f;
            a.b().array().set(b);
            l.setAdapter(a);
            out.addAll(a.parameters());
        }
        return out;
    }

    private static Step collect(float loss, List<Parameter> trainable) {
        List<String> names = new ArrayList<>();
        List<float[]> grads = new ArrayList<>();
        for (Parameter p : trainable) {
            names.add(p.name());
            grads.add(p.array().getGradient().toFloatArray());
        }
        return new Step(loss, names, grads);
    }

    /**
     * bf16 keeps 8 significant bits (relative rounding 2^-9 per multiply operand): the loss within 1e-2
     * relative and each tensor's gradient within 5e-2 of its norm; yet not equal to float32. A tensor
     * whose exact gradient is 0 (the attention key bias: softmax ignores a constant per row) has only
     * rounding noise in either run, so its error is measured against the largest tensor's norm.
     */
    private static void compare(String what, Step f32, Step bf16) {
        compare(what, f32, bf16, true);
    }

    private static void compare(String what, Step f32, Step bf16, boolean everyTensorHasAGradient) {
        double lossDiff = Math.abs(bf16.loss() - f32.loss()) / Math.abs(f32.loss());
        double largest = 0;
        for (float[] a : f32.grads()) {
            double n = 0;
            for (float v : a) n += (double) v * v;
            largest = Math.max(largest, n);
        }
        double worst = 0;
        String worstName = null;
        double sumSq = 0;
        double diffSq = 0;
        for (int i = 0; i < f32.grads().size(); i++) {
            float[] a = f32.grads().get(i);
            float[] b = bf16.grads().get(i);
            double n = 0;
            double d = 0;
            double nb = 0;
            for (int j = 0; j < a.length; j++) {
                n += (double) a[j] * a[j];
                nb += (double) b[j] * b[j];
                d += (double) (a[j] - b[j]) * (a[j] - b[j]);
            }
            assertTrue(nb > 0 || !everyTensorHasAGradient, what + ": no gradient reaches " + bf16.names().get(i) + " in bf16");
            double rel = Math.sqrt(d / Math.max(n, 1e-6 * largest + 1e-30));
            if (rel > worst) {
                worst = rel;
                worstName = f32.names().get(i);
            }
            sumSq += n;
            diffSq += d;
        }
        double overall = Math.sqrt(diffSq / sumSq);
        System.out.printf("%s: %d tensors, loss %.6f (fp32) %.6f (bf16), relative %.2e; gradients: all %.2e, worst %.2e (%s)%n",
                what, f32.grads().size(), f32.loss(), bf16.loss(), lossDiff, overall, worst, worstName);
        assertTrue(lossDiff < 1e-2, what + ": loss " + lossDiff);
        assertTrue(worst < 5e-2, what + ": gradient of " + worstName + " " + worst);
        // bf16 really ran: float32 rounding alone would leave differences near 1e-7
        assertTrue(lossDiff > 1e-5 || overall > 1e-4, what + ": bf16 equals float32 (loss " + lossDiff + ", gradients " + overall + ")");
        assertTrue(overall > 1e-4, what + ": gradients equal float32's: " + overall);
    }
}
