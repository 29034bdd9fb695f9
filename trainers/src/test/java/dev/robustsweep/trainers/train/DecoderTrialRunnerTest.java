package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.trainers.trial.TargetModules;
import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.TinyLlama;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoder trials end to end on tiny-llama and the shipped commonsense slices. */
class DecoderTrialRunnerTest {
    static TrialConfig trial(String method) {
        TrialConfig t = new TrialConfig();
        t.trialId = "cs-" + method;
        t.model = TinyLlama.ID;
        t.task = new TaskSpec();
        t.task.name = "commonsense";
        t.task.trainMix = new LinkedHashMap<>(Map.of("cs-boolq", 6));
        t.task.trainMix.put("cs-arc-e", 6);
        t.task.evalTasks = List.of("cs-boolq", "cs-arc-e");
        t.dataDir = Path.of("..", "data").toString();
        t.method = method;
        t.learningRate = 1e-3;
        t.batchSize = 4;
        t.decoder.microBatchSize = 2;
        t.epochs = 1;
        t.maxSeqLength = 512; // byte-level tokenizer: one token per byte
        t.maxEvalSamples = 3;
        t.evalBatchSize = 3;
        t.decoder.maxNewTokens = 6;
        t.lora.targetModules = TargetModules.DECODER_DEFAULT;
        return t;
    }

    /** bf16: true end to end (training in bf16 autocast, memory estimate with its bf16 copies): a finite loss curve unlike float32's. */
    @Test
    @SuppressWarnings("unchecked")
    void bf16TrialCompletesWithItsOwnLossCurveAndALargerMemoryEstimate() {
        TrialConfig t = trial("lora");
        t.bf16 = true;
        TrialResult r = DecoderTrialRunner.run(t, new TrainingListener() {});
        assertEquals("completed", r.status(), String.valueOf(r.asMap().get("reason")));
        TrialResult f = DecoderTrialRunner.run(trial("lora"), new TrainingListener() {});
        List<double[]> c16 = (List<double[]>) r.asMap().get("train_loss_curve");
        List<double[]> c32 = (List<double[]>) f.asMap().get("train_loss_curve");
        assertEquals(c32.size(), c16.size());
        boolean differs = false;
        for (int i = 0; i < c16.size(); i++) {
            double a = c16.get(i)[1];
            double b = c32.get(i)[1];
            assertTrue(Double.isFinite(a) && Math.abs(a - b) < 1e-2 * Math.abs(b), "step " + i + ": bf16 " + a + " float32 " + b);
            differs |= a != b;
        }
        assertTrue(differs, "bf16 loss curve equals float32's");
        assertTrue(((Number) r.asMap().get("memory_estimate_bytes")).longValue() > ((Number) f.asMap().get("memory_estimate_bytes")).longValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void loraTrialTrainsEvaluatesEveryTaskAndIsReproducible() {
        TrialResult a = DecoderTrialRunner.run(trial("lora"), new TrainingListener() {});
        assertEquals("completed", a.status(), String.valueOf(a.asMap().get("reason")));
        Map<String, Object> perTask = (Map<String, Object>) a.asMap().get("per_task");
        assertEquals(List.of("cs-boolq", "cs-arc-e"), List.copyOf(perTask.keySet()));
        double accSum = 0;
        for (Object v : perTask.values()) {
            Map<String, Object> m = (Map<String, Object>) v;
            assertEquals(3, m.get("examples"));
            double acc = (double) m.get("accuracy");
            assertEquals((int) m.get("correct") / 3.0, acc, 1e-12);
            assertTrue((double) m.get("nll") > 0, "nll " + m.get("nll"));
            accSum += acc;
        }
        Map<String, Object> metrics = (Map<String, Object>) a.asMap().get("metrics");
        assertEquals(accSum / 2, (double) metrics.get("accuracy"), 1e-12, "macro average");
        assertEquals(6, metrics.get("eval_examples"));
        Map<String, Object> generations = (Map<String, Object>) a.asMap().get("generations");
        assertEquals(3, ((List<?>) generations.get("cs-arc-e")).size());
        assertEquals(3, ((Map<String, Object>) a.asMap().get("timings")).get("steps"), "12 records / batch 4");
        Map<String, Object> sums = (Map<String, Object>) a.asMap().get("checksums");
        assertTrue(((String) sums.get("train_data")).endsWith("#mix(seed=0)"));
        TrialResult b = DecoderTrialRunner.run(trial("lora"), new TrainingListener() {});
        assertEquals(a.asMap().get("per_task"), b.asMap().get("per_task"), "same trial, same seed, same scores");
        List<double[]> ca = (List<double[]>) a.asMap().get("train_loss_curve");
        List<double[]> cb = (List<double[]>) b.asMap().get("train_loss_curve");
        assertEquals(3, ca.size());
        for (int i = 0; i < ca.size(); i++) org.junit.jupiter.api.Assertions.assertArrayEquals(ca.get(i), cb.get(i));
        assertTrue(((Number) a.asMap().get("memory_estimate_bytes")).longValue() > 1_500_000_000L, "estimate includes the runtime reserve");

        // activation checkpointing: the same gradients, so the same losses (to float error)
        TrialConfig ckpt = trial("lora");
        ckpt.decoder.gradientCheckpointing = true;
        TrialResult c = DecoderTrialRunner.run(ckpt, new TrainingListener() {});
        assertEquals("completed", c.status(), String.valueOf(c.asMap().get("reason")));
        List<double[]> cc = (List<double[]>) c.asMap().get("train_loss_curve");
        for (int i = 0; i < ca.size(); i++) assertEquals(ca.get(i)[1], cc.get(i)[1], 1e-4, "loss at step " + (i + 1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void likelihoodModeAndAdapterMethod() {
        TrialConfig t = trial("adapter");
        t.adapter.bottleneckSize = 8;
        t.decoder.evalMode = "likelihood";
        TrialResult r = DecoderTrialRunner.run(t, new TrainingListener() {});
        assertEquals("completed", r.status(), String.valueOf(r.asMap().get("reason")));
        Map<String, Object> gens = (Map<String, Object>) r.asMap().get("generations");
        for (Object sample : (List<?>) gens.get("cs-boolq")) {
            String prediction = (String) ((Map<String, Object>) sample).get("prediction");
            assertTrue(List.of("true", "false").contains(prediction), "an option of 'Answer format: true/false': " + prediction);
        }
        Map<String, Object> perTask = (Map<String, Object>) r.asMap().get("per_task");
        assertEquals(0, ((Map<String, Object>) perTask.get("cs-arc-e")).get("no_answer"), "likelihood ranking always picks an option");
    }

    @Test
    void wrongModelTaskPairingsFailWithAReason() {
        TrialConfig t = trial("lora");
        t.task = new TaskSpec();
        t.task.name = "mrpc";
        TrialResult r = TrialRunner.run(t, new TrainingListener() {});
        assertEquals("failed", r.status());
        assertTrue(((String) r.asMap().get("reason")).startsWith("task 'mrpc': decoder models (tiny-llama) train on the commonsense tasks"), (String) r.asMap().get("reason"));
        TrialConfig e = trial("lora");
        e.model = "minilm-l6";
        TrialResult r2 = TrialRunner.run(e, new TrainingListener() {});
        assertEquals("failed", r2.status());
        assertTrue(((String) r2.asMap().get("reason")).startsWith("task 'commonsense' is a commonsense task for decoder models; model 'minilm-l6' is an encoder"),
                (String) r2.asMap().get("reason"));
    }
}
