package dev.robustsweep.reports.stats;

import java.util.Arrays;

/**
 * Intrinsic robustness of a method on a task (paper section 3.3): 1 / median(NLL) over its grid
 * points, higher is better. NaN NLLs (failed trials) are left out; NaN when none is left.
 */
public final class IntrinsicRobustness {
    private IntrinsicRobustness() {
    }

    /** 1 / median of the non-NaN NLL values. */
    public static double of(double[] nll) {
        double[] v = Arrays.stream(nll).filter(x -> !Double.isNaN(x)).sorted().toArray();
        return 1.0 / Quantile.median(v);
    }
}
