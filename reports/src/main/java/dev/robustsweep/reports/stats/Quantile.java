package dev.robustsweep.reports.stats;

/** Sample quantiles with linear interpolation between order statistics (numpy's default, R type 7). */
public final class Quantile {
    private Quantile() {
    }

    /** q-quantile (0 <= q <= 1) of values that are already sorted ascending; NaN when empty. */
    public static double ofSorted(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * q; // type 7: position (n - 1) q, 0-based
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Median: the middle value, or the mean of the two middle values. */
    public static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
