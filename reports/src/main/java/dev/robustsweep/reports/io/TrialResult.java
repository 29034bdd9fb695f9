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
 */
record TrialResult(String trialId, String status, String task, String method, Map<String, Double> gridPoint, String config,
                   Map<String, Double> metrics, double[][] curve, double[][] reliability) {
    TrialResult(String trialId, String status, String task, String method, Map<String, Double> gridPoint, String config,
                Map<String, Double> metrics, double[][] curve) {
        this(trialId, status, task, method, gridPoint, config, metrics, curve, null);
    }
}
