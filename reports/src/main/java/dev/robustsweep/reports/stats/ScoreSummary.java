package dev.robustsweep.reports.stats;

import java.util.Arrays;

/**
 * Distribution of one score over the grid points of one method on one task
 * (method-spec.md section 5): n, median, spread = max - min, IQR = Q3 - Q1 (type 7 quantiles),
 * best and worst (max / min for higher-is-better scores, the reverse for NLL), mean and
 * sample standard deviation (n - 1; NaN for n < 2). NaN scores (failed trials) are left out.
 */
public record ScoreSummary(int n, double median, double spread, double iqr, double best, double worst,
                           double mean, double sd) {

    /** Summarises the non-NaN values; all statistics are NaN when there are none. */
    public static ScoreSummary of(double[] values, boolean higherIsBetter) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        int n = v.length;
        if (n == 0) {
            return new ScoreSummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double min = v[0];
        double max = v[n - 1];
        double mean = 0.0;
        for (double x : v) {
            mean += x;
        }
        mean /= n;
        double ss = 0.0; // two-pass sum of squares, numerically stable
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1));
        double iqr = Quantile.ofSorted(v, 0.75) - Quantile.ofSorted(v, 0.25);
        return new ScoreSummary(n, Quantile.median(v), max - min, iqr,
                higherIsBetter ? max : min, higherIsBetter ? min : max, mean, sd);
    }
}
