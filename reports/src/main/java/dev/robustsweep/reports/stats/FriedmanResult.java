package dev.robustsweep.reports.stats;

/**
 * Outcome of a Friedman test over k methods and N blocks (tasks, or grid points within a task).
 *
 * @param blocks           N, the complete blocks used (a block with a NaN is dropped)
 * @param k                number of methods
 * @param chiSquare        Friedman's chi-square, tie-corrected as scipy.stats.friedmanchisquare; NaN when N &lt; 2 or k &lt; 2
 * @param pValue           chi-square(k - 1) upper tail; NaN when not tested
 * @param imanDavenportF   (N - 1) chi2 / (N (k - 1) - chi2) (Iman and Davenport 1980); NaN when not tested
 * @param imanDavenportP   F(k - 1, (k - 1)(N - 1)) upper tail; NaN when not tested
 * @param meanRanks        mean rank of each method over the blocks, 1 = best (ties averaged)
 * @param criticalDifference Nemenyi CD of mean ranks at the chosen alpha (Demsar 2006); NaN when not tested
 */
public record FriedmanResult(int blocks, int k, double chiSquare, double pValue, double imanDavenportF,
                             double imanDavenportP, double[] meanRanks, double criticalDifference) {
    /** Friedman needs at least 2 blocks and 2 methods: is there a test? */
    public boolean tested() {
        return !Double.isNaN(chiSquare);
    }
}
