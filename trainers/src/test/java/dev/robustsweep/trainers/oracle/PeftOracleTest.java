package dev.robustsweep.trainers.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.train.Evaluator;
import dev.robustsweep.trainers.train.Trainer;
import dev.robustsweep.trainers.train.TrainingListener;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.SafetensorsFile;
import dev.robustsweep.trainers.weights.Tensor;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PyTorch oracle (issue 9, item 6): every method on tiny random BERT and RoBERTa folders agrees
 * with an independent plain-torch reference written after Hugging Face transformers and PEFT
 * ({@code oracle/peft_reference.py}).
 *
 * <p>Java runs the trainer's own {@link Trainer#step} twice (dropout off, weight decay on, gradient
 * clipping active, linear schedule) and records the loss and its extra terms, the gradient of every
 * trainable tensor as the after-step hook sees it (after clipping), the parameters after each step
 * (after AdaLoRA's update_and_allocate) and the evaluation logits with the adapters folded in (the
 * evaluator's path) and merged (the export path). The reference starts from the folder's pretrained
 * weights plus Java's draws of the new tensors (head, adapters), replays MonteCLoRA's sampling noise,
 * and computes the same quantities with torch autograd, clip_grad_norm_, torch.optim.AdamW and PEFT's
 * merge. It also decides the trainable set (PEFT, SEQ_CLS) and the weight-decay set (HF Trainer).
 *
 * <p>Metric, per tensor: max |java - reference| / max |reference|, the "max-normalised difference",
 * with the denominator floored at 1e-4 of the largest reference value of the same quantity and step
 * ({@link #maxNormalisedDifference}); every tensor must be within {@link #TOLERANCE}. The worst per
 * case and per quantity is printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeftOracleTest {
    static final double TOLERANCE = 1e-5;
    /**
     * Gradients that are 0 in exact arithmetic: the key bias (softmax ignores a constant added to one
     * query's scores). They hold rounding noise only and are compared against their group's largest value.
     */
    static final java.util.regex.Pattern ZERO_GRADIENT = java.util.regex.Pattern.compile("grad/\\d+/encoder\\.layer\\.\\d+\\.attention\\.self\\.key\\.bias");
    /** Relative floor of the metric's denominator (see {@link #maxNormalisedDifference}). */
    static final double FLOOR = 1e-4;
    /** Optimizer steps run; the schedule and AdaLoRA's budget see a trial of TOTAL_STEPS. */
    static final int STEPS = 2;
    static final int TOTAL_STEPS = 3;
    static final List<String> MODEL_TYPES = List.of("bert", "roberta");
    static final List<String> METHODS = List.of("full_ft", "lora", "dora", "adalora", "monteclora");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path root;
    private final Map<String, Map<String, Tensor>> javaResults = new LinkedHashMap<>();
    private final Map<String, JsonNode> javaInfo = new LinkedHashMap<>();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String type : MODEL_TYPES) for (String method : METHODS) out.add(Arguments.of(type, method));
        return out.stream();
    }

    /** A trial with every feature the comparison should see switched on, dropout off. */
    static TrialConfig trial(String method) {
        TrialConfig t = new TrialConfig();
        t.trialId = "oracle-" + method;
        t.method = method;
        t.seed = 11;
        t.learningRate = 1e-2;
        t.weightDecay = 0.1;
        t.maxGradNorm = 0.005;
        t.adamEpsilon = 1e-4;
        t.warmupSteps = 0;
        t.warmupRatio = 0;
        t.lrSchedulerType = "linear";
        t.hiddenDropoutProb = 0.0;
        t.attentionProbsDropoutProb = 0.0;
        t.classifierDropout = 0.0;
        t.lora.r = 4;
        t.lora.loraAlpha = 8;
        t.lora.loraDropout = 0.0;
        // rsLoRA's scaling lora_alpha / sqrt(r) in the DoRA case; alpha / r elsewhere
        t.lora.useRslora = "dora".equals(method);
        // square (query, value) and rectangular (intermediate 32 -> 64, output 64 -> 32) layers
        t.lora.targetModules = List.of("query", "value", "intermediate", "output");
        t.adalora.initR = 6;
        t.adalora.targetR = 3;
        // step 1 masks to the cubic schedule's budget, step 2 = T - tfinal fixes the final pattern
        t.adalora.tinit = 0;
        t.adalora.tfinal = 1;
        t.adalora.deltaT = 1;
        t.monteclora.mixtures = 4;
        t.monteclora.sampleScaler = 0.05;
        t.monteclora.klWeight = 0.1;
        t.monteclora.dirichletInit = "random";
        return t;
    }

    @BeforeAll
    void runJavaAndReference() throws Exception {
        PythonTorch.require(); // skips here (or fails under CI) before any work when torch is missing
        root = Files.createTempDirectory("peft-oracle");
        Engine engine = EngineSetup.start(0);
        List<String> caseDirs = new ArrayList<>();
        for (String type : MODEL_TYPES) {
            Path folderDir = TinyModelFolder.write(root.resolve("model-" + type), type, 3);
            spreadWeights(folderDir.resolve("model.safetensors"));
            ModelFolder folder = ModelFolder.load(folderDir);
            for (String method : METHODS) {
                Path dir = Files.createDirectories(root.resolve(type + "-" + method));
                EngineSetup.seed(engine, 5);
                runJava(folder, trial(method), dir);
                caseDirs.add(dir.toString());
            }
        }
        Path script = root.resolve("peft_reference.py");
        try (InputStream in = PeftOracleTest.class.getResourceAsStream("/oracle/peft_reference.py")) {
            assertNotNull(in, "oracle/peft_reference.py not on the test classpath");
            Files.copy(in, script);
        }
        System.out.print(PythonTorch.run(script, caseDirs, root, 300));
    }

    /** Scale of the tiny folder's dense weights (N(0, 0.02) as written) in the oracle's model. */
    static final float WEIGHT_SPREAD = 8;

    /**
     * Multiplies the encoder's and the pooler's dense weights by {@link #WEIGHT_SPREAD} (std 0.16). With
     * std 0.02 a random 2-layer model maps every sentence to nearly the same [CLS] vector, so the batch's
     * gradients are differences of near-equal numbers and float32 rounding alone moves them by ~2e-5
     * relative (torch's own float32 result differs that much from float64); spread weights make the
     * sentences distinct and the comparison well-conditioned.
     */
    static void spreadWeights(Path file) throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : SafetensorsFile.read(file).entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if ((name.contains(".encoder.layer.") || name.contains(".pooler.")) && name.endsWith(".weight") && !name.contains("LayerNorm")) {
                float[] data = new float[(int) t.size()];
                t.data().duplicate().rewind().get(data);
                for (int i = 0; i < data.length; i++) data[i] *= WEIGHT_SPREAD;
                t = new Tensor(t.shape(), FloatBuffer.wrap(data));
            } else {
                float[] data = new float[(int) t.size()];
                t.data().duplicate().rewind().get(data);
                t = new Tensor(t.shape(), FloatBuffer.wrap(data));
            }
            weights.put(name, t);
        }
        SafetensorsFile.write(file, weights);
    }

    /** Removes the exchange folder, unless ROBUSTSWEEP_ORACLE_KEEP=1 (then Java's results are kept there for debugging). */
    @AfterAll
    void cleanUp() throws IOException {
        if (root == null) return;
        if ("1".equals(System.getenv("ROBUSTSWEEP_ORACLE_KEEP"))) {
            for (Map.Entry<String, Map<String, Tensor>> e : javaResults.entrySet()) {
                SafetensorsFile.write(root.resolve(e.getKey()).resolve("java.safetensors"), e.getValue());
            }
            System.out.println("oracle exchange folder kept: " + root);
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The trainer's steps on the tiny model; everything the reference needs and Java's results go to {@code dir}. */
    private void runJava(ModelFolder folder, TrialConfig trial, Path dir) throws IOException {
        Map<String, Tensor> results = new LinkedHashMap<>();
        ObjectNode info = JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager)
                    .optNumLabels(2)
                    .optDropout(trial.hiddenDropoutProb, trial.attentionProbsDropoutProb, trial.classifierDropout)
                    .optSeed(trial.seed)
                    .build();
            RecordingMethod method = new RecordingMethod(Methods.create(trial, manager, TOTAL_STEPS), model);
            method.apply(model);
            SafetensorsFile.write(dir.resolve("init.safetensors"), RecordingMethod.snapshot(model.allParameters(), ""));
            var trainable = info.putArray("trainable");
            var decay = info.putArray("decay");
            for (Parameter p : model.allParameters()) {
                if (!p.trainable()) continue;
                trainable.add(p.name());
                if (p.decay()) decay.add(p.name());
            }

            Batcher batcher = new Batcher(folder.config());
            Map<String, Tensor> batches = new LinkedHashMap<>();
            List<List<TokenizedExample>> steps = new ArrayList<>();
            for (int s = 1; s <= STEPS; s++) {
                steps.add(examples(folder, 100 + s));
                batches.putAll(batchTensors(batcher, steps.get(s - 1), manager, s + "/"));
            }
            List<TokenizedExample> eval = examples(folder, 999);
            batches.putAll(batchTensors(batcher, eval, manager, "eval/"));
            SafetensorsFile.write(dir.resolve("batches.safetensors"), batches);

            Trainer trainer = new Trainer(trial, model, method, batcher, new Evaluator(batcher, 8, 2), manager, new TrainingListener() {});
            trainer.prepare(TOTAL_STEPS);
            for (int s = 1; s <= STEPS; s++) {
                method.step = s;
                Trainer.StepResult r = trainer.step(steps.get(s - 1));
                assertTrue(r.finite(), "step " + s + " not finite");
                results.put("loss/" + s, scalar(r.loss()));
                for (Map.Entry<String, Double> e : r.extraLosses().entrySet()) results.put("extra/" + s + "/" + e.getKey(), scalar(e.getValue()));
                List<Parameter> trained = new ArrayList<>();
                for (Parameter p : model.allParameters()) if (p.trainable()) trained.add(p);
                results.putAll(RecordingMethod.snapshot(trained, "param/" + s + "/"));
            }
            results.putAll(method.gradients);
            if (!method.noise.isEmpty()) SafetensorsFile.write(dir.resolve("noise.safetensors"), method.noise);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                EncoderInput in = batcher.input(eval, manager);
                // the evaluator's path: adapters folded into weight copies
                model.beginEvaluation();
                try {
                    results.put("logits/evaluation", RecordingMethod.tensor(model.forward(in, ForwardContext.EVAL)));
                } finally {
                    model.endEvaluation();
                }
                // the export path: adapters merged into the weights
                model.mergeAdapters();
                results.put("logits/merged", RecordingMethod.tensor(model.forward(in, ForwardContext.EVAL)));
            }
        }
        String key = dir.getFileName().toString();
        javaResults.put(key, results);
        javaInfo.put(key, info);
        Files.writeString(dir.resolve("spec.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec(folder, trial)));
    }

    private static ObjectNode spec(ModelFolder folder, TrialConfig trial) {
        ObjectNode s = JSON.createObjectNode();
        s.put("model_dir", folder.dir().toString());
        s.put("method", trial.method);
        s.put("steps", STEPS);
        s.put("total_steps", TOTAL_STEPS);
        s.set("lora", JSON.valueToTree(trial.lora));
        s.set("adalora", JSON.valueToTree(trial.adalora));
        s.set("monteclora", JSON.valueToTree(trial.monteclora));
        ObjectNode o = s.putObject("optimizer");
        o.put("learning_rate", trial.learningRate);
        o.put("weight_decay", trial.weightDecay);
        o.put("max_grad_norm", trial.maxGradNorm);
        o.put("adam_beta1", trial.adamBeta1);
        o.put("adam_beta2", trial.adamBeta2);
        o.put("adam_epsilon", trial.adamEpsilon);
        o.put("warmup_steps", trial.warmupSteps);
        return s;
    }

    /** Six examples of lengths 5..12 (so the batch pads), special tokens of the model type, labels 0/1 (unbalanced). */
    private static List<TokenizedExample> examples(ModelFolder folder, long seed) {
        boolean roberta = folder.config().isRoberta();
        SplittableRandom rng = new SplittableRandom(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // 4 of 6 labels 1: with balanced labels and p ~ 1/2 the bias gradient sum_i (p_i - y_i) cancels to rounding
            out.add(OracleInputs.sequence(roberta, 5 + rng.nextInt(8), rng, i % 3 == 0 ? 0 : 1));
        }
        return out;
    }

    private static Map<String, Tensor> batchTensors(Batcher batcher, List<TokenizedExample> batch, NDManager manager, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            EncoderInput in = batcher.input(batch, manager);
            out.put(prefix + "input_ids", RecordingMethod.tensor(in.inputIds().toType(ai.djl.ndarray.types.DataType.FLOAT32, false)));
            out.put(prefix + "token_type_ids", RecordingMethod.tensor(in.tokenTypeIds().toType(ai.djl.ndarray.types.DataType.FLOAT32, false)));
            out.put(prefix + "attention_mask", RecordingMethod.tensor(in.attentionMask()));
            NDArray labels = Batcher.labels(batch, manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            out.put(prefix + "labels", RecordingMethod.tensor(labels));
        }
        return out;
    }

    private static Tensor scalar(double v) {
        return new Tensor(new long[] {1}, FloatBuffer.wrap(new float[] {(float) v}));
    }

    /**
     * The max-normalised difference of one tensor: max |a - b| / max(max |b|, FLOOR x groupMax), 0 when
     * a equals b. groupMax is the largest |reference| value among the tensors of the same quantity and
     * step (e.g. every step-1 gradient), so a tensor that is 0 in exact arithmetic (BERT's key bias gets
     * no gradient: softmax ignores a per-query constant) is compared at that scale, not at its rounding noise.
     */
    static double maxNormalisedDifference(Tensor a, Tensor b, double groupMax) {
        FloatBuffer x = a.data().duplicate().rewind();
        FloatBuffer y = b.data().duplicate().rewind();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < y.limit(); i++) {
            diff = Math.max(diff, Math.abs((double) x.get(i) - y.get(i)));
            scale = Math.max(scale, Math.abs((double) y.get(i)));
        }
        if (Double.isNaN(diff)) return Double.POSITIVE_INFINITY;
        return diff == 0 ? 0 : diff / Math.max(Math.max(scale, FLOOR * groupMax), Double.MIN_NORMAL);
    }

    /** The group of a result: "grad/1/x" -> "grad/1", "logits/merged" -> "logits". */
    static String group(String name) {
        int first = name.indexOf('/');
        int second = name.indexOf('/', first + 1);
        return name.startsWith("logits/") ? "logits" : second < 0 ? name : name.substring(0, second);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void agreesWithPyTorchReference(String modelType, String method) throws IOException {
        String key = modelType + "-" + method;
        Path dir = root.resolve(key);
        JsonNode ref = JSON.readTree(dir.resolve("reference.json").toFile());
        JsonNode java = javaInfo.get(key);
        assertEquals(names(ref.get("trainable")), names(java.get("trainable")),
                key + ": trainable tensors differ from PEFT's (reference) set");
        assertEquals(names(ref.get("decay")), names(java.get("decay")),
                key + ": weight-decay tensors differ from Hugging Face Trainer's (reference) set");

        Map<String, Tensor> expected = SafetensorsFile.read(dir.resolve("reference.safetensors"));
        Map<String, Tensor> actual = javaResults.get(key);
        assertTrue(expected.get("clip_coef/1").data().get(0) < 1, key + ": clipping was not exercised (raise max_grad_norm's effect)");
        Map<String, Double> groupMax = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            FloatBuffer y = e.getValue().data().duplicate().rewind();
            double m = 0;
            for (int i = 0; i < y.limit(); i++) m = Math.max(m, Math.abs(y.get(i)));
            groupMax.merge(group(e.getKey()), m, Math::max);
        }
        Map<String, Double> worstByKind = new LinkedHashMap<>();
        Map<String, String> worstName = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, Tensor> e : actual.entrySet()) {
            String name = e.getKey();
            String refName = name.equals("logits/evaluation") ? "logits/merged" : name;
            Tensor want = expected.get(refName);
            if (want == null) {
                failures.add(name + ": Java has it, the reference does not");
                continue;
            }
            assertEquals(want.size(), e.getValue().size(), key + " " + name + ": size");
            double gm = groupMax.get(group(refName));
            // gradients that are 0 in exact arithmetic are measured against their group's largest value
            double d = ZERO_GRADIENT.matcher(name).matches() ? maxNormalisedDifference(e.getValue(), want, gm / FLOOR) : maxNormalisedDifference(e.getValue(), want, gm);
            compared++;
            String kind = name.substring(0, name.indexOf('/'));
            if (d >= worstByKind.getOrDefault(kind, -1.0)) {
                worstByKind.put(kind, d);
                worstName.put(kind, name);
            }
            if (!(d <= TOLERANCE)) failures.add(String.format("%s: %.3e", name, d));
        }
        for (String name : expected.keySet()) {
            if ((name.startsWith("grad/") || name.startsWith("param/") || name.startsWith("extra/")) && !actual.containsKey(name)) {
                failures.add(name + ": the reference has it, Java does not");
            }
        }
        double worst = worstByKind.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder line = new StringBuilder(String.format("oracle %-7s %-10s worst %.2e over %d tensors;", modelType, method, worst, compared));
        for (String kind : worstByKind.keySet()) line.append(String.format(" %s %.1e (%s)", kind, worstByKind.get(kind), worstName.get(kind)));
        System.out.println(line);
        if (method.equals("adalora")) {
            assertTrue(ref.get("rank_pattern").toString().contains("false"), key + ": AdaLoRA masked nothing: the check would not see masking");
        }
        if (!failures.isEmpty()) {
            failures.sort(Comparator.naturalOrder());
            fail(key + ": " + failures.size() + " tensors beyond " + TOLERANCE + " (max-normalised difference):\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(40, failures.size()))));
        }
        assertFalse(compared == 0, key + ": nothing compared");
    }

    private static TreeSet<String> names(JsonNode array) {
        TreeSet<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
