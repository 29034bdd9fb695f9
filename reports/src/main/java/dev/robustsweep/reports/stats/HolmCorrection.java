package dev.robustsweep.reports.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down adjustment of the p-values of one family of comparisons (Holm 1979),
 * as statsmodels' multipletests(method="holm"): sort p ascending, p_(i) * (m - i + 1) for i = 1..m,
 * running maximum, capped at 1. NaN p-values are left NaN and do not count in m.
 */
public final class HolmCorrection {
    private HolmCorrection() {
    }

    /** Adjusted p-values in the input order. */
    public static double[] adjust(double[] p) {
        Integer[] order = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(p[i])) {
                order[m++] = i;
            }
        }
        Integer[] valid = Arrays.copyOf(order, m);
        Arrays.sort(valid, Comparator.comparingDouble(i -> p[i]));
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0.0;
        for (int rank = 0; rank < m; rank++) {
            double candidate = Math.min(1.0, (m - rank) * p[valid[rank]]); // p_(i) (m - i + 1)
            running = Math.max(running, candidate);                         // enforce monotonicity
            adjusted[valid[rank]] = running;
        }
        return adjusted;
    }
}
