package dev.robustsweep.reports;

import dev.robustsweep.reports.stats.PercentileBootstrap;

/**
 * Settings of the inference beyond Wilcoxon (method-spec.md section 10).
 *
 * @param bootstrapResamples B of the percentile bootstrap [10,000]; 0 = no confidence intervals
 * @param seed               seed of the bootstrap's SplitMix64 stream [20240531]
 * @param alpha              significance level: CIs are 1 - alpha, the Nemenyi CD is at alpha, and a
 *                           Wilcoxon test that cannot reach p &lt; alpha is reported as no test [0.05]
 */
public record InferenceOptions(int bootstrapResamples, long seed, double alpha) {
    public static final InferenceOptions DEFAULTS = new InferenceOptions(PercentileBootstrap.DEFAULT_RESAMPLES,
            PercentileBootstrap.DEFAULT_SEED, 0.05);

    public InferenceOptions {
        if (bootstrapResamples < 0) {
            throw new IllegalArgumentException("--bootstrap must be 0 (off) or a positive number of resamples, found "
                    + bootstrapResamples);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be in (0, 1), found " + alpha);
        }
    }

    /** The bootstrap these settings describe, or null when B = 0. */
    public PercentileBootstrap bootstrap() {
        return bootstrapResamples == 0 ? null : new PercentileBootstrap(bootstrapResamples, seed, 1 - alpha);
    }
}
