package dev.robustsweep.trainers.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.FullFineTuning;
import dev.robustsweep.trainers.adapters.lora.LoraMethod;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.LoraSettings;
import dev.robustsweep.trainers.weights.EmbeddedMiniLm;
import dev.robustsweep.trainers.weights.ModelFolder;

/** Where a training step's time goes: forward (eval / train mode), forward + backward. Diagnostic only. */
public final class StepProfile {
    public static void main(String[] args) {
        Engine engine = EngineSetup.start(0);
        ModelFolder folder = ModelFolder.load(EmbeddedMiniLm.folder());
        try (NDManager manager = engine.newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager).optNumLabels(2).build();
            String method = args.length > 0 ? args[0] : "full_ft";
            if (method.equals("lora")) new LoraMethod(new LoraSettings(), manager, 1).apply(model);
            else new FullFineTuning().apply(model);
            long[] ids = new long[32 * 128];
            for (int i = 0; i < ids.length; i++) ids[i] = 1000 + (i * 7919) % 20000;
            long[] pos = new long[32 * 128];
            for (int i = 0; i < pos.length; i++) pos[i] = i % 128;
            Shape s = new Shape(32, 128);
            EncoderInput in = new EncoderInput(manager.create(ids, s), manager.zeros(s, ai.djl.ndarray.types.DataType.INT64),
                    manager.create(pos, s), manager.ones(s));
            for (String mode : new String[] {"eval-forward", "train-forward", "train-forward-nodropout", "forward+backward", "forward+backward-nodropout"}) {
                double best = Double.MAX_VALUE;
                for (int r = 0; r < 3; r++) {
                    long t = System.nanoTime();
                    try (NDScope ignored = new NDScope()) {
                        boolean dropout = !mode.contains("nodropout");
                        ForwardContext ctx = mode.startsWith("eval") ? ForwardContext.EVAL : new ForwardContext(dropout, false);
                        if (mode.startsWith("forward+backward")) {
                            try (GradientCollector gc = engine.newGradientCollector()) {
                                NDArray out = model.forward(in, ctx).sum();
                                gc.backward(out);
                            }
                        } else {
                            model.forward(in, ctx).toFloatArray();
                        }
                    }
                    best = Math.min(best, (System.nanoTime() - t) / 1e9);
                }
                System.out.printf("%s %-28s %.3f s%n", method, mode, best);
            }
        }
    }
}
