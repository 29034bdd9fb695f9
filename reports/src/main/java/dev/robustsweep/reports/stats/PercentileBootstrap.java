package dev.robustsweep.reports.stats;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Seeded percentile bootstrap (Efron and Tibshirani 1993, ch. 13) of a statistic of one or more
 * independent strata (tasks), each a set of rows resampled with replacement.
 *
 * <p>The resampling scheme, exactly (reproduced in src/test/resources/bootstrap/make_golden.py):
 * one {@link SplitMix64} stream seeded with {@code seed} per interval; for b = 1..B, for each stratum
 * in order, draw its n_s row indices i = next() mod n_s (unsigned) in order; the replicate is
 * {@code statistic(resampled strata)}. Replicates that are NaN are dropped; the interval is the
 * (alpha/2, 1 - alpha/2) sample quantiles of the replicates, linear interpolation (numpy's default).
 * A stratum's row is a double[] (one value for a median, two paired values for a paired difference).
 */
public final class PercentileBootstrap {
    /** Default number of resamples (method-spec.md section 10). */
    public static final int DEFAULT_RESAMPLES = 10_000;
    /** Default seed. */
    public static final long DEFAULT_SEED = 20240531L;

    private final int resamples;
    private final long seed;
    private final double confidence;

    /**
     * @param resamples  B >= 1
     * @param seed       seed of the SplitMix64 stream
     * @param confidence e.g. 0.95
     */
    public PercentileBootstrap(int resamples, long seed, double confidence) {
        if (resamples < 1) {
            throw new IllegalArgumentException("bootstrap resamples must be at least 1, found " + resamples);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), found " + confidence);
        }
        this.resamples = resamples;
        this.seed = seed;
        this.confidence = confidence;
    }

    public int resamples() {
        return resamples;
    }

    public long seed() {
        return seed;
    }

    public double confidence() {
        return confidence;
    }

    /**
     * Interval for {@code statistic} of the strata; NA when a stratum is empty.
     *
     * @param strata    rows of each stratum (not modified)
     * @param statistic maps resampled strata (same shapes) to the statistic
     */
    public BootstrapInterval interval(List<double[][]> strata, ToDoubleFunction<List<double[][]>> statistic) {
        if (strata.isEmpty() || strata.stream().anyMatch(s -> s.length == 0)) {
            return BootstrapInterval.NA;
        }
        double estimate = statistic.applyAsDouble(strata);
        SplitMix64 rng = new SplitMix64(seed);
        List<double[][]> buffers = strata.stream().map(s -> new double[s.length][]).toList();
        double[] reps = new double[resamples];
        int kept = 0;
        for (int b = 0; b < resamples; b++) {
            for (int s = 0; s < strata.size(); s++) {
                double[][] src = strata.get(s);
                double[][] dst = buffers.get(s);
                for (int j = 0; j < src.length; j++) {
                    dst[j] = src[rng.nextIndex(src.length)];
                }
            }
            double r = statistic.applyAsDouble(buffers);
            if (!Double.isNaN(r)) {
                reps[kept++] = r;
            }
        }
        if (kept == 0) {
            return new BootstrapInterval(estimate, Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(reps, kept);
        Arrays.sort(sorted);
        double a = (1 - confidence) / 2;
        return new BootstrapInterval(estimate, Quantile.ofSorted(sorted, a), Quantile.ofSorted(sorted, 1 - a));
    }

    /** Rows of one column: {{v0}, {v1}, ...}. */
    public static double[][] column(double[] values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return rows;
    }

    /** Column {@code c} of rows as an array. */
    public static double[] values(double[][] rows, int c) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i][c];
        }
        return v;
    }
}
