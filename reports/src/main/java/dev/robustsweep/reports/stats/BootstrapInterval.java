package dev.robustsweep.reports.stats;

/**
 * A percentile bootstrap confidence interval (method-spec.md section 10).
 *
 * @param estimate the statistic on the original sample
 * @param lower    lower percentile bound; NaN when there is nothing to resample
 * @param upper    upper percentile bound; NaN when there is nothing to resample
 */
public record BootstrapInterval(double estimate, double lower, double upper) {
    /** No data: every field NaN. */
    public static final BootstrapInterval NA = new BootstrapInterval(Double.NaN, Double.NaN, Double.NaN);

    /** Both bounds are numbers. */
    public boolean defined() {
        return !Double.isNaN(lower) && !Double.isNaN(upper);
    }
}
