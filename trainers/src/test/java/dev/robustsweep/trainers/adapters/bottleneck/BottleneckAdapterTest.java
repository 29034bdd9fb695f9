package dev.robustsweep.trainers.adapters.bottleneck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.adapters.TinyTraining;
import dev.robustsweep.trainers.adapters.bottleneck.BottleneckAdapter.Placement;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Linear;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.trial.AdapterSettings;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** LLM-Adapters' bottleneck adapter: the three placements against closed forms, and the method on the tiny encoder. */
class BottleneckAdapterTest {
    // W0 [2, 3], b [2], x [1, 3]; D and U chosen per placement; s = 0.5; tanh
    static final double[][] W = {{0.5, -1.0, 0.25}, {1.5, 0.75, -0.5}};
    static final double[] B = {0.1, -0.2};
    static final double[] X = {1.0, -2.0, 0.5};
    static final double S = 0.5;

    static double[] linear(double[][] w, double[] b, double[] x) {
        double[] y = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            y[i] = b == null ? 0 : b[i];
            for (int j = 0; j < x.length; j++) y[i] += w[i][j] * x[j];
        }
        return y;
    }

    /** s * U tanh(D v), in doubles. */
    static double[] bottleneck(double[][] d, double[][] u, double[] v) {
        double[] h = linear(d, null, v);
        for (int i = 0; i < h.length; i++) h[i] = Math.tanh(h[i]);
        double[] y = linear(u, null, h);
        for (int i = 0; i < y.length; i++) y[i] *= S;
        return y;
    }

    static double[] add(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) c[i] += b[i];
        return c;
    }

    static float[] flat(double[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[0].length; j++) f[i * m[0].length + j] = (float) m[i][j];
        return f;
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void placementsMatchTheirClosedForms(Placement placement) {
        Engine engine = TinyTraining.engine(1);
        try (NDManager m = engine.newBaseManager()) {
            int n = placement == Placement.OUTPUT ? 2 : 3;
            int out = placement == Placement.INPUT ? 3 : 2;
            double[][] d = new double[2][n];
            double[][] u = new double[out][2];
            for (int i = 0; i < 2; i++) for (int j = 0; j < n; j++) d[i][j] = 0.3 * (i + 1) - 0.2 * j;
            for (int i = 0; i < out; i++) for (int j = 0; j < 2; j++) u[i][j] = 0.4 - 0.25 * i + 0.5 * j;
            Linear base = new Linear("layer", new Parameter("layer.weight", m.create(flat(W), new Shape(2, 3)), false),
                    new Parameter("layer.bias", m.create(new float[] {(float) B[0], (float) B[1]}), false));
            BottleneckAdapter adapter = new BottleneckAdapter(placement,
                    new Parameter("down", m.create(flat(d), new Shape(2, n)), true),
                    new Parameter("up", m.create(flat(u), new Shape(out, 2)), true), "tanh", 0.0, S);
            base.setAdapter(adapter);
            double[] expected = switch (placement) {
                case INPUT -> linear(W, B, add(X, bottleneck(d, u, X)));          // mh_adapter
                case OUTPUT -> {                                                   // output_adapter
                    double[] h = linear(W, B, X);
                    yield add(h, bottleneck(d, u, h));
                }
                case PARALLEL -> add(linear(W, B, X), bottleneck(d, u, X));        // parallel_adapter
            };
            NDArray x = m.create(new float[] {(float) X[0], (float) X[1], (float) X[2]}, new Shape(1, 3));
            for (ForwardContext ctx : List.of(ForwardContext.TRAIN, ForwardContext.EVAL)) {
                base.beginEvaluation();
                float[] y = base.forward(x, ctx).toFloatArray();
                base.endEvaluation();
                for (int i = 0; i < 2; i++) assertEquals(expected[i], y[i], 1e-6, placement + " output " + i);
            }
            assertThrows(IllegalStateException.class, base::merge);
        }
    }

    @Test
    void placementFollowsLlmAdaptersLlamaMapping() {
        assertEquals(Placement.INPUT, BottleneckMethod.placement(false, "gate_proj"));
        assertEquals(Placement.INPUT, BottleneckMethod.placement(false, "up_proj"));
        assertEquals(Placement.OUTPUT, BottleneckMethod.placement(false, "down_proj"));
        assertEquals(Placement.OUTPUT, BottleneckMethod.placement(false, "q_proj"));
        assertEquals(Placement.PARALLEL, BottleneckMethod.placement(true, "down_proj"));
    }

    @Test
    void defaultTargetsAreLlmAdaptersMappings() throws Exception {
        Engine engine = TinyTraining.engine(1);
        try (NDManager manager = engine.newBaseManager()) {
            SequenceClassifier encoder = TinyTraining.model(manager, 1);
            AdapterSettings s = new AdapterSettings();
            assertEquals(List.of("attention_output", "output"), BottleneckMethod.targets(s, encoder));
            s.useParallelAdapter = true;
            assertEquals(List.of("query", "key", "value"), BottleneckMethod.targets(s, encoder));
            s.targetModules = List.of("value");
            assertEquals(List.of("value"), BottleneckMethod.targets(s, encoder));
            s.targetModules = List.of("down_proj");
            BottleneckMethod method = new BottleneckMethod(s, manager, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> method.apply(encoder));
            assertTrue(e.getMessage().contains("'down_proj' is not a module"), e.getMessage());
        }
    }

    @Test
    void trainsOnTheTinyEncoderWithOnlyAdaptersAndClassifier() throws Exception {
        Engine engine = TinyTraining.engine(5);
        try (NDManager manager = engine.newBaseManager()) {
            TrialConfig trial = TinyTraining.trial("adapter");
            trial.adapter.bottleneckSize = 8;
            EncoderInput in = TinyTraining.batch(manager, 3);
            NDArray labels = TinyTraining.labels(manager);
            SequenceClassifier model = TinyTraining.model(manager, trial.seed);
            AdaptationMethod method = Methods.create(trial, manager, 5);
            assertEquals("adapter", method.name());
            method.apply(model);

            // series on attention_output and output: down [8, H] and up [H, 8] each, 2 per layer, plus RoBERTa/BERT classifier
            int h = TinyModelFolder.HIDDEN;
            long head = 2L * h + 2;
            long trainable = 0;
            for (Parameter p : model.allParameters()) if (p.trainable()) trainable += p.size();
            assertEquals(TinyModelFolder.LAYERS * 2L * (2L * 8 * h) + head, trainable);

            // "bert" init: D and U ~ N(0, 0.02), so the adapter does not start at the base model; std checks the init
            double sumSq = 0;
            long count = 0;
            for (BottleneckAdapter a : ((BottleneckMethod) method).adapters()) {
                for (float v : a.up().array().toFloatArray()) {
                    sumSq += v * v;
                    count++;
                }
            }
            assertEquals(0.02, Math.sqrt(sumSq / count), 0.002, "std of U");

            // no dropout: the training and evaluation forwards agree (evaluation does not merge)
            float[] train = model.forward(in, ForwardContext.TRAIN).toFloatArray();
            model.beginEvaluation();
            float[] eval = model.forward(in, ForwardContext.EVAL).toFloatArray();
            model.endEvaluation();
            assertArrayEquals(train, eval, 1e-6f);

            Map<String, float[]> frozen = new LinkedHashMap<>();
            for (Parameter p : model.allParameters()) if (!p.trainable()) frozen.put(p.name(), p.array().toFloatArray());
            double before = TinyTraining.evalLoss(model, in, labels);
            for (int step = 1; step <= 5; step++) TinyTraining.sgdStep(model, method, in, labels, 0.05, step, 5);
            double after = TinyTraining.evalLoss(model, in, labels);
            assertTrue(after < before, "loss " + before + " -> " + after);
            for (Parameter p : model.allParameters()) {
                if (frozen.containsKey(p.name())) assertArrayEquals(frozen.get(p.name()), p.array().toFloatArray(), p.name() + " changed");
            }
            @SuppressWarnings("unchecked")
            Map<String, String> placements = (Map<String, String>) method.state().get("placements");
            assertEquals(TinyModelFolder.LAYERS * 2, placements.size());
            assertTrue(placements.values().stream().allMatch("output"::equals));
        }
    }

    @Test
    void trialValidationNamesTheKey() {
        TrialConfig t = TinyTraining.trial("adapter");
        t.task = new dev.robustsweep.trainers.trial.TaskSpec();
        t.task.name = "mrpc";
        assertEquals(List.of(), t.validate());
        t.adapter.bottleneckSize = 0;
        t.adapter.nonLinearity = "swishy";
        t.adapter.initWeights = "xavier";
        t.adapter.targetModules = List.of("q_proj", "nope");
        List<String> errors = t.validate();
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("adapter.bottleneck_size:")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("adapter.non_linearity:")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("adapter.init_weights:")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("adapter.target_modules: unknown module 'nope'")), errors.toString());
        assertEquals(4, errors.size(), errors.toString());
    }
}
