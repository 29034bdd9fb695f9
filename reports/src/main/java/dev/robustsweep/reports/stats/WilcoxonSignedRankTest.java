package dev.robustsweep.reports.stats;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Wilcoxon signed-rank test of paired samples, matching scipy.stats.wilcoxon (scipy 1.17) with
 * nan_policy="omit" (method-spec.md section 5, "Wilcoxon signed-rank test: required behaviour").
 *
 * <p>Input: paired x, y (d = x - y; a pair with a NaN is dropped) or the differences d.
 * Output: a {@link WilcoxonResult} with n, statistic, p, the method used and the matched-pairs
 * rank-biserial effect size. Commons Math supplies the ranking and the normal distribution only:
 * its own WilcoxonSignedRankTest is two-sided only, counts zeros as negative and has no tie correction.
 *
 * <p>Degenerate input (no pairs, or no non-zero difference) gives p = 1, method {@link WilcoxonMethod#NONE},
 * effect size 0, never an exception (scipy returns NaN for no pairs).
 */
public final class WilcoxonSignedRankTest {
    /** scipy's "auto" uses the normal approximation above this many pairs. */
    public static final int AUTO_ASYMPTOTIC_ABOVE = 50;
    /** scipy's "auto" runs an exhaustive permutation test with ties or zeros up to this many pairs. */
    public static final int AUTO_CONDITIONAL_UP_TO = 13;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0.0, 1.0);
    private static final NaturalRanking AVERAGE_RANKS = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    private final ZeroMethod zeroMethod;
    private final Alternative alternative;
    private final WilcoxonMethod method;
    private final boolean continuityCorrection;

    /**
     * @param zeroMethod           treatment of zero differences [wilcox]
     * @param alternative          alternative hypothesis [two-sided]
     * @param method               p-value method [auto]
     * @param continuityCorrection shift z by 0.5/sd towards zero when asymptotic [false, scipy's default]
     */
    public WilcoxonSignedRankTest(ZeroMethod zeroMethod, Alternative alternative, WilcoxonMethod method,
                                  boolean continuityCorrection) {
        this.zeroMethod = Objects.requireNonNull(zeroMethod, "zeroMethod");
        this.alternative = Objects.requireNonNull(alternative, "alternative");
        this.method = Objects.requireNonNull(method, "method");
        if (method == WilcoxonMethod.NONE) {
            throw new IllegalArgumentException("method NONE is an outcome, not a choice");
        }
        this.continuityCorrection = continuityCorrection;
    }

    /** scipy's defaults: wilcox, two-sided, auto, no continuity correction. */
    public WilcoxonSignedRankTest() {
        this(ZeroMethod.WILCOX, Alternative.TWO_SIDED, WilcoxonMethod.AUTO, false);
    }

    /** Tests paired samples; d = x - y, pairs holding a NaN are dropped. */
    public WilcoxonResult test(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + x.length + " vs " + y.length);
        }
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
        }
        return testDifferences(d);
    }

    /** Tests the differences d (NaN entries are dropped). */
    public WilcoxonResult testDifferences(double[] differences) {
        double[] d = Arrays.stream(differences).filter(v -> !Double.isNaN(v)).toArray();
        int pairs = d.length;
        int zeros = (int) Arrays.stream(d).filter(v -> v == 0.0).count();

        // 1. rank |d|: wilcox ranks only the non-zero differences, pratt and zsplit rank all of them
        double[] ranked = zeroMethod == ZeroMethod.WILCOX
                ? Arrays.stream(d).filter(v -> v != 0.0).toArray() : d;
        int count = ranked.length; // scipy's "count"
        double[] abs = Arrays.stream(ranked).map(Math::abs).toArray();
        double[] rank = count == 0 ? new double[0] : AVERAGE_RANKS.rank(abs);

        // 2. R+ and R- (zsplit: half the zeros' rank sum to each)
        double rPlus = 0.0;
        double rMinus = 0.0;
        double zeroRankSum = 0.0;
        for (int i = 0; i < count; i++) {
            if (ranked[i] > 0) {
                rPlus += rank[i];
            } else if (ranked[i] < 0) {
                rMinus += rank[i];
            } else {
                zeroRankSum += rank[i];
            }
        }
        if (zeroMethod == ZeroMethod.ZSPLIT) {
            rPlus += zeroRankSum / 2;
            rMinus += zeroRankSum / 2;
        }
        double statistic = alternative == Alternative.TWO_SIDED ? Math.min(rPlus, rMinus) : rPlus;
        double effect = rPlus + rMinus == 0.0 ? 0.0 : (rPlus - rMinus) / (rPlus + rMinus); // rank-biserial

        // 3. degenerate: nothing but zeros (or nothing at all) carries no evidence
        if (pairs == zeros) {
            return new WilcoxonResult(count, zeros, statistic, rPlus, rMinus, 1.0, WilcoxonMethod.NONE, Double.NaN, 0.0);
        }

        boolean tiesOrZeros = zeros > 0 || hasTies(abs);
        WilcoxonMethod used = chooseMethod(pairs, tiesOrZeros);
        double p;
        double z = Double.NaN;
        switch (used) {
            case EXACT -> p = exactP(count, rPlus);
            case EXACT_CONDITIONAL -> p = conditionalP(ranked, rank, rPlus - (zeroMethod == ZeroMethod.ZSPLIT ? zeroRankSum / 2 : 0.0));
            case ASYMPTOTIC -> {
                z = asymptoticZ(ranked, abs, count, rPlus);
                p = normalP(z);
            }
            default -> throw new IllegalStateException("unreachable: " + used);
        }
        return new WilcoxonResult(count, zeros, statistic, rPlus, rMinus, p, used, z, effect);
    }

    /** AUTO mirrors scipy 1.17's "auto" (see {@link WilcoxonMethod}); other choices are kept. */
    private WilcoxonMethod chooseMethod(int pairs, boolean tiesOrZeros) {
        if (method != WilcoxonMethod.AUTO) {
            return method;
        }
        if (pairs > AUTO_ASYMPTOTIC_ABOVE) {
            return WilcoxonMethod.ASYMPTOTIC;
        }
        if (!tiesOrZeros) {
            return WilcoxonMethod.EXACT;
        }
        return pairs <= AUTO_CONDITIONAL_UP_TO ? WilcoxonMethod.EXACT_CONDITIONAL : WilcoxonMethod.ASYMPTOTIC;
    }

    /** scipy "exact": W+ distribution of ranks 1..count; a non-integral R+ is rounded conservatively. */
    private double exactP(int count, double rPlus) {
        SignedRankDistribution w = SignedRankDistribution.untied(count);
        double upper = w.sf(Math.floor(rPlus));  // P(W+ >= floor(R+))
        double lower = w.cdf(Math.ceil(rPlus));  // P(W+ <= ceil(R+))
        return tail(upper, lower);
    }

    /** Exact conditional: all 2^m sign flips of the non-zero differences' actual ranks (zeros fixed). */
    private double conditionalP(double[] ranked, double[] rank, double rPlusOfNonZero) {
        int[] doubled = new int[ranked.length];
        int m = 0;
        for (int i = 0; i < ranked.length; i++) {
            if (ranked[i] != 0.0) {
                doubled[m++] = (int) Math.round(2 * rank[i]); // average ranks are multiples of 1/2
            }
        }
        SignedRankDistribution t = SignedRankDistribution.ofDoubledRanks(Arrays.copyOf(doubled, m));
        return tail(t.sf(rPlusOfNonZero), t.cdf(rPlusOfNonZero));
    }

    /** z = (R+ - mean) / sd with Pratt's adjustment and the tie-corrected variance, then continuity correction. */
    private double asymptoticZ(double[] ranked, double[] abs, int count, double rPlus) {
        double mean = count * (count + 1.0) * 0.25;
        double var24 = count * (count + 1.0) * (2.0 * count + 1.0); // 24 * variance before ties
        int zerosRanked = (int) Arrays.stream(ranked).filter(v -> v == 0.0).count();
        if (zeroMethod == ZeroMethod.PRATT) {
            // Cureton (1967): remove the zeros' share of mean and variance
            mean -= zerosRanked * (zerosRanked + 1.0) * 0.25;
            var24 -= zerosRanked * (zerosRanked + 1.0) * (2.0 * zerosRanked + 1.0);
        }
        // tie correction sum(t^3 - t) / 2; under pratt the zeros' tie group is left out (scipy)
        double tieCorrection = tieSum(abs, zeroMethod == ZeroMethod.PRATT);
        double sd = Math.sqrt((var24 - tieCorrection / 2) / 24);
        double z = (rPlus - mean) / sd;
        if (continuityCorrection) {
            double sign = switch (alternative) {
                case GREATER -> 1.0;
                case LESS -> -1.0;
                case TWO_SIDED -> Math.signum(z);
            };
            z -= sign * 0.5 / sd;
        }
        return z;
    }

    private double normalP(double z) {
        return switch (alternative) {
            case GREATER -> upperNormal(z);
            case LESS -> upperNormal(-z);
            case TWO_SIDED -> 2 * upperNormal(Math.abs(z));
        };
    }

    /** P(Z >= z) computed as Phi(-z), accurate in the upper tail. */
    private static double upperNormal(double z) {
        return STANDARD_NORMAL.cumulativeProbability(-z);
    }

    /** p from the two tails: greater uses P(T >= t), less P(T <= t), two-sided min(1, 2 min(both)). */
    private double tail(double upper, double lower) {
        return switch (alternative) {
            case GREATER -> upper;
            case LESS -> lower;
            case TWO_SIDED -> Math.min(1.0, 2 * Math.min(upper, lower));
        };
    }

    private static boolean hasTies(double[] abs) {
        double[] sorted = abs.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                return true;
            }
        }
        return false;
    }

    /** sum over tie groups of t^3 - t, optionally leaving out the group of zeros. */
    private static double tieSum(double[] abs, boolean skipZeros) {
        double[] sorted = abs.clone();
        Arrays.sort(sorted);
        double sum = 0.0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                j++;
            }
            double t = j - i + 1;
            if (!(skipZeros && sorted[i] == 0.0)) {
                sum += t * t * t - t;
            }
            i = j + 1;
        }
        return sum;
    }
}
