package dev.robustsweep.trainers.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.DropoutMasks;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.posthoc.McDropout;
import dev.robustsweep.trainers.posthoc.Predictions;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.train.ClassificationMetrics;
import dev.robustsweep.trainers.train.Evaluator;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.ModelFolder;
import dev.robustsweep.trainers.weights.SafetensorsFile;
import dev.robustsweep.trainers.weights.Tensor;
import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch oracle of the MC-dropout predictive (issue 11): {@link McDropout#predict} on a tiny random
 * BERT / RoBERTa folder with LoRA, every dropout on (hidden, attention, head, lora_dropout, each at its
 * own rate), against the plain-torch model of {@code oracle/peft_reference.py} run by
 * {@code oracle/posthoc/mc_dropout.py} on the SAME keep decisions: Java records every mask it draws
 * ({@link DropoutMasks}: kept or dropped, without the 1 / (1 - p) scaling, which the reference applies
 * itself, as torch's dropout does), the reference replays them site by site in forward order and averages
 * the S passes' softmax. Compared: the averaged probabilities (relative difference per element), and the
 * NLL and ECE computed from them. The reference also gives two wrong predictives (averaged logits; masks
 * not rescaled), and the test checks that both lie far outside the tolerance: it can tell them apart.
 */
class McDropoutOracleTest {
    static final int SAMPLES = 4;
    static final int EXAMPLES = 10;
    static final int BATCH = 4;
    static final double TOLERANCE = 1e-5;
    static final float HEAD_SPREAD = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    static TrialConfig trial() {
        TrialConfig t = new TrialConfig();
        t.trialId = "oracle-mc-dropout";
        t.method = "lora";
        t.seed = 17;
        // distinct rates: a mask replayed at the wrong site fails the reference's rate check
        t.hiddenDropoutProb = 0.2;
        t.attentionProbsDropoutProb = 0.3;
        t.classifierDropout = 0.5;
        t.lora.r = 4;
        t.lora.loraAlpha = 8;
        t.lora.loraDropout = 0.4;
        t.lora.targetModules = List.of("query", "value", "intermediate");
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bert", "roberta"})
    void averagedPredictiveMatchesTorchOnTheSameMasks(String type) throws Exception {
        PythonTorch.require();
        Engine engine = EngineSetup.start(0);
        Path folderDir = TinyModelFolder.write(dir.resolve("model"), type, 3);
        PeftOracleTest.spreadWeights(folderDir.resolve("model.safetensors"));
        ModelFolder folder = ModelFolder.load(folderDir);
        TrialConfig trial = trial();
        Path caseDir = Files.createDirectories(dir.resolve("case"));
        Predictions mc;
        Predictions deterministic;
        List<DropoutMasks.Mask> masks;
        int batches = (EXAMPLES + BATCH - 1) / BATCH;
        try (NDManager manager = NDManager.newBaseManager()) {
            SequenceClassifier model = new ClassifierBuilder(folder, manager)
                    .optNumLabels(2)
                    .optDropout(trial.hiddenDropoutProb, trial.attentionProbsDropoutProb, trial.classifierDropout)
                    .optSeed(trial.seed)
                    .build();
            Methods.create(trial, manager, 1).apply(model);
            // LoRA's B starts at 0 (PEFT): give it values, so the adapters and lora_dropout change the output;
            // the head's N(0, 0.02) weights, HEAD_SPREAD times larger, give logits of a few units (with
            // p ~ 1/2 the softmax is nearly linear and averaging logits or probabilities hardly differs)
            SplittableRandom rng = new SplittableRandom(3);
            for (Parameter p : model.allParameters()) {
                if (p.name().endsWith("lora_B.weight")) {
                    float[] b = new float[(int) p.size()];
                    for (int i = 0; i < b.length; i++) b[i] = (float) (0.3 * (rng.nextDouble() * 2 - 1));
                    p.array().set(b);
                } else if (p.name().startsWith("classifier.") && p.name().endsWith(".weight")) {
                    float[] w = p.array().toFloatArray();
                    for (int i = 0; i < w.length; i++) w[i] *= HEAD_SPREAD;
                    p.array().set(w);
                }
            }
            SafetensorsFile.write(caseDir.resolve("init.safetensors"), RecordingMethod.snapshot(model.allParameters(), ""));

            List<TokenizedExample> examples = examples(folder);
            Batcher batcher = new Batcher(folder.config());
            Map<String, Tensor> batchTensors = new LinkedHashMap<>();
            for (int b = 0; b < batches; b++) {
                List<TokenizedExample> batch = examples.subList(b * BATCH, Math.min(EXAMPLES, (b + 1) * BATCH));
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    EncoderInput in = batcher.input(batch, manager);
                    batchTensors.put(b + "/input_ids", RecordingMethod.tensor(in.inputIds().toType(DataType.FLOAT32, false)));
                    batchTensors.put(b + "/token_type_ids", RecordingMethod.tensor(in.tokenTypeIds().toType(DataType.FLOAT32, false)));
                    batchTensors.put(b + "/attention_mask", RecordingMethod.tensor(in.attentionMask()));
                    NDArray labels = Batcher.labels(batch, manager).toType(DataType.FLOAT32, false);
                    batchTensors.put(b + "/labels", RecordingMethod.tensor(labels));
                }
            }
            SafetensorsFile.write(caseDir.resolve("batches.safetensors"), batchTensors);

            Evaluator evaluator = new Evaluator(batcher, BATCH, 2);
            deterministic = evaluator.predict(model, examples, manager, ForwardContext.EVAL);
            try (DropoutMasks recorder = DropoutMasks.record()) {
                mc = McDropout.predict(model, evaluator, examples, manager, engine, trial.seed, SAMPLES, false);
                masks = recorder.masks();
            }
        }
        Map<String, Tensor> keep = new LinkedHashMap<>();
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            keep.put(String.valueOf(i), new Tensor(masks.get(i).shape(), FloatBuffer.wrap(masks.get(i).keep())));
            rates.add(masks.get(i).rate());
        }
        SafetensorsFile.write(caseDir.resolve("masks.safetensors"), keep);
        Files.writeString(caseDir.resolve("masks.json"), JSON.writeValueAsString(rates));
        ObjectNode spec = JSON.createObjectNode();
        spec.put("model_dir", folder.dir().toString());
        spec.put("method", trial.method);
        spec.set("lora", JSON.valueToTree(trial.lora));
        ObjectNode rate = spec.putObject("dropout");
        rate.put("hidden", trial.hiddenDropoutProb);
        rate.put("attention", trial.attentionProbsDropoutProb);
        rate.put("classifier", trial.classifierDropout);
        rate.put("lora", trial.lora.loraDropout);
        spec.put("samples", SAMPLES);
        spec.put("batches", batches);
        Files.writeString(caseDir.resolve("spec.json"), JSON.writeValueAsString(spec));

        Path script = dir.resolve("mc_dropout.py");
        copy("/oracle/posthoc/mc_dropout.py", script);
        copy("/oracle/peft_reference.py", dir.resolve("peft_reference.py"));
        JsonNode ref = JSON.readTree(PythonTorch.run(script, List.of(caseDir.toString()), dir, 300));

        // per pass: embeddings, per layer (q, v and intermediate LoRA inputs, attention probabilities,
        // attention output, FFN output), head (BERT: 1, RoBERTa: 2), for each of the batches
        int perPass = 1 + TinyModelFolder.LAYERS * 6 + ("roberta".equals(type) ? 2 : 1);
        assertEquals(SAMPLES * batches * perPass, masks.size(), "masks drawn");
        assertEquals(masks.size(), ref.get("masks").asInt(), "masks the reference replayed");

        double[] java = mc.probabilities();
        double worst = relativeDifference(java, ref.get("probs"));
        double logitAverage = relativeDifference(ref.get("probs_of_averaged_logits"), ref.get("probs"));
        double unscaled = relativeDifference(ref.get("probs_without_scaling"), ref.get("probs"));
        double dropoutEffect = relativeDifference(deterministic.probabilities(), ref.get("probs"));
        ClassificationMetrics metrics = ClassificationMetrics.compute(mc.logProbs(), mc.gold(), 2);
        System.out.printf("mc-dropout oracle %-7s %d masks: probabilities %.2e (averaged logits would be %.2e, "
                        + "no 1/(1-p) %.2e, dropout off %.2e); NLL %.6f vs %.6f, ECE %.6f vs %.6f%n",
                type, masks.size(), worst, logitAverage, unscaled, dropoutEffect,
                metrics.nll(), ref.get("nll").asDouble(), metrics.ece(), ref.get("ece").asDouble());
        // the comparison can tell the right predictive from the wrong ones
        assertTrue(logitAverage > 100 * TOLERANCE, "averaged logits too close to the average of probabilities: " + logitAverage);
        assertTrue(unscaled > 100 * TOLERANCE, "dropout without rescaling too close: " + unscaled);
        assertTrue(dropoutEffect > 100 * TOLERANCE, "dropout barely changes the predictive: " + dropoutEffect);

        assertTrue(worst <= TOLERANCE, type + ": averaged probabilities differ from torch's by " + worst);
        double nll = ref.get("nll").asDouble();
        assertEquals(nll, metrics.nll(), TOLERANCE * nll, "NLL of the averaged predictive");
        assertEquals(ref.get("ece").asDouble(), metrics.ece(), TOLERANCE, "ECE of the averaged predictive");
        for (int i = 0; i < EXAMPLES; i++) assertEquals(examples(folder).get(i).label(), mc.gold()[i], "gold order");
    }

    /** max_i |a_i - b_i| / b_i over probabilities. */
    static double relativeDifference(double[] a, JsonNode b) {
        assertEquals(b.size(), a.length, "sizes");
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b.get(i).asDouble()) / b.get(i).asDouble());
        return worst;
    }

    static double relativeDifference(JsonNode a, JsonNode b) {
        double[] x = new double[a.size()];
        for (int i = 0; i < x.length; i++) x[i] = a.get(i).asDouble();
        return relativeDifference(x, b);
    }

    /**
     * Ten examples of non-decreasing length 5..14 (the evaluator batches in length order, so its batches
     * are these in this order), the model type's special tokens, labels 0/1.
     */
    private static List<TokenizedExample> examples(ModelFolder folder) {
        boolean roberta = folder.config().isRoberta();
        SplittableRandom rng = new SplittableRandom(77);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < EXAMPLES; i++) {
            out.add(OracleInputs.sequence(roberta, 5 + i, rng, i % 3 == 0 ? 0 : 1));
        }
        return out;
    }

    private static void copy(String resource, Path to) throws Exception {
        try (InputStream in = McDropoutOracleTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " not on the test classpath");
            Files.copy(in, to);
        }
    }
}
