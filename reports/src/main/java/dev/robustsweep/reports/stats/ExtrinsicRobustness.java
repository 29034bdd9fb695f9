package dev.robustsweep.reports.stats;

import java.util.Arrays;

/**
 * Extrinsic robustness of a method on a task (paper section 3.3): median of a task score
 * (accuracy, or F1 / MCC when asked) over its grid points, higher is better.
 * NaN scores (failed trials) are left out; NaN when none is left.
 */
public final class ExtrinsicRobustness {
    private ExtrinsicRobustness() {
    }

    /** Median of the non-NaN scores. */
    public static double of(double[] scores) {
        double[] v = Arrays.stream(scores).filter(x -> !Double.isNaN(x)).sorted().toArray();
        return Quantile.median(v);
    }
}
