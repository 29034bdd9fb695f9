package dev.robustsweep.reports;

/**
 * Robustness of one method on one task for one metric (one row of robustness.csv).
 * The task {@link #AVERAGE} row holds the mean over tasks of every statistic (paper Tables 5, 6, 9),
 * with n, diverged and failed summed.
 *
 * @param robustness intrinsic (1/median NLL) or extrinsic (median score) robustness
 * @param n          scored trials (failed ones excluded)
 * @param diverged   diverged trials (included in the distribution with the scores they reached)
 * @param failed     failed trials (no score, excluded)
 */
public record RobustnessRow(String task, String method, String metric, int n, double robustness, double median,
                            double spread, double iqr, double best, double worst, double mean, double sd,
                            int diverged, int failed) {
    /** Task name of the across-task average rows. */
    public static final String AVERAGE = "average";
}
