package dev.robustsweep.trainers.posthoc.laplace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.posthoc.Predictions;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batched probe path of {@link LaplaceLora#predict} (per-token output gradients x inputs, rotated
 * as tensors) against the LoRA weights' own autograd gradients d f_c / d theta, one example and class
 * at a time, fed to the Java {@link KronLaplace} (checked against closed forms elsewhere).
 */
class LaplaceLoraJacobianTest {
    @TempDir Path dir;

    /** The accumulated gradient, zeros before the first backward pass. */
    private static float[] gradient(Parameter p) {
        try {
            return p.array().getGradient().toFloatArray();
        } catch (RuntimeException none) {
            return new float[(int) p.size()];
        }
    }

    @Test
    void probePredictiveEqualsAutogradJacobiansThroughTheKfacPosterior() throws Exception {
        Path model = TinyModelFolder.write(dir.resolve("tiny"), "bert", 11);
        TrialConfig t = new TrialConfig();
        t.method = "lora";
        t.task = new TaskSpec();
        t.task.name = "mrpc";
        ModelFolder folder = ModelFolder.load(model);
        List<TokenizedExample> examples;
        try (TextEncoder text = new TextEncoder(folder.tokenizerJson(), 24)) {
            examples = text.encodeAll(TaskLoader.load(t.task, Path.of("..", "data")).train().subList(0, 20));
        }
        List<TokenizedExample> train = examples.subList(0, 16);
        List<TokenizedExample> test = examples.subList(16, 20);
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager()) {
            SequenceClassifier m = new ClassifierBuilder(folder, manager).optSeed(5).build();
            Methods.create(t, manager, 10).apply(m);
            for (var layer : m.encoder().layers()) {
                for (var l : layer.targetLinears().values()) {
                    if (l.adapter() != null) {
                        NDArray b = l.adapter().parameters().get(1).array();
                        b.set(manager.randomNormal(0, 0.2f, b.getShape(), b.getDataType()).toFloatArray());
                    }
                }
            }
            Batcher batcher = new Batcher(folder.config());
            for (boolean lastLayer : new boolean[] {true, false}) {
                LaplaceLora la = new LaplaceLora(m, lastLayer);
                la.fit(train, batcher, manager, 8, 2, false, 0.3);
                Predictions probe = la.predict(test, batcher, manager, 4, 2, false, "probit", 1, 1);

                Map<String, Parameter> byName = new HashMap<>();
                for (Parameter p : m.allParameters()) byName.put(p.name(), p);
                List<KroneckerBlock> blocks = la.laplace().blocks();
                for (int i = 0; i < test.size(); i++) {
                    double[][][] jac = new double[2][blocks.size()][];
                    double[] f = new double[2];
                    for (int c = 0; c < 2; c++) {
                        try (NDScope ignored = new NDScope()) {
                            Map<String, float[]> before = new HashMap<>();
                            for (KroneckerBlock b : blocks) {
                                before.put(b.name(), gradient(byName.get(b.name() + ".weight")));
                            }
                            NDArray logits;
                            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                                logits = m.forward(batcher.input(List.of(test.get(i)), manager), ForwardContext.EVAL);
                                gc.backward(logits.get(":, " + c).sum());
                            }
                            f[c] = logits.toFloatArray()[c];
                            for (int k = 0; k < blocks.size(); k++) {
                                float[] after = gradient(byName.get(blocks.get(k).name() + ".weight"));
                                float[] prev = before.get(blocks.get(k).name());
                                double[] j = new double[after.length];
                                for (int e = 0; e < j.length; e++) j[e] = after[e] - prev[e];
                                jac[c][k] = j;
                            }
                        }
                    }
                    double[] expected = KronLaplace.probit(f, la.laplace().functionalVariance(jac));
                    for (int c = 0; c < 2; c++) {
                        assertEquals(expected[c], Math.exp(probe.logProbs()[i * 2 + c]), 2e-4,
                                (lastLayer ? "llla" : "laplace_lora") + " example " + i + " class " + c);
                    }
                }
            }
        }
    }
}
