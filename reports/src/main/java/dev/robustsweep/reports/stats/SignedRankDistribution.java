package dev.robustsweep.reports.stats;

/**
 * Null distribution of the signed-rank sum T = sum of the ranks that receive a "+" sign, when each
 * of the given ranks is "+" or "-" with probability 1/2 independently (all 2^m sign flips).
 *
 * <p>Ranks are held doubled so that average ranks (multiples of 1/2) stay integers; the
 * distribution is built by the subset-sum recursion count_k(s) = count_{k-1}(s) + count_{k-1}(s - r_k),
 * which is exact and costs O(m * sum of ranks) instead of 2^m.
 * With ranks 1..n this is the exact distribution of Wilcoxon's W+; with the actual average ranks of
 * a sample with ties it is the exact conditional (permutation) distribution.
 */
public final class SignedRankDistribution {
    /** probability[s] = P(2T = s). */
    private final double[] probability;

    private SignedRankDistribution(double[] probability) {
        this.probability = probability;
    }

    /** Distribution of W+ for untied ranks 1..n. */
    public static SignedRankDistribution untied(int n) {
        int[] doubled = new int[n];
        for (int i = 0; i < n; i++) {
            doubled[i] = 2 * (i + 1);
        }
        return ofDoubledRanks(doubled);
    }

    /** Distribution of T for arbitrary ranks given as 2 * rank (integers). */
    public static SignedRankDistribution ofDoubledRanks(int[] doubledRanks) {
        int total = 0;
        for (int r : doubledRanks) {
            total += r;
        }
        // counts as doubles: exact integers up to 2^53, relative error 1e-16 beyond
        double[] count = new double[total + 1];
        count[0] = 1.0;
        int reach = 0;
        for (int r : doubledRanks) {
            // subset-sum recursion, descending so each rank is used at most once
            for (int s = reach; s >= 0; s--) {
                if (count[s] != 0.0) {
                    count[s + r] += count[s];
                }
            }
            reach += r;
        }
        double scale = Math.scalb(1.0, -doubledRanks.length); // 1 / 2^m, exact
        for (int s = 0; s <= total; s++) {
            count[s] *= scale;
        }
        return new SignedRankDistribution(count);
    }

    /** P(T <= t). */
    public double cdf(double t) {
        long limit = (long) Math.floor(2 * t + 1e-9); // 2T is an integer
        if (limit < 0) {
            return 0.0;
        }
        if (limit >= probability.length - 1) {
            return 1.0;
        }
        double sum = 0.0;
        for (int s = 0; s <= limit; s++) {
            sum += probability[s];
        }
        return Math.min(1.0, sum);
    }

    /** P(T >= t). */
    public double sf(double t) {
        long start = (long) Math.ceil(2 * t - 1e-9);
        if (start <= 0) {
            return 1.0;
        }
        if (start >= probability.length) {
            return 0.0;
        }
        double sum = 0.0;
        for (int s = probability.length - 1; s >= start; s--) {
            sum += probability[s];
        }
        return Math.min(1.0, sum);
    }
}
