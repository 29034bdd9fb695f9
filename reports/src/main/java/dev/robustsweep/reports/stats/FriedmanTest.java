package dev.robustsweep.reports.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Friedman rank test of k methods over N blocks (Friedman 1937; method-spec.md section 10), as
 * scipy.stats.friedmanchisquare: ranks within each block (ties averaged),
 * chi2 = (12 / (N k (k + 1)) sum_j R_j^2 - 3 N (k + 1)) / C, C = 1 - sum(t^3 - t) / (N k (k^2 - 1)),
 * R_j the rank sum of method j; p from chi-square(k - 1). Iman-Davenport F = (N - 1) chi2 / (N (k - 1) - chi2)
 * with F(k - 1, (k - 1)(N - 1)). Nemenyi CD from {@link StudentizedRange}.
 */
public final class FriedmanTest {
    private static final NaturalRanking RANKS = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    private FriedmanTest() {
    }

    /**
     * @param data           data[block][method]; blocks holding a NaN are dropped
     * @param higherIsBetter orientation of the mean ranks (rank 1 = best); the chi-square does not depend on it
     * @param alpha          level of the Nemenyi critical difference
     */
    public static FriedmanResult test(double[][] data, boolean higherIsBetter, double alpha) {
        List<double[]> blocks = new ArrayList<>();
        int k = data.length == 0 ? 0 : data[0].length;
        for (double[] row : data) {
            if (row.length != k) {
                throw new IllegalArgumentException("every block needs the same number of methods");
            }
            if (Arrays.stream(row).noneMatch(Double::isNaN)) {
                blocks.add(row);
            }
        }
        int n = blocks.size();
        double[] rankSum = new double[k];
        double ties = 0;
        for (double[] row : blocks) {
            // + 0.0 turns -0.0 into 0.0: the ranking would otherwise not see them as tied
            double[] oriented = Arrays.stream(row).map(v -> (higherIsBetter ? -v : v) + 0.0).toArray();
            double[] r = RANKS.rank(oriented);
            for (int j = 0; j < k; j++) {
                rankSum[j] += r[j];
            }
            double[] sorted = oriented.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < k; ) {
                int t = 1;
                while (i + t < k && sorted[i + t] == sorted[i]) {
                    t++;
                }
                ties += (double) t * t * t - t;
                i += t;
            }
        }
        double[] meanRanks = Arrays.stream(rankSum).map(s -> n == 0 ? Double.NaN : s / n).toArray();
        if (n < 2 || k < 2) {
            return new FriedmanResult(n, k, Double.NaN, Double.NaN, Double.NaN, Double.NaN, meanRanks, Double.NaN);
        }
        double ssbn = Arrays.stream(rankSum).map(s -> s * s).sum();
        double c = 1 - ties / ((double) k * (k * k - 1) * n);
        double chi2 = (12.0 / (k * n * (k + 1.0)) * ssbn - 3.0 * n * (k + 1)) / c;
        if (c == 0) { // every block all tied: no information
            chi2 = 0;
        }
        chi2 = Math.max(chi2, 0);
        double p = Gamma.regularizedGammaQ((k - 1) / 2.0, chi2 / 2); // chi-square(k - 1) upper tail
        double denom = (double) n * (k - 1) - chi2;
        double f = denom <= 0 ? Double.POSITIVE_INFINITY : (n - 1) * chi2 / denom;
        double d1 = k - 1;
        double d2 = (double) (k - 1) * (n - 1);
        double pf = Double.isInfinite(f) ? 0.0 : Beta.regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2); // F upper tail
        double cd = StudentizedRange.nemenyiCriticalDifference(k, n, alpha);
        return new FriedmanResult(n, k, chi2, p, f, pf, meanRanks, cd);
    }
}
