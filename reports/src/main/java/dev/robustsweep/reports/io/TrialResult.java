package dev.robustsweep.reports.io;

import java.util.Map;

/**
 * The fields of one result.json that a report uses (docs/schemas.md, "Result file").
 *
 * @param trialId   trial_id
 * @param status    completed | diverged | failed
 * @param task      task name
 * @param method    method variant name (the grid's method_name), the grouping key
 * @param gridPoint grid-axis values as JSON text, sorted by key (learning_rate, batch_size, seed, ...)
 * @param metrics   metric name to value; null / missing values are NaN
 * @param curve     train_loss_curve as {steps, losses}; null when absent
 */
record TrialResult(String trialId, String status, String task, String method, Map<String, String> gridPoint,
                   Map<String, Double> metrics, double[][] curve) {
}
