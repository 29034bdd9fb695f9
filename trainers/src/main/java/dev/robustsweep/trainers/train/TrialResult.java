package dev.robustsweep.trainers.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.trial.TrialFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result file of one trial (docs/schemas.md): status, final and per-epoch metrics, the loss
 * curve, method state, parameter counts, timings, peak memory, and everything needed to trace and
 * reproduce it (full trial configuration, tool version, seeds, model and data checksums).
 */
public final class TrialResult {
    public static final String SCHEMA = "robustsweep.result/1";
    public static final String COMPLETED = "completed";
    public static final String DIVERGED = "diverged";
    public static final String FAILED = "failed";

    private final Map<String, Object> root = new LinkedHashMap<>();

    public TrialResult(TrialConfig trial, String status, String reason) {
        root.put("schema", SCHEMA);
        root.put("trial_id", trial.trialId);
        root.put("status", status);
        root.put("reason", reason);
        root.put("task", trial.task == null ? null : trial.task.name);
        root.put("method", trial.displayMethod());
        root.put("grid_point", trial.gridPoint);
        root.put("metrics", null);
        root.put("epochs", List.of());
    }

    public String status() {
        return (String) root.get("status");
    }

    public void outcome(TrainingOutcome outcome) {
        EpochRecord last = outcome.last();
        root.put("metrics", last == null ? null : metrics(last));
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochRecord e : outcome.epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", e.trainLoss());
            m.putAll(scores(e.metrics()));
            m.put("steps", e.steps());
            m.put("extra_losses", e.extraLosses());
            m.put("train_s", e.trainSeconds());
            m.put("eval_s", e.evalSeconds());
            epochs.add(m);
        }
        root.put("epochs", epochs);
        if (outcome.diverged()) root.put("diverged_at_step", outcome.divergedAtStep());
        root.put("train_loss_curve", outcome.lossCurve());
    }

    private static Map<String, Object> metrics(EpochRecord e) {
        return metrics(e.metrics(), e.epoch());
    }

    private static Map<String, Object> metrics(ClassificationMetrics c, int epoch) {
        Map<String, Object> m = scores(c);
        m.put("eval_examples", c.examples());
        m.put("epoch", epoch);
        m.put("reliability", reliability(c.calibration()));
        return m;
    }

    /**
     * A post-hoc baseline's final scores (method-spec.md section 9) replace the plain ones of the last
     * epoch; {@code state} (the plain scores, fitted values, cost) goes to the "posthoc" block.
     */
    public void posthoc(ClassificationMetrics metrics, int epoch, Map<String, Object> state) {
        root.put("metrics", metrics(metrics, epoch));
        root.put("posthoc", state);
    }

    private static Map<String, Object> scores(ClassificationMetrics c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", c.accuracy());
        m.put("nll", c.nll());
        m.put("f1", c.f1());
        m.put("mcc", c.mcc());
        m.put("ece", c.ece());
        m.put("brier", c.brier());
        return m;
    }

    /** Per-bin counts of the reliability diagram (top-label confidence bins, see {@link Calibration}). */
    static Map<String, Object> reliability(Calibration c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bins", c.counts().length);
        // lists, not arrays: results compare by value (same seed -> equal results)
        m.put("counts", java.util.Arrays.stream(c.counts()).boxed().toList());
        m.put("correct", java.util.Arrays.stream(c.correct()).boxed().toList());
        m.put("confidence_sum", java.util.Arrays.stream(c.confidenceSum()).boxed().toList());
        return m;
    }

    public void put(String key, Object value) {
        root.put(key, value);
    }

    /** The full trial configuration, defaults filled in, as the result's "trial" field. */
    public void trial(TrialConfig trial) {
        root.put("trial", new ObjectMapper().convertValue(trial, Map.class));
    }

    public void write(Path file) throws IOException {
        TrialFiles.writeAtomically(file, root);
    }

    public Map<String, Object> asMap() {
        return root;
    }
}
