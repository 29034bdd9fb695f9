package dev.robustsweep.reports;

/**
 * Training-loss curve of one trial (result.json "train_loss_curve": [[step, loss], ...]),
 * drawn in the report's loss-curve figure (paper Figure 10).
 */
public record LossCurve(String task, String method, String trialId, String status, double[] steps, double[] losses) {
}
