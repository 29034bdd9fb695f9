package dev.robustsweep.reports.io;

import java.util.Map;

/**
 * The fields of one result.json that a report uses (docs/schemas.md, "Result file").
 *
 * @param trialId   trial_id
 * @param status    completed | diverged | failed
 * @param task      task name
 * @param method    method variant name (the grid's method_name), the grouping key
 * @param gridPoint grid-axis values as numbers (NaN for a non-numeric value), by key (learning_rate, batch_size, seed, ...)
 * @param config    the grid point without method and task, "key=value,..." sorted by key: the pairing key
 * @param metrics   metric name to value; null / missing values are NaN
 * @param curve     train_loss_curve as {steps, losses}; null when absent
 * @param reliability metrics.reliability as {counts, correct, confidence_sum}; null when absent
 * @param perTask   a decoder trial's per_task scores (evaluation task -> metrics); null for a classification trial.
 *                  The reader turns such a trial into one row per evaluation task ({@link #perTaskRows()}).
 */
record TrialResult(String trialId, String status, String task, String method, Map<String, Double> gridPoint, String config,
                   Map<String, Double> metrics, double[][] curve, double[][] reliability, Map<String, Map<String, Double>> perTask) {
    TrialResult(String trialId, String status, String task, String method, Map<String, Double> gridPoint, String config,
                Map<String, Double> metrics, double[][] curve, double[][] reliability) {
        this(trialId, status, task, method, gridPoint, config, metrics, curve, reliability, null);
    }

    /** One row per evaluation task of a decoder trial (status, method and grid point shared); this row alone otherwise. */
    java.util.List<TrialResult> perTaskRows() {
        if (perTask == null || perTask.isEmpty()) {
            return java.util.List.of(this);
        }
        java.util.List<TrialResult> rows = new java.util.ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> e : perTask.entrySet()) {
            rows.add(new TrialResult(trialId, status, e.getKey(), method, gridPoint, config, e.getValue(), curve, null, null));
        }
        return rows;
    }

    TrialResult(String trialId, String status, String task, String method, Map<String, Double> gridPoint, String config,
                Map<String, Double> metrics, double[][] curve) {
        this(trialId, status, task, method, gridPoint, config, metrics, curve, null);
    }
}
