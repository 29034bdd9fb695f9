package dev.robustsweep.trainers.adapters;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test harness: the tiny random 2-layer model, a fixed batch and a plain SGD step that follows the
 * trainer's contract (forward and extra losses inside the gradient collector, then the update,
 * then afterOptimizerStep, then zeroing the gradients).
 */
public final class TinyTraining {
    public static final int BATCH = 8;
    public static final int LENGTH = 12;

    private static ModelFolder folder;

    private TinyTraining() {}

    public static synchronized ModelFolder folder() throws IOException {
        if (folder == null) {
            Path dir = Files.createTempDirectory("tiny-bert");
            TinyModelFolder.write(dir, "bert", 7);
            folder = ModelFolder.load(dir);
            dir.toFile().deleteOnExit();
        }
        return folder;
    }

    public static Engine engine(long seed) {
        Engine engine = EngineSetup.start(0);
        EngineSetup.seed(engine, seed);
        return engine;
    }

    /** The tiny classifier with dropout off (deterministic forward) and the given head seed. */
    public static SequenceClassifier model(NDManager manager, long seed) throws IOException {
        return new ClassifierBuilder(folder(), manager).optDropout(0.0, 0.0, 0.0).optSeed(seed).build();
    }

    /** A trial with small ranks for the tiny model (hidden 32). */
    public static TrialConfig trial(String method) {
        TrialConfig t = new TrialConfig();
        t.trialId = "test-" + method;
        t.method = method;
        t.seed = 11;
        t.lora.r = 4;
        t.lora.loraAlpha = 8;
        t.adalora.initR = 6;
        t.adalora.targetR = 3;
        t.monteclora.mixtures = 4;
        // a larger sample scaler than the paper's so the test sees the noise
        t.monteclora.sampleScaler = 0.05;
        return t;
    }

    /** A fixed batch of random token ids (CLS first) and labels. */
    public static EncoderInput batch(NDManager manager, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] ids = new long[BATCH * LENGTH];
        long[] types = new long[BATCH * LENGTH];
        long[] positions = new long[BATCH * LENGTH];
        float[] mask = new float[BATCH * LENGTH];
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < LENGTH; j++) {
                int k = i * LENGTH + j;
                ids[k] = j == 0 ? 101 : 1000 + rng.nextInt(2000);
                types[k] = j < LENGTH / 2 ? 0 : 1;
                positions[k] = j;
                mask[k] = 1f;
            }
        }
        Shape s = new Shape(BATCH, LENGTH);
        return new EncoderInput(manager.create(ids, s), manager.create(types, s), manager.create(positions, s), manager.create(mask, s));
    }

    public static NDArray labels(NDManager manager) {
        long[] y = new long[BATCH];
        for (int i = 0; i < BATCH; i++) y[i] = i % 2;
        return manager.create(y);
    }

    /** Mean cross-entropy of logits [B, C] against int64 labels [B]. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray oneHot = labels.oneHot((int) logits.getShape().get(1));
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /** Evaluation loss of the batch (no sampling, no dropout). */
    public static double evalLoss(SequenceClassifier model, EncoderInput in, NDArray labels) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return crossEntropy(model.forward(in, ForwardContext.EVAL), labels).getFloat();
        }
    }

    /** One SGD step on task loss + extra losses; returns the total loss. */
    public static double sgdStep(SequenceClassifier model, AdaptationMethod method, EncoderInput in, NDArray labels,
                                 double lr, int step, int totalSteps) {
        double total;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = crossEntropy(model.forward(in, ForwardContext.TRAIN), labels);
                for (Map.Entry<String, NDArray> extra : method.extraLosses().entrySet()) loss = loss.add(extra.getValue());
                gc.backward(loss);
                total = loss.getFloat();
            }
            for (Parameter p : model.allParameters()) {
                if (!p.trainable()) continue;
                NDArray g = p.array().getGradient();
                p.array().subi(g.mul(lr));
                g.close();
            }
            method.afterOptimizerStep(step, totalSteps);
            for (Parameter p : model.allParameters()) {
                if (p.trainable()) JniUtils.zeroGrad((PtNDArray) p.array());
            }
        }
        return total;
    }
}
